"""The finance open data files: the published figures (and only those), exact to the penny,
built into the release with the readings when a period is published, and described in the
Data Package. These tests commit, as a server does, so the builds that follow happen."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from core.roles import Role
from dashboards import open_data
from measures import services
from measures.models import ReportingPeriod
from resources.models import FinanceReturn
from resources.open_data import FINANCE_COLUMN_NAMES
from resources.services import finance_approve
from tests import factories as make
from tests.resources import figures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people() -> dict:
    return {
        "finance": make.user(Role.FINANCE_OFFICER),
        "team": make.user(Role.PERFORMANCE_TEAM),
        "officer": make.user(Role.OFFICER),
        "team2": make.user(Role.PERFORMANCE_TEAM),
    }


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def saved(period: ReportingPeriod, people: dict, **kinds: list) -> list[FinanceReturn]:
    return figures.quarter_saved(period, make.portfolio(), people["finance"], **kinds)


def approved(period: ReportingPeriod, people: dict, **kinds: list) -> None:
    for finance_return in saved(period, people, **kinds):
        finance_approve(finance_return=finance_return, by=people["team"], expected_version=1)


def published(period: ReportingPeriod, people: dict, **kinds: list) -> None:
    approved(period, people, **kinds)
    if period.state == ReportingPeriod.State.OPEN:
        services.period_close(period=period, by=people["team"])
    services.period_publish(period=period, by=people["team"])


def every_kind() -> dict[str, list]:
    economy = make.portfolio()
    return {
        "revenue": [
            figures.revenue(
                economy, "1234567", "1434567.5", original="1200000", explanation="Demand"
            )
        ],
        "savings": [figures.saving(economy, "S7", "400000", "250000", rag="amber")],
        "capital": [
            figures.capital(economy, "C9", "5000000", "1000000", "4000000", reason="Late start")
        ],
        "reserves": [figures.reserve("General fund", "15000000", "2000000", "2500000")],
    }


def csv_rows(client: Client) -> list[dict[str, str]]:
    text = body(client.get(reverse("dashboards:open_data_finance_csv"))).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(client: Client) -> list[dict]:
    response = client.get(reverse("dashboards:open_data_finance_json"))
    return json.loads(body(response), parse_float=Decimal)["rows"]


def test_it_publishes_the_figures_with_the_period_to_the_penny(client: Client, people) -> None:
    quarter = make.quarter(2025, 2, state="closed")
    published(quarter, people, **every_kind())

    rows = {row["kind"]: row for row in csv_rows(client)}
    assert list(rows) == ["revenue", "savings", "capital", "reserves"]
    revenue = rows["revenue"]
    assert (revenue["period"], revenue["financial_year"]) == ("2025-26-Q2", "2025-26")
    assert (revenue["portfolio"], revenue["portfolio_slug"]) == ("Economy", "economy")
    assert revenue["original_budget"] == "1200000.00"
    assert revenue["current_budget"] == "1234567.00"
    assert revenue["forecast_outturn"] == "1434567.50"
    assert revenue["variance"] == "200000.50"
    assert revenue["explanation"] == "Demand"
    assert revenue["target_saving"] == "" and revenue["capital_budget"] == ""
    assert revenue["is_synthetic"] == "FALSE" and revenue["published_at"]
    saving = rows["savings"]
    assert (saving["reference"], saving["rag"], saving["rag_label"]) == ("S7", "amber", "At risk")
    assert (saving["target_saving"], saving["forecast_delivered"]) == ("400000.00", "250000.00")
    capital = rows["capital"]
    assert (capital["slippage"], capital["explanation"]) == ("1000000.00", "Late start")
    assert rows["reserves"]["forecast_closing"] == "12500000.00"
    assert rows["reserves"]["portfolio"] == ""

    document = json_rows(client)
    assert document[0]["variance"] == Decimal("200000.50")
    assert document[0]["service_line"] == "" and document[0]["target_saving"] is None
    assert document[0]["is_synthetic"] is False


def test_it_leaves_out_figures_not_yet_published(client: Client, people) -> None:
    economy = make.portfolio()
    published(make.quarter(2025, 1, state="closed"), people, revenue=[figures.revenue(economy)])
    approved(
        make.quarter(2025, 2), people, revenue=[figures.revenue(economy, "7777777", "7777777")]
    )
    saved(make.quarter(2025, 3), people, revenue=[figures.revenue(economy, "8888888", "8888888")])
    open_data.open_data_build()

    rows = csv_rows(client)
    assert [row["period"] for row in rows] == ["2025-26-Q1"]
    text = body(client.get(reverse("dashboards:open_data_finance_json"))).decode()
    assert "7777777" not in text and "8888888" not in text


def test_it_links_a_capital_line_to_its_plan_scheme(client: Client, people) -> None:
    scheme = make.milestone().scheme
    line = figures.capital(make.portfolio(), scheme=scheme)
    published(make.quarter(2025, 2, state="closed"), people, capital=[line])
    assert [row["scheme"] for row in csv_rows(client)] == [scheme.slug]


def test_the_data_package_describes_the_finance_files_and_they_validate(
    client: Client, people, tmp_path: Path
) -> None:
    quarter = make.quarter(2025, 2)
    officer = people["officer"]
    draft = make.draft(make.indicator(owner=officer), quarter, "7", officer, commentary="Noted")
    reading = services.reading_submit(reading=draft, by=officer, expected_version=1)
    services.reading_approve(reading=reading, by=people["team2"], expected_version=2)
    published(quarter, people, **every_kind())
    package = json.loads(body(client.get(reverse("dashboards:open_data_package"))))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["finance-csv"]["path"] == "finance.csv"
    assert resources["finance-json"]["path"] == "finance.json"
    fields = {f["name"]: f["type"] for f in resources["finance-csv"]["schema"]["fields"]}
    assert tuple(fields) == FINANCE_COLUMN_NAMES
    assert fields["current_budget"] == "number" and fields["is_synthetic"] == "boolean"
    assert fields["portfolio"] == "string"
    report = frictionless.validate(str(_copied(tmp_path)))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [1, 1, 4, 4]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("dashboards:open_data_finance_csv", "text/csv; charset=utf-8"),
        ("dashboards:open_data_finance_json", "application/json"),
    ],
)
def test_anyone_gets_the_files(client: Client, name: str, content_type: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["ETag"]


def test_with_nothing_published_the_files_hold_no_rows(client: Client) -> None:
    csv_text = body(client.get(reverse("dashboards:open_data_finance_csv"))).decode("utf-8-sig")
    assert csv_text.strip().split(",") == list(FINANCE_COLUMN_NAMES)
    document = json.loads(body(client.get(reverse("dashboards:open_data_finance_json"))))
    assert document["rows"] == []
    assert [c["name"] for c in document["columns"]] == list(FINANCE_COLUMN_NAMES)


def test_a_release_from_before_the_finance_files_is_built_again(client: Client) -> None:
    old = open_data.open_data_build()
    pointer = {**old.__dict__, "etags": {"readings.csv": old.etags["readings.csv"]}}
    default_storage.delete(open_data.CURRENT)
    default_storage.save(open_data.CURRENT, io.BytesIO(json.dumps(pointer).encode()))
    response = client.get(reverse("dashboards:open_data_finance_csv"))
    assert response.status_code == 200
    release = open_data.release_current()
    assert release is not None and "finance.json" in release.etags


def test_the_page_links_the_finance_files(client: Client) -> None:
    page = client.get(reverse("dashboards:open_data")).content.decode()
    assert reverse("dashboards:open_data_finance_csv") in page
    assert reverse("dashboards:open_data_finance_json") in page
    assert "published with the quarter" in page and "synthetic" in page


def _copied(tmp_path: Path) -> Path:
    """The current release's files copied to a folder, as someone downloading them has."""
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
    return folder / "datapackage.json"
