"""Anonymous pages are cached whole, keyed on the data version: a repeat visit is one query (the
version), a browser that has the page gets 304, and a published change is on the next
request. These tests commit, as a server does (so the version is bumped after each write), and
use a real cache."""

from __future__ import annotations

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
    assert "57" in after.content.decode() and "57" not in before.content.decode()
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
