"""Milestone updates in completion and reminders: owed, given and missing by block and by
officer, on the page, and every missing update named in the officer's reminder, the chase
and the digest (finished and given ones never)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambitions.models import Ambition, FocusArea, Milestone, Scheme
from core.roles import Role
from measures.completion import completion_for, milestone_completion_for
from measures.models import ReportingPeriod
from measures.reminders import ALL, chase_send, digest_send, reminders_send
from measures.services.milestones import (
    label_of,
    milestone_update_approve,
    milestone_update_return,
    milestone_update_submit,
)
from tests import factories as make

pytestmark = pytest.mark.django_db
COMPLETION = reverse("measures:completion")
REMIND = reverse("measures:completion_remind")


@dataclass
class Mix:
    """A quarter's milestones, one of each kind, and who owes them."""

    period: ReportingPeriod
    olivia: User
    dan: User
    team: User
    none_yet: Milestone
    draft: Milestone
    returned: Milestone
    submitted: Milestone
    approved: Milestone
    led: Milestone  # no owner of its own: the scheme's lead officer (dan) owes it
    unowned: Milestone
    other_block: Milestone
    done_in_plan: Milestone
    finished_before: Milestone


def _submit(milestone: Milestone, period: ReportingPeriod, by: User):
    update = make.milestone_draft(milestone, period, by)
    return milestone_update_submit(update=update, by=by, expected_version=update.version)


def _in_second_block(owner: User) -> Milestone:
    first = make.impact_measure().ambition
    block = Ambition.objects.create(
        plan=first.plan, slug="a2", code="A2", kind=first.kind, number=2, title="Homes", position=2
    )
    area = FocusArea.objects.create(ambition=block, code="A2.F1", title="Build", position=1)
    scheme = Scheme.objects.create(focus_area=area, slug="weir-mill", name="Weir Mill", position=1)
    return Milestone.objects.create(
        scheme=scheme, title="Scheme complete", due="2026", position=1, owner=owner
    )


@pytest.fixture
def mix() -> Mix:
    q1, period = make.quarter(2025, 1), make.quarter(2025, 2)
    olivia, dan = make.user(Role.OFFICER, "olivia"), make.user(Role.OFFICER, "dan")
    team, team2 = make.user(Role.PERFORMANCE_TEAM, "priya"), make.user(Role.PERFORMANCE_TEAM)
    none_yet = make.milestone(owner=olivia, title="Planning granted")
    draft = make.milestone(owner=olivia, title="Site cleared")
    make.milestone_draft(draft, period, olivia)
    returned = make.milestone(owner=olivia, title="Contract let")
    update = _submit(returned, period, olivia)
    milestone_update_return(update=update, by=team, note="Which contractor?", expected_version=2)
    submitted = make.milestone(owner=olivia, title="Frame up")
    _submit(submitted, period, olivia)
    approved = make.milestone(owner=olivia, title="Roof on")
    update = _submit(approved, period, olivia)
    milestone_update_approve(update=update, by=team2, expected_version=2)
    led = make.milestone(owner=None, scheme_owner=dan, title="Tenants in")
    unowned = make.milestone(owner=None, title="Opened")
    other_block = _in_second_block(olivia)
    done_in_plan = make.milestone(owner=olivia, title="Land bought", status="complete")
    finished_before = make.milestone(owner=olivia, title="Survey done")
    early = make.milestone_draft(finished_before, q1, olivia, "complete")
    early = milestone_update_submit(update=early, by=olivia, expected_version=1)
    milestone_update_approve(update=early, by=team2, expected_version=2)
    q1.state = ReportingPeriod.State.CLOSED  # only the quarter chased is open
    q1.save()
    return Mix(
        period,
        olivia,
        dan,
        team,
        none_yet,
        draft,
        returned,
        submitted,
        approved,
        led,
        unowned,
        other_block,
        done_in_plan,
        finished_before,
    )


def test_completion_counts_owed_given_and_missing_by_block_and_by_officer(mix: Mix) -> None:
    result = milestone_completion_for(period=mix.period)
    # Owed: every milestone but the one complete in the plan and the one an approved Q1
    # update finished. Given: submitted and approved. Missing: none yet, draft, returned.
    total = result.total
    assert (total.owed, total.given, len(total.missing)) == (8, 2, 6)
    assert [(s.label, s.number, s.percent) for s in total.shares] == [
        ("Given", 2, 25),
        ("Missing", 6, 75),
    ]
    assert {u.milestone for u in total.missing} == {
        mix.none_yet,
        mix.draft,
        mix.returned,
        mix.led,
        mix.unowned,
        mix.other_block,
    }
    blocks = {t.name: (t.owed, t.given, len(t.missing)) for t in result.by_block}
    assert blocks == {"A1": (7, 2, 5), "Ambition 2: Homes": (1, 0, 1)}
    officers = [(t.name, t.owed, t.given, len(t.missing)) for t in result.by_officer]
    assert officers == [("dan", 1, 0, 1), ("olivia", 6, 2, 4), ("No owner yet", 1, 0, 1)]
    why = {u.milestone: (u.status, u.return_note) for u in total.missing}
    assert why[mix.returned] == ("returned", "Which contractor?")
    assert why[mix.draft] == ("draft", "")
    assert why[mix.none_yet] == (None, "")
    assert completion_for(period=mix.period).milestones.total.owed == 8


def test_a_year_period_owes_no_milestone_updates(mix: Mix) -> None:
    result = milestone_completion_for(period=make.year(2025))
    assert (result.total.owed, result.by_block, result.by_officer) == (0, [], [])


def test_the_count_of_queries_does_not_grow_with_the_milestones(mix: Mix) -> None:
    with CaptureQueriesContext(connection) as few:
        milestone_completion_for(period=mix.period)
    for _ in range(6):
        make.milestone(owner=make.user(Role.OFFICER))
    with CaptureQueriesContext(connection) as many:
        result = milestone_completion_for(period=mix.period)
    assert result.total.owed == 14
    # The plans, the milestones with this period's updates, the owners.
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_the_page_shows_the_counts_and_each_missing_update_by_name_owner_and_why(
    client: Client, mix: Mix
) -> None:
    client.force_login(mix.team)
    page = client.get(COMPLETION, {"period": mix.period.code}).content.decode()
    by_block = _table(page, "milestones-by-block")
    assert "Ambition 2: Homes" in by_block and "All blocks" in by_block
    assert '2 <span class="govuk-!-font-size-16">(25%)</span>' in by_block  # given, in total
    by_officer = _table(page, "milestones-by-officer")
    assert "olivia" in by_officer and "No owner yet" in by_officer
    owed = _table(page, "milestones-owed")
    for milestone in (mix.none_yet, mix.draft, mix.returned, mix.led, mix.unowned):
        assert f'<td class="govuk-table__cell">{milestone.title}</td>' in owed
    for milestone in (mix.submitted, mix.approved, mix.done_in_plan, mix.finished_before):
        assert milestone.title not in owed
    assert ">Returned</strong> Which contractor?" in owed
    assert ">Draft</strong> not submitted" in owed
    assert "Send a reminder now to everyone who owes a return" in page


def _table(page: str, id_: str) -> str:
    start = page.index(f'id="{id_}"')
    return page[start : page.index("</table>", start)]


def test_the_reminder_names_each_missing_milestone_update_and_not_the_given_ones(
    mix: Mix,
) -> None:
    assert reminders_send(today=mix.period.deadline - timedelta(days=3)) == 2  # olivia, dan
    message = next(m for m in mail.outbox if m.to == [mix.olivia.email])
    assert message.subject == (
        f"Reminder: 4 milestone update(s) for {mix.period} due {mix.period.deadline:%d %B %Y}"
    )
    for milestone in (mix.none_yet, mix.draft, mix.returned, mix.other_block):
        assert f"- {label_of(milestone)}" in message.body
    for milestone in (mix.submitted, mix.approved, mix.done_in_plan, mix.finished_before):
        assert milestone.title not in message.body
    his = next(m for m in mail.outbox if m.to == [mix.dan.email])
    assert f"- {label_of(mix.led)}" in his.body and mix.none_yet.title not in his.body
    mail.outbox.clear()
    reminders_send(today=mix.period.deadline + timedelta(days=1))  # the daily chase
    overdue = next(m for m in mail.outbox if m.to == [mix.olivia.email])
    assert overdue.subject == f"Overdue: 4 milestone update(s) for {mix.period}"


def test_returns_and_milestone_updates_come_in_one_email_and_delegates_get_it_too(
    mix: Mix,
) -> None:
    indicator = make.indicator(owner=mix.olivia, title="Homes delivered")
    delegate = make.user(Role.OFFICER, "sam")
    mix.none_yet.scheme.delegates.add(delegate)
    reminders_send(today=mix.period.deadline)
    hers = [m for m in mail.outbox if m.to == [mix.olivia.email]]
    assert len(hers) == 1
    assert hers[0].subject.startswith("Reminder: 1 return(s) and 4 milestone update(s)")
    assert f"- {indicator.code} Homes delivered" in hers[0].body
    assert f"- {label_of(mix.none_yet)}" in hers[0].body
    sams = next(m for m in mail.outbox if m.to == [delegate.email])
    assert f"- {label_of(mix.none_yet)}" in sams.body and indicator.code not in sams.body


def test_the_chase_lists_returns_and_milestone_updates_with_why_each_is_owed(mix: Mix) -> None:
    indicator = make.indicator(owner=mix.olivia, title="Homes delivered")
    chased = chase_send(period=mix.period, portfolio=ALL, by=mix.team, today=mix.period.deadline)
    assert [p.username for p in chased.sent] == ["dan", "olivia"]  # dan owes milestones only
    assert chased.unowned_milestones == (mix.unowned,)
    body = next(m.body for m in mail.outbox if m.to == [mix.olivia.email])
    assert "asks you for these returns and milestone updates" in body
    assert f"- {indicator.code} Homes delivered: not entered yet" in body
    assert f"- {label_of(mix.none_yet)}: not given yet" in body
    assert f"- {label_of(mix.draft)}: a draft, not submitted yet" in body
    assert f"- {label_of(mix.returned)}: returned to you (Which contractor?)" in body
    assert mix.submitted.title not in body and mix.approved.title not in body
    subject = next(m.subject for m in mail.outbox if m.to == [mix.olivia.email])
    assert subject == f"Please send your 1 return(s) and 4 milestone update(s) for {mix.period}"


def test_a_chase_of_one_portfolio_adds_the_persons_milestones_but_reaches_no_one_else(
    mix: Mix,
) -> None:
    economy = make.portfolio("economy")
    make.indicator(owner=mix.olivia, lead_portfolio=economy)
    chased = chase_send(
        period=mix.period, portfolio=economy, by=mix.team, today=mix.period.deadline
    )
    assert [p.username for p in chased.sent] == ["olivia"]  # not dan: he owes no return there
    assert chased.unowned_milestones == ()
    assert f"- {label_of(mix.returned)}" in mail.outbox[0].body


def test_the_page_names_a_milestone_no_one_could_be_reminded_of(client: Client, mix: Mix) -> None:
    client.force_login(mix.team)
    page = client.post(
        REMIND, {"period": mix.period.code, "portfolio": "all"}, follow=True
    ).content.decode()
    assert "Reminder sent to 2 people." in page
    assert f"No one gives the update for {label_of(mix.unowned)}, so no one was reminded" in page


def test_the_digest_counts_missing_milestone_updates_and_whose_they_are(mix: Mix) -> None:
    assert digest_send(today=mix.period.deadline) == 2  # each of the team
    body = next(m.body for m in mail.outbox if m.to == [mix.team.email])
    assert f"{mix.period} (deadline" in body
    assert "0 return(s) and 5 milestone update(s) missing" in body
    assert f"  - olivia: milestones: {label_of(mix.none_yet)}" in body


def test_nothing_owed_when_every_milestone_is_given_or_finished() -> None:
    period = make.quarter()
    officer = make.user(Role.OFFICER)
    _submit(make.milestone(owner=officer), period, officer)
    make.milestone(owner=officer, status="complete")
    assert reminders_send(today=period.deadline) == 0
    result = milestone_completion_for(period=period)
    assert (result.total.owed, result.total.given, result.total.missing) == (1, 1, [])
