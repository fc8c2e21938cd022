"""Milestone updates: the same workflow as readings (drafts, versions, submit, four eyes,
return, publish with the period), the reason rules, slip history and the stored scores."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from measures import delivery
from measures.models import MilestoneScore, MilestoneUpdate, MilestoneUpdateEvent, ScoreAudience
from measures.services import period_close, period_publish
from measures.services.errors import ReadingsRefused
from measures.services.milestones import (
    MilestoneDecision,
    MilestoneEntry,
    MilestoneInput,
    MilestoneUpdateConflict,
    milestone_update_approve,
    milestone_update_return,
    milestone_update_save,
    milestone_update_submit,
    milestone_updates_decide,
    milestone_updates_save,
)
from measures.validation import TEXT_LIMIT
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make.user(Role.OFFICER)


@pytest.fixture
def team():
    return make.user(Role.PERFORMANCE_TEAM)


@pytest.fixture
def team2():
    return make.user(Role.PERFORMANCE_TEAM)


@pytest.fixture
def period():
    return make.quarter(2025, 2)


def _score(milestone, period, audience=ScoreAudience.MEMBERS) -> MilestoneScore:
    return MilestoneScore.objects.get(milestone=milestone, period=period, audience=audience)


def test_an_officer_saves_a_draft_and_each_change_is_a_version_with_its_event(
    officer, period
) -> None:
    milestone = make.milestone(owner=officer)
    update = make.milestone_draft(milestone, period, officer)
    assert (update.delivery_status, update.status, update.version) == ("on_track", "draft", 1)
    edited = make.milestone_draft(milestone, period, officer, progress_note="Contractor on site.")
    assert edited.version == 2
    events = list(update.events.values_list("version", "action", "changes"))
    assert events == [
        (
            1,
            "created",
            {
                "delivery_status": [None, "on_track"],
                "progress_note": [None, "Work is going to plan."],
            },
        ),
        (2, "edited", {"progress_note": ["Work is going to plan.", "Contractor on site."]}),
    ]
    unchanged = make.milestone_draft(
        milestone, period, officer, progress_note="Contractor on site."
    )
    assert unchanged.version == 2 and update.events.count() == 2


def test_the_scheme_lead_gives_updates_for_milestones_without_an_owner(officer, period) -> None:
    milestone = make.milestone(owner=None, scheme_owner=officer)
    assert make.milestone_draft(milestone, period, officer).version == 1


def test_someone_elses_milestone_is_refused_and_nothing_is_saved(officer, period) -> None:
    milestone = make.milestone(owner=make.user(Role.OFFICER))
    with pytest.raises(PermissionDenied, match="neither yours nor delegated"):
        make.milestone_draft(milestone, period, officer)
    councillor = make.user(Role.COUNCILLOR)
    with pytest.raises(PermissionDenied):
        make.milestone_draft(milestone, period, councillor)
    assert not MilestoneUpdate.objects.exists()


def test_two_people_saving_the_same_update_never_lose_an_edit(officer, period) -> None:
    delegate = make.user(Role.OFFICER)
    milestone = make.milestone(owner=officer)
    milestone.delegates.add(delegate)
    make.milestone_draft(milestone, period, officer)
    # Both opened version 1; the delegate saves first.
    milestone_update_save(
        milestone=milestone,
        period=period,
        by=delegate,
        expected_version=1,
        data=MilestoneInput("at_risk", "Delegate's note", reason="Supplier late"),
    )
    with pytest.raises(MilestoneUpdateConflict, match="changed by someone else"):
        milestone_update_save(
            milestone=milestone,
            period=period,
            by=officer,
            expected_version=1,
            data=MilestoneInput("on_track", "Owner's note"),
        )
    update = MilestoneUpdate.objects.get()
    assert (update.progress_note, update.version) == ("Delegate's note", 2)


def test_bad_input_is_refused_by_field_and_nothing_of_the_batch_is_saved(officer, period) -> None:
    first, second = make.milestone(owner=officer), make.milestone(owner=officer)
    entries = [
        MilestoneEntry(first, period, MilestoneInput("on_track", "Fine"), 0),
        MilestoneEntry(second, period, MilestoneInput("sort_of", "x" * (TEXT_LIMIT + 1)), 0),
    ]
    with pytest.raises(ReadingsRefused) as refused:
        milestone_updates_save(entries=entries, by=officer)
    problems = refused.value.by_reading[(f"MS-{second.pk}", period.code)]
    assert "Choose one of: complete, on track" in problems["delivery_status"][0]
    assert f"Enter at most {TEXT_LIMIT:,} characters" in problems["progress_note"][0]
    assert not MilestoneUpdate.objects.exists()


def test_a_revised_date_before_the_original_needs_a_reason(officer, period) -> None:
    milestone = make.milestone(owner=officer, due_date=date(2025, 12, 31))
    with pytest.raises(ReadingsRefused) as refused:
        make.milestone_draft(milestone, period, officer, revised_date=date(2025, 10, 31))
    [problems] = refused.value.by_reading.values()
    assert "before the original date (31 December 2025)" in problems["reason"][0]
    assert not MilestoneUpdate.objects.exists()
    brought_forward = make.milestone_draft(
        milestone, period, officer, revised_date=date(2025, 10, 31), reason="Good weather"
    )
    assert brought_forward.revised_date == date(2025, 10, 31)


def test_a_complete_milestone_takes_no_revised_date(officer, period) -> None:
    milestone = make.milestone(owner=officer)
    with pytest.raises(ReadingsRefused, match="no revised date"):
        make.milestone_draft(
            milestone, period, officer, status="complete", revised_date=date(2026, 1, 1)
        )


def test_a_closed_period_takes_no_updates(officer) -> None:
    closed = make.quarter(2025, 1, state="closed")
    with pytest.raises(ReadingsRefused, match="milestone updates can only be entered"):
        make.milestone_draft(make.milestone(owner=officer), closed, officer)


@pytest.mark.parametrize(
    ("status", "extra", "missing"),
    [
        ("slipped", {}, {"reason", "corrective_action"}),
        ("at_risk", {"reason": "Late steel"}, {"corrective_action"}),
        ("cancelled", {}, {"reason"}),
        ("on_track", {"revised_date": date(2026, 3, 31)}, {"reason", "corrective_action"}),
    ],
)
def test_slipped_at_risk_or_a_moved_date_need_the_reason_and_action_first(
    officer, period, status, extra, missing
) -> None:
    update = make.milestone_draft(make.milestone(owner=officer), period, officer, status, **extra)
    with pytest.raises(ValidationError) as refused:
        milestone_update_submit(update=update, by=officer, expected_version=update.version)
    assert set(refused.value.message_dict) == missing
    update.refresh_from_db()
    assert update.status == "draft"


def test_the_workflow_runs_with_four_eyes_and_publishes_with_the_period(
    officer, team, team2, period
) -> None:
    milestone = make.milestone(owner=officer, due_date=date(2025, 9, 30))
    update = make.milestone_draft(
        milestone,
        period,
        officer,
        "slipped",
        revised_date=date(2026, 3, 31),
        reason="Contractor went into administration",
        corrective_action="New contractor",
    )
    update = milestone_update_submit(update=update, by=officer, expected_version=1)
    assert update.status == "submitted"
    assert _score(milestone, period).state == "no_update"  # members see approved only
    assert _score(milestone, period, ScoreAudience.WORKFLOW).state == "slipped"
    # A team member who changed it may not approve it; one who did not may.
    update = milestone_update_return(
        update=update, by=team, note="Say which contractor", expected_version=2
    )
    update = make.milestone_draft(
        milestone,
        period,
        team,
        "slipped",
        revised_date=date(2026, 3, 31),
        reason="Contractor went into administration",
        corrective_action="New contractor: Acme",
    )
    update = milestone_update_submit(update=update, by=team, expected_version=update.version)
    with pytest.raises(PermissionDenied, match="You submitted this update"):
        milestone_update_approve(update=update, by=team, expected_version=update.version)
    update = milestone_update_approve(update=update, by=team2, expected_version=update.version)
    score = _score(milestone, period)
    assert (score.state, score.current_date, score.overdue) == ("slipped", date(2026, 3, 31), False)
    assert [r["date_after"] for r in score.revisions] == ["2026-03-31"]
    assert _score(milestone, period, ScoreAudience.PUBLIC).state == "no_update"
    period_close(period=period, by=team)
    period_publish(period=period, by=team)
    update.refresh_from_db()
    assert update.status == "published"
    assert _score(milestone, period, ScoreAudience.PUBLIC).state == "slipped"
    actions = list(
        MilestoneUpdateEvent.objects.filter(update=update).values_list("action", flat=True)
    )
    assert actions[-1] == "published" and "returned" in actions


def test_publishing_waits_for_submitted_milestone_updates(officer, team, period) -> None:
    update = make.milestone_draft(make.milestone(owner=officer), period, officer)
    milestone_update_submit(update=update, by=officer, expected_version=1)
    period_close(period=period, by=team)
    with pytest.raises(ValidationError, match="1 milestone update"):
        period_publish(period=period, by=team)


def test_a_decision_on_many_is_all_or_none(officer, team, period) -> None:
    updates = []
    for _ in range(2):
        update = make.milestone_draft(make.milestone(owner=officer), period, officer)
        updates.append(milestone_update_submit(update=update, by=officer, expected_version=1))
    stale = [MilestoneDecision(updates[0], 2), MilestoneDecision(updates[1], 1)]
    with pytest.raises(ReadingsRefused, match="changed by someone else"):
        milestone_updates_decide(decisions=stale, approve=True, by=team)
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {"submitted"}
    reloaded = MilestoneUpdate.objects.select_related("milestone__scheme", "period")
    fresh = [MilestoneDecision(u, u.version) for u in reloaded]
    assert {d.version for d in fresh} == {2}
    assert milestone_updates_decide(decisions=fresh, approve=True, by=team) == 2
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {"approved"}


def test_slip_history_counts_every_revision_and_overdue_is_judged_at_period_end(
    officer, team
) -> None:
    q1, q2, q3 = (make.quarter(2025, n) for n in (1, 2, 3))
    milestone = make.milestone(owner=officer, due_date=date(2025, 6, 30))
    for period, revised in ((q1, date(2025, 9, 30)), (q2, date(2026, 3, 31))):
        update = make.milestone_draft(
            milestone,
            period,
            officer,
            "slipped",
            revised_date=revised,
            reason=f"Moved in {period}",
            corrective_action="Recovery plan",
        )
        update = milestone_update_submit(update=update, by=officer, expected_version=1)
        milestone_update_approve(update=update, by=team, expected_version=update.version)
    score = _score(milestone, q3)
    assert score.state == "slipped" and score.update_period == "2025/26 Q2"
    assert delivery.dates_phrase(score.original_date, score.current_date, score.revisions) == (
        "due June 2025, revised to March 2026 (twice)"
    )
    assert [r["reason"] for r in score.revisions] == ["Moved in 2025/26 Q1", "Moved in 2025/26 Q2"]
    assert not score.overdue
    late = make.milestone(owner=officer, due_date=date(2025, 6, 30))
    assert _score(late, q1).overdue is False  # due on the last day of Q1
    assert _score(late, q2).overdue is True and _score(late, q2).state == "no_update"


def test_an_update_only_an_officer_could_see_is_not_what_members_see(officer, period) -> None:
    milestone = make.milestone(owner=officer)
    make.milestone_draft(milestone, period, officer, "at_risk", reason="r")
    assert _score(milestone, period, ScoreAudience.WORKFLOW).state == "at_risk"
    assert _score(milestone, period, ScoreAudience.MEMBERS).state == "no_update"


def test_a_milestone_owes_updates_until_an_approved_one_finishes_it(officer, team) -> None:
    from measures.milestone_returns import owed_in, returns_for

    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    milestone = make.milestone(owner=officer)
    done_in_plan = make.milestone(owner=officer, status="complete")
    assert set(owed_in(q1)) == {milestone}
    update = make.milestone_draft(milestone, q1, officer, "complete")
    assert set(owed_in(q2)) == {milestone}  # a draft finishes nothing
    update = milestone_update_submit(update=update, by=officer, expected_version=1)
    milestone_update_approve(update=update, by=team, expected_version=update.version)
    assert set(owed_in(q2)) == set()
    assert set(owed_in(q1)) == {milestone}  # its own quarter still holds it
    [row] = returns_for(user=officer, period=q1)
    assert (row.milestone, row.update, row.version) == (milestone, update, 3)
    assert returns_for(user=make.user(Role.OFFICER), period=q1) == []
    assert done_in_plan not in owed_in(q1)


@pytest.mark.parametrize(
    "role", [None, Role.COUNCILLOR, Role.SCRUTINY_MEMBER, Role.ADMINISTRATOR, Role.OFFICER]
)
def test_only_its_officers_and_the_team_write_and_only_the_team_decides(
    officer, team, period, role
) -> None:
    """The permission matrix of the services themselves, whatever page calls them: anyone but
    the milestone's officers and the performance team is refused, and nothing changes."""
    milestone = make.milestone(owner=officer)
    update = make.milestone_draft(milestone, period, officer)
    update = milestone_update_submit(update=update, by=officer, expected_version=1)
    someone = make.user(role)
    with pytest.raises(PermissionDenied):
        make.milestone_draft(make.milestone(owner=officer), period, someone)
    with pytest.raises(PermissionDenied):
        milestone_update_approve(update=update, by=someone, expected_version=update.version)
    with pytest.raises(PermissionDenied):
        milestone_update_return(update=update, by=someone, note="x", expected_version=2)
    with pytest.raises(PermissionDenied):
        milestone_update_approve(update=update, by=officer, expected_version=update.version)
    update.refresh_from_db()
    assert (update.status, update.version, update.events.count()) == ("submitted", 2, 2)


def test_a_note_is_the_same_note_whatever_its_line_breaks(officer, period) -> None:
    """A browser sends a textarea's line breaks as CRLF and a spreadsheet gives LF: the same
    note from either is no change, so no phantom draft or refused upload."""
    from measures.milestone_forms import MilestoneRowForm

    milestone = make.milestone(owner=officer)
    update = make.milestone_draft(milestone, period, officer, progress_note="One.\r\nTwo.")
    assert (update.progress_note, update.version) == ("One.\nTwo.", 1)
    again = make.milestone_draft(milestone, period, officer, progress_note="One.\nTwo.")
    assert again.version == 1
    form = MilestoneRowForm(
        {"delivery_status": "on_track", "progress_note": "One.\r\nTwo.", "version": "1"},
        initial={"delivery_status": "on_track", "progress_note": "One.\nTwo.", "version": 1},
    )
    assert form.is_valid() and not form.has_edits()


def test_a_quarter_after_the_plan_ends_owes_no_update_and_takes_none(officer) -> None:
    """Milestones are reported in the quarters of their plan, as their scores are: a quarter
    opened after it ends (before the next plan is loaded) has none."""
    from measures.milestone_returns import owed_in

    after = make.quarter(2027, 1)
    milestone = make.milestone(owner=officer)
    assert list(owed_in(after)) == []
    with pytest.raises(ReadingsRefused, match="not a milestone of the plan"):
        make.milestone_draft(milestone, after, officer)
    assert not MilestoneScore.objects.filter(period=after).exists()
