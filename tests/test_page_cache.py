"""Anonymous pages are cached whole, keyed on the data version: a repeat visit is one query (the
version), a browser that has the page gets 304, and a published change is on the next
request. These tests commit, as a server does (so the version is bumped after each write), and
use a real cache."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from measures import services
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _a_real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published():
    """A public indicator with a published reading of 41 in 2025/26 Q1."""
    officer = make.user(Role.OFFICER)
    team, team2 = make.user(Role.PERFORMANCE_TEAM), make.user(Role.PERFORMANCE_TEAM)
    quarter = make.quarter(2025, 1)
    indicator = make.indicator(owner=officer, title="Homes built")
    reading = services.reading_submit(
        reading=make.draft(indicator, quarter, "41", officer, commentary="Steady"),
        by=officer,
        expected_version=1,
    )
    services.reading_approve(reading=reading, by=team2, expected_version=2)
    services.period_close(period=quarter, by=team)
    services.period_publish(period=quarter, by=team)
    return {"officer": officer, "team": team, "team2": team2, "indicator": indicator}


def test_a_repeat_visit_is_served_from_the_cache_with_one_query(client: Client, published) -> None:
    url = reverse("dashboards:plan")
    first = client.get(url)
    assert first.status_code == 200 and "41" in first.content.decode()
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.content == first.content
    assert len(again.captured_queries) == 1  # the data version, nothing else
    assert second["ETag"] == first["ETag"] and second["Cache-Control"] == "public, no-cache"
    assert second["Last-Modified"]


def test_a_browser_that_has_the_page_gets_304_and_no_body(client: Client, published) -> None:
    url = published["indicator"].get_absolute_url()
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_a_published_change_is_on_the_next_request(client: Client, published) -> None:
    url = reverse("dashboards:plan")
    before = client.get(url)
    quarter = make.quarter(2025, 2)
    officer, team, team2 = published["officer"], published["team"], published["team2"]
    quarter.state = "open"
    quarter.save()
    reading = services.reading_submit(
        reading=make.draft(published["indicator"], quarter, "57", officer, commentary="Up"),
        by=officer,
        expected_version=1,
    )
    services.reading_approve(reading=reading, by=team2, expected_version=2)
    services.period_close(period=quarter, by=team)
    services.period_publish(period=quarter, by=team)
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    # The value as its table cell shows it (an indicator's code may hold the digits too).
    cell = re.compile(r">\s*57\s*<")
    assert cell.search(after.content.decode()) and not cell.search(before.content.decode())
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_signed_in_people_are_never_served_a_cached_page(client: Client, published) -> None:
    url = reverse("dashboards:plan")
    client.get(url)  # cached for the public
    member = Client()
    member.force_login(make.user(Role.COUNCILLOR))
    with CaptureQueriesContext(connection) as queries:
        response = member.get(url)
    assert len(queries.captured_queries) > 3  # built for them
    assert "no-store" in response["Cache-Control"] and not response.has_header("ETag")


def test_an_edit_made_in_the_admin_or_the_shell_is_on_the_next_request_too(
    client: Client, published
) -> None:
    from ambitions.models import Ambition

    block = Ambition.objects.get()
    url = block.get_absolute_url()
    assert "Renamed block" not in client.get(url).content.decode()
    block.title = "Renamed block"
    block.save()  # no service: the model's own save, as the admin does it
    assert "Renamed block" in client.get(url).content.decode()


def test_members_share_the_dashboard_built_once_per_version_and_see_changes(
    published,
) -> None:
    url = reverse("dashboards:plan")
    first, second = Client(), Client()
    first.force_login(make.user(Role.COUNCILLOR))
    second.force_login(make.user(Role.SCRUTINY_MEMBER))
    with CaptureQueriesContext(connection) as built:
        page = first.get(url).content.decode()
    with CaptureQueriesContext(connection) as shared:
        again = second.get(url).content.decode()
    assert len(shared.captured_queries) < len(built.captured_queries) - 5
    assert "41" in page and page.split('id="indicators"')[1] == again.split('id="indicators"')[1]
    quarter = make.quarter(2025, 2)
    quarter.state = "open"
    quarter.save()
    reading = services.reading_submit(
        reading=make.draft(published["indicator"], quarter, "876543", published["officer"]),
        by=published["officer"],
        expected_version=1,
    )
    services.reading_approve(reading=reading, by=published["team2"], expected_version=2)
    # Approved, not published: members see it on their next request; the public does not.
    assert "876,543" in second.get(url, {"period": "2025-26-Q2"}).content.decode()
    assert "876,543" not in Client().get(url, {"period": "2025-26-Q2"}).content.decode()


def test_an_officer_never_gets_a_fragment_built_for_someone_who_sees_other_figures(
    published,
) -> None:
    quarter = make.quarter(2025, 2)
    quarter.state = "open"
    quarter.save()
    make.draft(published["indicator"], quarter, "765432", published["officer"])  # a draft
    url = reverse("dashboards:plan") + "?period=2025-26-Q2"
    councillor, officer = Client(), Client()
    councillor.force_login(make.user(Role.COUNCILLOR))
    officer.force_login(published["officer"])
    assert "765,432" not in councillor.get(url).content.decode()  # cached for members
    assert "765,432" in officer.get(url).content.decode()  # their own draft
    assert "765,432" not in councillor.get(url).content.decode()


def test_a_days_pages_are_not_served_the_next_day(client: Client, published, monkeypatch) -> None:
    """Pages say what is overdue, so tomorrow's visitor gets a page built tomorrow even though
    no figure changed."""
    import datetime

    from core import pagecache

    url = reverse("dashboards:plan")
    today = client.get(url)

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            real = datetime.date.today() + datetime.timedelta(days=1)
            return cls(real.year, real.month, real.day)

    monkeypatch.setattr(pagecache, "date", Tomorrow)
    with CaptureQueriesContext(connection) as queries:
        tomorrow = client.get(url)
    assert len(queries.captured_queries) > 1  # built again, not served from the cache
    assert tomorrow["ETag"] != today["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=today["ETag"]).status_code == 200


def test_a_database_restored_to_an_earlier_version_number_is_not_served_old_pages(
    client: Client, published
) -> None:
    """A restore from a backup (or a flush) counts the versions again from an earlier number:
    the pages cached for that number before belong to other data and must not be served."""
    from core.models import DataVersion

    url = reverse("dashboards:plan")
    before = client.get(url)
    row = DataVersion.objects.get()
    make.indicator(title="Parks improved")  # other data, then the version row as a restore left it
    DataVersion.objects.filter(pk=row.pk).update(
        version=row.version, changed_at=row.changed_at.replace(year=row.changed_at.year + 1)
    )
    after = client.get(url)
    assert "Parks improved" in after.content.decode()
    assert after["ETag"] != before["ETag"]
