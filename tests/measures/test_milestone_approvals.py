"""Milestone updates on the approval queue: what each row shows, approving and returning
through the page (all or none), the four-eyes rule and a stale page refused beside the row,
and the period pages counting updates that still await approval."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambitions.models import Milestone
from core.roles import Role
from measures.models import MilestoneUpdate, MilestoneUpdateEvent, ReportingPeriod
from measures.services.milestones import milestone_update_return, milestone_update_submit
from tests import factories as make

pytestmark = pytest.mark.django_db
QUEUE = reverse("measures:approvals")


@pytest.fixture
def officer() -> User:
    return make.user(Role.OFFICER, "olivia")


@pytest.fixture
def team(client: Client) -> User:
    person = make.user(Role.PERFORMANCE_TEAM, "priya")
    client.force_login(person)
    return person


@pytest.fixture
def period() -> ReportingPeriod:
    return make.quarter(2025, 2)


def submitted(
    milestone: Milestone, period: ReportingPeriod, by: User, status: str = "on_track", **extra: Any
) -> MilestoneUpdate:
    update = make.milestone_draft(milestone, period, by, status, **extra)
    return milestone_update_submit(update=update, by=by, expected_version=update.version)


def decide(client: Client, updates: list[MilestoneUpdate], action: str, **fields: str) -> Any:
    """Post the milestone form as the page sends it: the ticks, each version, the action."""
    data: dict[str, Any] = {
        "queue": "milestones",
        "milestone_update": [u.pk for u in updates],
        "action": action,
        "milestones-note": "",
        **{f"milestone-version-{u.pk}": str(u.version) for u in updates},
    }
    data.update(fields)
    return client.post(QUEUE, data)


def row_of(page: str, update: MilestoneUpdate) -> str:
    start = page.index(f'id="milestone-row-{update.pk}"')
    return page[start : page.index("</tr>", start)]


def test_each_row_shows_status_dates_with_the_proposed_one_notes_and_who_submitted(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(owner=officer, due_date=date(2025, 9, 30))
    update = submitted(
        milestone,
        period,
        officer,
        "slipped",
        revised_date=date(2026, 3, 31),
        progress_note="Steel frame delayed",
        reason="Contractor went into administration",
        corrective_action="New contractor appointed",
    )
    draft = make.milestone_draft(make.milestone(owner=officer), period, officer)
    page = client.get(QUEUE).content.decode()
    assert "1 submitted milestone update" in page
    row = row_of(page, update)
    assert f"{milestone.scheme.name}</strong>: {milestone.title}" in row
    assert ">Slipped</strong>" in row
    assert "Due September 2025, revised to March 2026 (once)" in row
    assert "<strong>Proposed date:</strong> March 2026" in row
    assert "Steel frame delayed" in row
    assert "Contractor went into administration" in row and "New contractor appointed" in row
    assert "Submitted by olivia" in row and str(period) in row
    assert f'id="milestone-row-{draft.pk}"' not in page


def test_approving_through_the_page_approves_only_the_ticked_and_records_who(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    chosen = submitted(make.milestone(owner=officer), period, officer)
    left = submitted(make.milestone(owner=officer), period, officer)
    response = decide(client, [chosen], "approve")
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert dict(MilestoneUpdate.objects.values_list("pk", "status")) == {
        chosen.pk: "approved",
        left.pk: "submitted",
    }
    event = MilestoneUpdateEvent.objects.filter(update=chosen).last()
    assert event is not None
    assert (event.action, event.by, event.version) == ("approved", team, 3)
    assert event.changes == {"status": ["submitted", "approved"]}
    page = client.get(QUEUE).content.decode()
    assert "1 milestone update(s) approved." in page
    assert f'id="milestone-row-{chosen.pk}"' not in page
    assert f'id="milestone-row-{left.pk}"' in page


def test_each_returned_update_gets_its_own_note_or_else_the_shared_one(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    first = submitted(make.milestone(owner=officer), period, officer)
    second = submitted(make.milestone(owner=officer), period, officer)
    response = decide(
        client,
        [first, second],
        "return",
        **{f"milestone-note-{first.pk}": "Which phase?", "milestones-note": "Add the date"},
    )
    assert response.status_code == 302
    assert sorted(MilestoneUpdate.objects.values_list("pk", "status", "return_note")) == [
        (first.pk, "returned", "Which phase?"),
        (second.pk, "returned", "Add the date"),
    ]
    notes = dict(
        MilestoneUpdateEvent.objects.filter(action="returned").values_list("update", "note")
    )
    assert notes == {first.pk: "Which phase?", second.pk: "Add the date"}


def test_a_return_without_a_note_is_refused_at_its_row_and_nothing_changes(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    noted = submitted(make.milestone(owner=officer), period, officer)
    bare = submitted(make.milestone(owner=officer), period, officer)
    response = decide(
        client, [noted, bare], "return", **{f"milestone-note-{noted.pk}": "Which phase?"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem: nothing was changed" in page
    assert f'href="#milestone-note-{bare.pk}"' in page
    assert "Say what the officer needs to change" in row_of(page, bare)
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {"submitted"}
    assert f'value="{noted.pk}" checked' in page and f'value="{bare.pk}" checked' in page
    assert ">Which phase?</textarea>" in row_of(page, noted)


@pytest.mark.parametrize("how", ["submitted", "wrote"])
def test_four_eyes_a_team_member_who_wrote_or_submitted_an_update_is_refused_on_the_page(
    client: Client, team: User, officer: User, period: ReportingPeriod, how: str
) -> None:
    milestone = make.milestone(owner=officer)
    if how == "submitted":  # the team member entered it and sent it themselves
        theirs = submitted(milestone, period, team)
        message = "You submitted this update, so someone else in the performance team"
    else:  # they changed the officer's draft, which the officer then submitted
        make.milestone_draft(milestone, period, officer)
        make.milestone_draft(milestone, period, team, progress_note="Corrected by the team")
        theirs = milestone_update_submit(
            update=MilestoneUpdate.objects.get(milestone=milestone),
            by=officer,
            expected_version=2,
        )
        message = "You wrote or changed this update, so someone else in the performance team"
    fine = submitted(make.milestone(owner=officer), period, officer)
    response = decide(client, [theirs, fine], "approve")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in row_of(page, theirs)
    assert f'href="#milestone-update-{theirs.pk}"' in page
    # All or none: the one they could approve is not approved either.
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {"submitted"}
    assert not MilestoneUpdateEvent.objects.filter(action="approved").exists()
    # Someone else in the team may.
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    assert decide(client, [theirs, fine], "approve").status_code == 302
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {"approved"}


def test_a_stale_page_is_refused_beside_its_row_with_nothing_changed(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(owner=officer)
    update = submitted(milestone, period, officer)
    seen = update.version  # the version the team member's page showed
    other = make.user(Role.PERFORMANCE_TEAM)
    update = milestone_update_return(
        update=update, by=other, note="Say which phase", expected_version=seen
    )
    make.milestone_draft(milestone, period, officer, progress_note="Phase 2 on site")
    update = milestone_update_submit(
        update=MilestoneUpdate.objects.get(pk=update.pk), by=officer, expected_version=4
    )
    events = MilestoneUpdateEvent.objects.count()
    response = decide(client, [update], "approve", **{f"milestone-version-{update.pk}": str(seen)})
    assert response.status_code == 200
    assert "changed by someone else" in row_of(response.content.decode(), update)
    update.refresh_from_db()
    assert (update.status, update.version) == ("submitted", 5)
    assert MilestoneUpdateEvent.objects.count() == events


def test_an_update_decided_by_someone_else_meanwhile_is_no_longer_waiting(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    gone = submitted(make.milestone(owner=officer), period, officer)
    waiting = submitted(make.milestone(owner=officer), period, officer)
    milestone_update_return(
        update=gone, by=make.user(Role.PERFORMANCE_TEAM), note="No", expected_version=2
    )
    response = decide(client, [gone, waiting], "approve")
    assert response.status_code == 200
    assert "1 of the milestone updates you selected are no longer waiting for approval" in (
        response.content.decode()
    )
    assert MilestoneUpdate.objects.get(pk=waiting.pk).status == "submitted"


def test_nothing_ticked_or_no_action_is_refused_with_what_to_do(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    update = submitted(make.milestone(owner=officer), period, officer)
    nothing = decide(client, [], "approve").content.decode()
    assert "Select at least one milestone update" in nothing
    assert 'href="#milestone-queue"' in nothing
    assert "Choose approve or return" in decide(client, [update], "publish").content.decode()
    assert MilestoneUpdate.objects.get().status == "submitted"


def test_the_queue_filters_milestone_updates_by_period_and_by_who_submitted(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    earlier = make.quarter(2025, 1, state="open")
    dan = make.user(Role.OFFICER, "dan")
    hers = submitted(make.milestone(owner=officer), period, officer)
    his = submitted(make.milestone(owner=dan), period, dan)
    before = submitted(make.milestone(owner=officer), earlier, officer)
    page = client.get(QUEUE).content.decode()
    assert "3 submitted milestone updates" in page
    assert f'<option value="{dan.pk}">dan</option>' in page  # a milestone's submitter is offered
    in_q2 = client.get(QUEUE, {"period": period.code}).content.decode()
    assert f'id="milestone-row-{hers.pk}"' in in_q2 and f'id="milestone-row-{his.pk}"' in in_q2
    assert f'id="milestone-row-{before.pk}"' not in in_q2
    by_dan = client.get(QUEUE, {"officer": dan.pk}).content.decode()
    assert "1 submitted milestone update" in by_dan and f'id="milestone-row-{his.pk}"' in by_dan
    by_portfolio = client.get(QUEUE, {"portfolio": make.portfolio().pk}).content.decode()
    assert "not narrowed by portfolio" in by_portfolio and "3 submitted milestone updates" in (
        by_portfolio
    )
    # Deciding from a filtered page keeps the filter and decides only what it shows.
    response = client.post(
        f"{QUEUE}?period={period.code}",
        {
            "queue": "milestones",
            "milestone_update": [hers.pk, before.pk],
            "action": "approve",
            "milestones-note": "",
        },
    )
    assert "no longer waiting for approval" in response.content.decode()
    response = client.post(
        f"{QUEUE}?period={period.code}",
        {"queue": "milestones", "milestone_update": [hers.pk], "action": "approve"},
    )
    assert response["Location"] == f"{QUEUE}?period={period.code}"
    assert MilestoneUpdate.objects.get(pk=hers.pk).status == "approved"
    assert MilestoneUpdate.objects.get(pk=before.pk).status == "submitted"


def test_the_milestone_queue_costs_the_same_queries_however_many_updates_wait(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            submitted(make.milestone(owner=officer), period, officer, "at_risk", **_explained())

    add(2)
    client.get(QUEUE)  # the session, warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    add(8)
    with CaptureQueriesContext(connection) as many:
        page = client.get(QUEUE).content.decode()
    assert "10 submitted milestone updates" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def _explained() -> dict[str, str]:
    return {"reason": "Planning objection", "corrective_action": "Appeal lodged"}


def test_publishing_is_held_while_a_milestone_update_awaits_approval(
    client: Client, team: User, officer: User, period: ReportingPeriod
) -> None:
    update = submitted(make.milestone(owner=officer), period, officer)
    approved = submitted(make.milestone(owner=officer), period, officer)
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    assert decide(client, [approved], "approve").status_code == 302
    client.force_login(team)
    period.state = ReportingPeriod.State.CLOSED
    period.save()
    publish = reverse("measures:period_move", args=[period.code, "publish"])
    page = client.get(publish).content.decode()
    assert "cannot be published yet: 1 milestone update awaits approval" in page
    assert f"?period={period.code}" in page  # the queue, for that period
    assert "1 approved milestone update will be published; 1 awaits approval" in page
    refused = client.post(publish).content.decode()
    assert "milestone update" in refused
    period.refresh_from_db()
    assert period.state == "closed"
    assert MilestoneUpdate.objects.get(pk=update.pk).status == "submitted"
    close = reverse("measures:period_move", args=[period.code, "close"])
    assert 'id="summary-milestones"' in client.get(close).content.decode()
