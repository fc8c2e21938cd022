"""The open data files: built when published data changes, served as stored files with an ETag
and gzip, valid as a Frictionless Data Package, under the Open Government Licence; an
indicator that stops being public is gone from them at once. These tests commit, as a server
does, so the builds that follow a commit happen."""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
from pathlib import Path

import frictionless
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from core.roles import Role
from dashboards import open_data
from measures import services
from measures.models import Indicator
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


def publish(indicator: Indicator, quarter_number: int, value: str, people: dict) -> None:
    quarter = make.quarter(2025, quarter_number)
    reading = services.reading_submit(
        reading=make.draft(indicator, quarter, value, people["officer"], commentary="Noted"),
        by=people["officer"],
        expected_version=1,
    )
    services.reading_approve(reading=reading, by=people["team2"], expected_version=2)
    services.period_close(period=quarter, by=people["team"])
    services.period_publish(period=quarter, by=people["team"])


@pytest.fixture
def people() -> dict:
    return {
        "officer": make.user(Role.OFFICER),
        "team": make.user(Role.PERFORMANCE_TEAM),
        "team2": make.user(Role.PERFORMANCE_TEAM),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_publishing_a_period_builds_the_files_and_they_are_served_as_stored(
    client: Client, people
) -> None:
    homes = make.indicator(
        owner=people["officer"], title="Homes built", unit="percentage", decimal_places=1
    )
    publish(homes, 1, "41.5", people)
    release = open_data.release_current()
    assert release is not None and release.rows == 1
    first = client.get(reverse("dashboards:open_data_json"))
    document = json.loads(body(first))
    assert document["licence"]["title"] == "Open Government Licence v3.0"
    assert document["rows"][0]["value"] == 41.5  # a number, not text
    publish(homes, 2, "44", people)
    again = client.get(reverse("dashboards:open_data_json"))
    assert again["ETag"] != first["ETag"]
    assert [row["value"] for row in json.loads(body(again))["rows"]] == [41.5, 44]


def test_a_browser_gets_304_for_what_it_has_and_gzip_when_it_takes_it(
    client: Client, people
) -> None:
    publish(make.indicator(owner=people["officer"]), 1, "7", people)
    url = reverse("dashboards:open_data_csv")
    plain = client.get(url)
    assert plain["ETag"] and "Accept-Encoding" in plain["Vary"]
    assert client.get(url, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304
    squeezed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert squeezed["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(squeezed)) == body(plain)


def test_an_indicator_made_non_public_is_gone_from_the_files_at_once(
    client: Client, people
) -> None:
    shown = make.indicator(owner=people["officer"], title="Stays public")
    hidden = make.indicator(owner=people["officer"], title="Soon internal")
    for indicator, value in ((shown, "3"), (hidden, "98765431")):
        publish(indicator, 1 if indicator is shown else 2, value, people)
    assert "98765431" in body(client.get(reverse("dashboards:open_data_csv"))).decode()

    hidden.is_public = False
    hidden.save()

    for name in ("dashboards:open_data_csv", "dashboards:open_data_json"):
        text = body(client.get(reverse(name))).decode()
        assert "98765431" not in text and "Soon internal" not in text
        assert "Stays public" in text


def test_the_files_are_a_valid_frictionless_data_package(
    client: Client, people, tmp_path: Path
) -> None:
    percent = make.indicator(owner=people["officer"], unit="percentage", decimal_places=1)
    publish(percent, 1, "45.5", people)
    publish(make.indicator(owner=people["officer"]), 2, "1200", people)
    release = open_data.release_current()
    assert release is not None
    folder = tmp_path / "package"
    folder.mkdir()
    for name in open_data.FILES:
        with (
            default_storage.open(release.path(name), "rb") as stored,
            open(folder / name, "wb") as copy,
        ):
            shutil.copyfileobj(stored, copy)
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert [r["path"] for r in package["resources"]] == [
        "readings.csv",
        "readings.json",
        "finance.csv",
        "finance.json",
    ]
    # No finance is published here, and frictionless cannot read a JSON table of no rows: the
    # readings are validated on their own (test_open_data_finance validates the finance files).
    package["resources"] = package["resources"][:2]
    (folder / "readings-only.json").write_text(json.dumps(package))
    report = frictionless.validate(str(folder / "readings-only.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [2, 2]
    table = list(csv.DictReader(io.StringIO((folder / "readings.csv").read_text("utf-8-sig"))))
    assert [row["value"] for row in table] == ["45.5", "1200"]


def test_the_page_says_the_licence_and_links_the_data_package(client: Client, people) -> None:
    publish(make.indicator(owner=people["officer"]), 1, "5", people)
    page = client.get(reverse("dashboards:open_data")).content.decode()
    assert "Open Government Licence v3.0" in page
    assert reverse("dashboards:open_data_package") in page
    assert "1 reading " in page or "1 reading at" in page


def test_releases_left_behind_are_swept_once_an_hour_old(people) -> None:
    """A build that failed before it was made current leaves its files; the nightly sweep
    removes them once they are an hour old, never the current release or one under way."""
    from datetime import timedelta

    from django.utils import timezone

    current = open_data.open_data_build()
    left = "open-data/20200101T000000000000"
    default_storage.save(f"{left}/readings.csv", io.BytesIO(b"old"))
    default_storage.save(f"{left}/readings.csv.gz", io.BytesIO(b"old"))
    under_way = f"open-data/{timezone.now():%Y%m%dT%H%M%S%f}"
    default_storage.save(f"{under_way}/readings.csv", io.BytesIO(b"new"))
    assert open_data.open_data_sweep(now=timezone.now(), keep=current) == 2
    assert not default_storage.exists(f"{left}/readings.csv")
    assert default_storage.exists(f"{under_way}/readings.csv")
    assert default_storage.exists(current.path("readings.csv"))
    assert default_storage.exists(open_data.CURRENT)
    later = timezone.now() + timedelta(hours=2)
    assert open_data.open_data_sweep(now=later, keep=current) == 1  # the one under way, now stale
