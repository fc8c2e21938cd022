"""The periods page and its moves: only ended periods open with one click, an early opening
needs a reason (kept and shown), skipped periods are warned about, and closing and publishing
are confirmed on a page that says what will happen."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.roles import Role
from measures.models import Reading, ReportingPeriod
from measures.periods import periods_skipped
from measures.services import period_close, period_open, reading_approve, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 15)  # 2025/26 Q2 (July to September) has ended; Q3 has not
PERIODS = reverse("measures:periods")


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page and service here reads the same fixed day."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


@pytest.fixture
def team(client: Client):
    person = make.user(Role.PERFORMANCE_TEAM, "priya")
    person.first_name, person.last_name = "Priya", "Patel"
    person.save()
    client.force_login(person)
    return person


def move(period: ReportingPeriod, name: str) -> str:
    return reverse("measures:period_move", args=[period.code, name])


def test_a_period_that_has_not_ended_opens_only_with_a_reason(team) -> None:
    period = make.quarter(2025, 3, state="not_open")
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="2025/26 Q3 does not end until 31 December 2025"):
            period_open(period=period, by=team, reason=blank, today=TODAY)
    period.refresh_from_db()
    assert (period.state, period.opened_by, period.opened_at) == ("not_open", None, None)
    opened = period_open(period=period, by=team, reason=" Year-end data is ready ", today=TODAY)
    opened.refresh_from_db()
    assert (opened.state, opened.opened_by) == ("open", team)
    assert opened.opened_early_reason == "Year-end data is ready"
    assert opened.opened_at is not None


def test_an_ended_period_opens_without_a_reason_and_records_who_opened_it(team) -> None:
    period = make.quarter(2025, 2, state="not_open")
    opened = period_open(period=period, by=team, reason="ignored", today=TODAY)
    opened.refresh_from_db()
    assert (opened.state, opened.opened_by, opened.opened_early_reason) == ("open", team, "")
    assert period_open(period=make.quarter(2025, 1, state="closed"), by=team).state == "open"


def test_the_reason_is_asked_only_of_the_performance_team() -> None:
    officer = make.user(Role.OFFICER)
    with pytest.raises(PermissionDenied):
        period_open(period=make.quarter(2025, 3, state="not_open"), by=officer, today=TODAY)


def test_skipped_periods_are_those_ended_and_never_opened_while_a_later_one_was() -> None:
    q1, q2 = make.quarter(2025, 1, state="not_open"), make.quarter(2025, 2, state="not_open")
    q3 = make.quarter(2025, 3, state="not_open")
    year = make.year(2024, state="not_open")
    every = list(ReportingPeriod.objects.all())
    assert periods_skipped(every, TODAY) == []  # nothing later has been opened
    q3.state = "open"
    assert periods_skipped([q1, q2, q3, year], TODAY) == [q2, q1, year]
    assert periods_skipped([q1, q2, q3, year], date(2025, 9, 30)) == [q1, year]  # Q2 not ended


def test_the_page_offers_open_only_for_ended_periods_and_open_early_for_the_rest(
    client: Client, team
) -> None:
    ended, running = make.quarter(2025, 2, state="not_open"), make.quarter(2025, 3, "not_open")
    page = client.get(PERIODS).content.decode()
    assert f'value="{ended.code}"' in page
    assert f'value="{running.code}"' not in page  # no one-click Open for a running quarter
    assert f'href="{move(running, "open")}">Open early' in page
    response = client.post(PERIODS, {"period": running.code, "action": "open"}, follow=True)
    assert "2025/26 Q3 does not end until 31 December 2025" in response.content.decode()
    running.refresh_from_db()
    assert running.state == "not_open"


def test_opening_early_asks_why_and_then_shows_the_reason_on_the_page(client: Client, team) -> None:
    period = make.quarter(2025, 3, state="not_open")
    page = client.get(move(period, "open")).content.decode()
    assert '<label class="govuk-label govuk-label--xl" for="reason">' in page
    refused = client.post(move(period, "open"), {"reason": "  "})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "There is a problem" in text and '<a href="#reason">' in text
    assert "govuk-textarea--error" in text
    period.refresh_from_db()
    assert period.state == "not_open"
    done = client.post(move(period, "open"), {"reason": "Cabinet meets early"}, follow=True)
    assert done.redirect_chain[-1][0] == PERIODS
    assert "by Priya Patel: Cabinet meets early" in done.content.decode()
    period.refresh_from_db()
    assert (period.state, period.opened_early_reason) == ("open", "Cabinet meets early")


def test_the_page_warns_of_a_quarter_that_ended_and_was_never_opened(client: Client, team) -> None:
    make.quarter(2025, 1, state="not_open")
    assert "was never opened" not in client.get(PERIODS).content.decode()
    make.quarter(2025, 2, state="open")
    page = client.get(PERIODS).content.decode()
    assert "2025/26 Q1 ended on 30 June 2025 and was never opened" in page
    assert "Skipped" in page


def test_close_is_confirmed_before_anything_changes(client: Client, team) -> None:
    period = make.quarter(2025, 2)
    response = client.post(PERIODS, {"period": period.code, "action": "close"})
    assert response.status_code == 302 and response["Location"] == move(period, "close")
    page = client.get(move(period, "close")).content.decode()
    assert "Closing stops officers entering" in page and "Close 2025/26 Q2</button>" in page
    period.refresh_from_db()
    assert period.state == "open"
    assert client.post(move(period, "close")).status_code == 302
    period.refresh_from_db()
    assert (period.state, period.closed_by) == ("closed", team)


def _readings(period: ReportingPeriod, team) -> dict[str, Reading]:
    officer = make.user(Role.OFFICER)
    made = {}
    for name, portfolio, public in [
        ("approved", "economy", True),
        ("also approved", "parks", True),
        ("hidden", "parks", False),
        ("draft", "economy", True),
    ]:
        indicator = make.indicator(
            owner=officer, lead_portfolio=make.portfolio(portfolio), is_public=public, title=name
        )
        reading = make.draft(indicator, period, "7", officer)
        if name != "draft":
            reading = reading_submit(reading=reading, by=officer, expected_version=1)
            reading = reading_approve(reading=reading, by=team, expected_version=2)
        made[name] = reading
    make.indicator(owner=officer, title="never entered")
    return made


def test_publish_is_confirmed_with_what_becomes_public_and_that_it_cannot_be_undone(
    client: Client, team
) -> None:
    period = make.quarter(2025, 2)
    made = _readings(period, team)
    period_close(period=period, by=team)
    response = client.post(PERIODS, {"period": period.code, "action": "publish"})
    assert response["Location"] == move(period, "publish")
    page = client.get(move(period, "publish")).content.decode()
    assert "3 approved readings across 3 indicators in 2 portfolios" in page
    assert "2 of them; the other 1 is of an indicator that is not public" in page
    assert "2 indicators due with no approved reading" in page
    assert f"{made['draft'].indicator.code} draft: draft" in page
    assert "Publishing cannot be undone" in page
    period.refresh_from_db()
    assert period.state == "closed"
    assert client.post(move(period, "publish")).status_code == 302
    period.refresh_from_db()
    assert (period.state, period.published_by) == ("published", team)
    statuses = dict(Reading.objects.values_list("indicator__title", "status"))
    assert statuses == {
        "approved": "published",
        "also approved": "published",
        "hidden": "published",
        "draft": "draft",
    }


def test_publish_is_not_offered_while_a_reading_awaits_approval_and_is_refused(
    client: Client, team
) -> None:
    period = make.quarter(2025, 2)
    officer = make.user(Role.OFFICER)
    waiting = make.draft(make.indicator(owner=officer), period, "5", officer)
    reading_submit(reading=waiting, by=officer, expected_version=1)
    period_close(period=period, by=team)
    page = client.get(move(period, "publish")).content.decode()
    assert "cannot be published yet: 1 reading awaits approval" in page
    assert "Publish 2025/26 Q2</button>" not in page
    refused = client.post(move(period, "publish")).content.decode()
    assert "1 reading(s) for 2025/26 Q2 still await approval" in refused
    period.refresh_from_db()
    waiting.refresh_from_db()
    assert (period.state, period.published_at, waiting.status) == ("closed", None, "submitted")


def test_a_move_in_the_wrong_state_is_refused_with_the_reason(client: Client, team) -> None:
    period = make.quarter(2025, 2)
    page = client.post(move(period, "publish")).content.decode()
    assert "2025/26 Q2 is open: close it before publishing." in page
    period.refresh_from_db()
    assert period.state == "open"


def test_an_unknown_move_or_period_is_not_found(client: Client, team) -> None:
    period = make.quarter(2025, 2)
    assert client.get(move(period, "delete")).status_code == 404
    assert client.get(reverse("measures:period_move", args=["1999-00", "close"])).status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COUNCILLOR])
def test_only_the_performance_team_can_move_a_period(client: Client, role: Role) -> None:
    period = make.quarter(2025, 2)
    client.force_login(make.user(role))
    assert client.get(move(period, "close")).status_code == 403
    assert client.post(move(period, "close")).status_code == 403
    period.refresh_from_db()
    assert period.state == "open"
