"""The completion page and its read (measures/completion.py): per lead portfolio, returns due,
entered, submitted, approved, returned and missing with their shares and a total, who owes
what, and the chase; counted in the database in a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import ScheduledEmail
from core.roles import Role
from measures.completion import completion_for, percent_of, publish_summary
from measures.services import reading_approve, reading_return, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db
COMPLETION = reverse("measures:completion")
REMIND = reverse("measures:completion_remind")


def _spread(period, officer, team, how_many: int) -> None:
    """In each of two portfolios: `how_many` missing, one draft, one submitted, one approved
    and one returned, plus an annual indicator that is not due in a quarter."""
    for slug in ("economy", "parks"):
        portfolio = make.portfolio(slug)
        for _ in range(how_many):
            make.indicator(owner=officer, lead_portfolio=portfolio)
        make.draft(make.indicator(owner=officer, lead_portfolio=portfolio), period, "1", officer)
        submitted = make.draft(
            make.indicator(owner=officer, lead_portfolio=portfolio), period, "2", officer
        )
        reading_submit(reading=submitted, by=officer, expected_version=1)
        approved = make.draft(
            make.indicator(owner=officer, lead_portfolio=portfolio), period, "3", officer
        )
        reading_submit(reading=approved, by=officer, expected_version=1)
        reading_approve(reading=approved, by=team, expected_version=2)
        returned = make.draft(
            make.indicator(owner=officer, lead_portfolio=portfolio), period, "4", officer
        )
        reading_submit(reading=returned, by=officer, expected_version=1)
        reading_return(reading=returned, by=team, expected_version=2, note="Check the source")
        make.indicator(owner=officer, lead_portfolio=portfolio, frequency="annual")


def _rows(period) -> dict:
    return {
        (r.portfolio.slug if r.portfolio else None): r for r in completion_for(period=period).rows
    }


def test_each_portfolio_counts_returned_apart_from_entered_and_lists_what_is_owed() -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER, "olivia"), make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=2)
    no_lead = make.indicator(owner=None, lead_portfolio=None)
    rows = _rows(period)
    assert set(rows) == {"economy", "parks", None}
    for slug in ("economy", "parks"):
        row = rows[slug]
        counts = (row.due, row.entered, row.submitted, row.approved, row.returned, row.missing)
        assert counts == (6, 3, 2, 1, 1, 2)
        assert [(s.label, s.number, s.percent) for s in row.shares] == [
            ("Entered", 3, 50),
            ("Submitted", 2, 33),
            ("Approved", 1, 17),
            ("Returned", 1, 17),
            ("Missing", 2, 33),
        ]
        owed = {i.code: (i.reading_status, i.return_note) for i in row.owed}
        assert sorted(owed.values(), key=lambda owing: owing[0] or "") == [
            (None, None),
            (None, None),
            ("returned", "Check the source"),
        ]
        assert all(i.lead_portfolio == row.portfolio and i.owner == officer for i in row.owed)
    assert [i.code for i in rows[None].owed] == [no_lead.code]
    total = completion_for(period=period).total
    assert (total.due, total.entered, total.returned, total.missing) == (13, 6, 2, 5)
    assert len(total.owed) == 7


def test_a_percentage_is_0_or_100_only_when_it_is_exactly() -> None:
    assert [percent_of(0, 200), percent_of(1, 200), percent_of(199, 200), percent_of(200, 200)] == [
        0,
        1,
        99,
        100,
    ]
    assert percent_of(3, 0) == 0


def test_the_count_of_queries_does_not_grow_with_the_indicators() -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=1)
    with CaptureQueriesContext(connection) as few:
        completion_for(period=period)
    _spread(period, officer, team, how_many=6)
    with CaptureQueriesContext(connection) as many:
        result = completion_for(period=period)
    assert result.total.due == 2 * ((1 + 4) + (6 + 4))
    # The plans (which indicators the period's plan is judged by), the counts, the portfolios,
    # the owed; the plans again and the milestones owed (no milestone here, so no owners).
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_the_page_shows_totals_percentages_and_each_owed_return_by_code_name_and_owner(
    client: Client,
) -> None:
    period = make.quarter()
    officer = make.user(Role.OFFICER, "olivia")
    officer.first_name, officer.last_name = "Olivia", "Owen"
    officer.save()
    team = make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=1)
    client.force_login(team)
    page = client.get(COMPLETION, {"period": period.code}).content.decode()
    assert "All portfolios" in page
    assert '2 <span class="govuk-!-font-size-16">(20%)</span>' in page  # returned, in total
    owed = completion_for(period=period).total.owed
    for indicator in owed:
        assert f'<td class="govuk-table__cell">{indicator.code}</td>' in page
        assert f'<td class="govuk-table__cell">{indicator.title}</td>' in page
    assert page.count("Olivia Owen") == len(owed) == 4
    assert page.count(">Returned</strong> Check the source") == 2
    assert page.count("Send a reminder now") == 3  # everyone, and each of two portfolios


def test_the_page_answers_in_the_same_number_of_queries_however_many_indicators(
    client: Client,
) -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    client.force_login(team)
    _spread(period, officer, team, how_many=1)
    client.get(COMPLETION, {"period": period.code})  # the session, warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(COMPLETION, {"period": period.code}).status_code == 200
    _spread(period, officer, team, how_many=8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(COMPLETION, {"period": period.code}).content.decode()
    assert page.count("Send a reminder now") == 3
    assert len(many.captured_queries) == len(few.captured_queries) <= 14


def test_a_chase_emails_each_owner_once_a_day_and_the_page_says_so(client: Client) -> None:
    period = make.quarter()
    olivia, dan = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    team = make.user(Role.PERFORMANCE_TEAM)
    owed = make.indicator(owner=olivia, lead_portfolio=make.portfolio("economy"))
    make.indicator(owner=dan, lead_portfolio=make.portfolio("parks"))
    client.force_login(team)
    data = {"period": period.code, "portfolio": "economy"}
    response = client.post(REMIND, data, follow=True)
    assert response.redirect_chain[-1][0] == f"{COMPLETION}?period={period.code}"
    assert "Reminder sent to 1 person." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[olivia.email]]
    assert f"- {owed.code} {owed.title}: not entered yet" in mail.outbox[0].body
    assert (
        "Already reminded today: olivia." in client.post(REMIND, data, follow=True).content.decode()
    )
    everyone = client.post(REMIND, {**data, "portfolio": "all"}, follow=True).content.decode()
    assert (
        "Reminder sent to 1 person." in everyone and "Already reminded today: olivia." in everyone
    )
    assert sorted(m.to[0] for m in mail.outbox) == [dan.email, olivia.email]
    assert ScheduledEmail.objects.filter(kind="returns-chase", about=period.code).count() == 2


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COUNCILLOR])
def test_only_the_performance_team_can_chase(client: Client, role: Role) -> None:
    period = make.quarter()
    make.indicator(owner=make.user(Role.OFFICER))
    client.force_login(make.user(role))
    response = client.post(REMIND, {"period": period.code, "portfolio": "all"})
    assert response.status_code == 403
    assert mail.outbox == [] and not ScheduledEmail.objects.exists()


def test_a_chase_is_post_only_and_refuses_a_period_that_is_not_open(client: Client) -> None:
    period = make.quarter(state="closed")
    make.indicator(owner=make.user(Role.OFFICER))
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    assert client.get(REMIND, {"period": period.code, "portfolio": "all"}).status_code == 405
    page = client.post(REMIND, {"period": period.code, "portfolio": "all"}, follow=True)
    assert "2025/26 Q2 is closed: officers can enter returns only in an open period" in (
        page.content.decode()
    )
    assert client.post(REMIND, {"period": period.code, "portfolio": "nowhere"}).status_code == 404
    assert mail.outbox == [] and not ScheduledEmail.objects.exists()


def test_the_publish_summary_counts_what_becomes_public_and_what_stays_behind() -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=1)
    hidden = make.indicator(owner=officer, is_public=False)
    reading = reading_submit(
        reading=make.draft(hidden, period, "9", officer), by=officer, expected_version=1
    )
    reading_approve(reading=reading, by=team, expected_version=2)
    summary = publish_summary(period=period)
    assert (summary.approved, summary.indicators, summary.portfolios) == (3, 3, 2)
    assert (summary.public, summary.not_public) == (2, 1)
    assert len(summary.no_data) == 2 * 4  # missing, draft, submitted, returned in each
    assert (
        sorted(r.status for r in summary.held_back)
        == ["draft"] * 2 + ["returned"] * 2 + ["submitted"] * 2
    )
    assert summary.awaiting_approval == 2


def test_a_skipped_period_is_offered_in_the_picker_and_warned_about(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2025, 11, 15))
    skipped, later = make.quarter(2025, 1, state="not_open"), make.quarter(2025, 2)
    make.quarter(2025, 3, state="not_open")  # not ended on 15 November 2025: not offered
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    page = client.get(COMPLETION).content.decode()
    assert f'<option value="{skipped.code}">2025/26 Q1</option>' in page
    assert f'<option value="{later.code}" selected>' in page
    assert "2025-26-Q3" not in page
    page = client.get(COMPLETION, {"period": skipped.code}).content.decode()
    assert "2025/26 Q1 ended on 30 June 2025 and was never opened" in page
    assert "Send a reminder now" not in page  # not open: no one could enter a return


def test_an_unknown_period_is_not_found(client: Client) -> None:
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    assert client.get(COMPLETION, {"period": "1999-00-Q9"}).status_code == 404
