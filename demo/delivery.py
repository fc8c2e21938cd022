"""Synthetic milestone updates for the demo: lead officers for the plan's schemes, and a
quarterly update of every milestone that owes one, given, submitted and approved through the
services as officers and the performance team would (four eyes: the approver never wrote or
submitted the update), and published with its period.

Every update is flagged is_synthetic and its words say "Synthetic demo data". The story
(demo/delivery.yaml: data, as the plan's words are) is made up, told so the pages show every
state: milestones complete, on track, at risk, slipped
with a reason and a revised date (one twice), and in the open quarter some drafts, one
awaiting approval and some milestones still owing an update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml
from django.contrib.auth.models import User
from django.utils import timezone

from ambitions.models import Milestone, Scheme
from measures.milestone_returns import owed_in
from measures.models import DeliveryStatus, MilestoneUpdate, ReportingPeriod
from measures.permissions import milestone_owner_id
from measures.services import period_close, period_open
from measures.services.milestone_owners import Owners, scheme_owners_set
from measures.services.milestone_scores import deferred
from measures.services.milestones import (
    MilestoneInput,
    milestone_update_approve,
    milestone_update_return,
    milestone_update_save,
    milestone_update_submit,
    milestone_updates_publish,
)

SYNTHETIC = "Synthetic demo data:"
OPEN = "open"  # the story's key for the demo's open quarter, whichever quarter that is
STORY_FILE = Path(__file__).with_name("delivery.yaml")
Status = DeliveryStatus
LEADS_REASON = f"{SYNTHETIC} demo lead officers, not the council's."


@dataclass(frozen=True)
class Step:
    """What an officer reports for a milestone in one quarter (the words without the label)."""

    status: str
    note: str = ""
    revised: date | None = None
    reason: str = ""
    action: str = ""
    returned_for: str = ""  # the team first returns it without its revised date, with this
    submitted: bool = True  # in the open quarter: False leaves it a draft

    def as_input(self, *, with_date: bool = True) -> MilestoneInput:
        return MilestoneInput(
            delivery_status=self.status,
            progress_note=f"{SYNTHETIC} {self.note}" if self.note else "",
            revised_date=self.revised if with_date else None,
            reason=f"{SYNTHETIC} {self.reason}" if self.reason else "",
            corrective_action=f"{SYNTHETIC} {self.action}" if self.action else "",
        )

    def carried(self) -> Step:
        """The next quarter's update when nothing has changed: the same position, no move."""
        words = {
            Status.NOT_STARTED: "Not started yet: it follows an earlier step.",
            Status.ON_TRACK: "No change since last quarter: on course for its date.",
        }
        note = words.get(Status(self.status), "No change since last quarter: see the reason.")
        return replace(self, note=note, revised=None, returned_for="", submitted=True)


@dataclass(frozen=True)
class Story:
    """The demo's made-up story (demo/delivery.yaml, which says what each part means)."""

    default_lead: str
    leads: dict[str, str]
    milestone_owners: dict[tuple[str, str], str]
    scheme_delegates: dict[str, str]
    # (scheme slug, milestone title) -> {quarter code or OPEN: step}
    updates: dict[tuple[str, str], dict[str, Step]]


def story_read(path: Path = STORY_FILE) -> Story:
    """The story, read from its file (the council's words are data, never code)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Story(
        default_lead=data["default_lead"],
        leads=dict(data["leads"]),
        milestone_owners={
            (m["scheme"], m["milestone"]): m["owner"] for m in data["milestone_owners"]
        },
        scheme_delegates={d["scheme"]: d["delegate"] for d in data["scheme_delegates"]},
        updates={
            (m["scheme"], m["milestone"]): {
                str(key): Step(**fields) for key, fields in m["updates"].items()
            }
            for m in data["milestones"]
        },
    )


def milestone_updates_demo_load(
    *,
    users: dict[str, User],
    published: Sequence[ReportingPeriod],
    current: ReportingPeriod | None,
) -> int:
    """Give the schemes lead officers, then the published quarters' updates (each quarter
    opened, its updates given and approved, closed, its updates published: before the demo
    marks the period published) and the open quarter's; how many updates were made."""
    story = story_read()
    _leads_given(users, story)
    team = [users["performance"], users["performance2"]]
    made = 0
    with deferred():  # the milestones' scores are judged once, at the end
        for period in sorted(published, key=lambda p: p.start):
            if period.state not in (ReportingPeriod.State.NOT_OPEN, ReportingPeriod.State.OPEN):
                continue  # already closed or published: nothing can be given for it now
            period = _opened(period, team[0])
            made += _quarter_given(period, team, story, key=period.code, approve=True)
            period_close(period=period, by=team[0])
            milestone_updates_publish(period=period, by=team[0])
        if current is not None:
            current = _opened(current, team[0])
            if not MilestoneUpdate.objects.filter(period=current).exists():
                made += _quarter_given(current, team, story, key=OPEN, approve=False)
    return made


def _leads_given(users: dict[str, User], story: Story) -> None:
    """Each scheme without a lead officer gets one, through the owners' service as the
    performance team gives them; one milestone gets an owner of its own and one scheme a
    delegate, so My returns shows all three ways a milestone becomes someone's."""
    schemes = (
        Scheme.objects.filter(owner__isnull=True)
        .select_related("focus_area__ambition")
        .prefetch_related("delegates", "milestones__delegates")
    )
    for scheme in schemes:
        area, block = scheme.focus_area.code, scheme.focus_area.ambition.code
        lead = users[story.leads.get(area) or story.leads.get(block) or story.default_lead]
        delegates = set(scheme.delegates.all())
        if scheme.slug in story.scheme_delegates:
            delegates.add(users[story.scheme_delegates[scheme.slug]])
        own = {
            milestone.pk: Owners(users[owner], frozenset(milestone.delegates.all()))
            for milestone in scheme.milestones.all()
            if (owner := story.milestone_owners.get((scheme.slug, milestone.title)))
            and milestone.owner_id is None
        }
        scheme_owners_set(
            scheme=scheme,
            lead=Owners(lead, frozenset(delegates)),
            milestones=own,
            reason=LEADS_REASON,
            by=users["performance"],
        )


def _opened(period: ReportingPeriod, by: User) -> ReportingPeriod:
    if period.state == ReportingPeriod.State.NOT_OPEN:
        return period_open(period=period, by=by, today=timezone.localdate())
    return period


def _quarter_given(
    period: ReportingPeriod, team: list[User], story: Story, *, key: str, approve: bool
) -> int:
    """Every milestone owing an update for the quarter gets one from its officer (in the open
    quarter, only those the story names), approved when `approve`; how many."""
    owed = list(
        owed_in(period)
        .exclude(updates__period=period)
        .select_related("scheme__focus_area__ambition")
        .order_by(
            "scheme__focus_area__ambition__position",
            "scheme__focus_area__position",
            "scheme__position",
            "position",
        )
    )
    officers = User.objects.in_bulk([pk for m in owed if (pk := milestone_owner_id(m))])
    made = 0
    for index, milestone in enumerate(owed):
        step = _step_for(story.updates.get((milestone.scheme.slug, milestone.title), {}), key)
        officer = officers.get(milestone_owner_id(milestone) or 0)
        if step is None or officer is None:
            continue
        approver = team[index % 2] if approve else None
        _given(milestone, period, step, officer, approver=approver, team=team)
        made += 1
    return made


def _step_for(steps: dict[str, Step], key: str) -> Step | None:
    """The story's step for the quarter; else the last one before it, carried forward (a
    milestone the story does not tell is not started). None: leave it owing (open quarter)."""
    if key == OPEN:
        return steps.get(OPEN)
    if key in steps:
        return steps[key]
    earlier = [code for code in steps if code != OPEN and code < key]
    return (
        steps[max(earlier)].carried() if earlier else Step(Status.NOT_STARTED, "Not started yet.")
    )


def _given(
    milestone: Milestone,
    period: ReportingPeriod,
    step: Step,
    officer: User,
    *,
    approver: User | None,
    team: list[User],
) -> MilestoneUpdate:
    """The officer gives and submits the update; then, with an approver, a team member who
    neither wrote nor submitted it approves it (after one return, where the story says)."""
    first = step.as_input(with_date=not step.returned_for)
    update = milestone_update_save(
        milestone=milestone,
        period=period,
        data=first,
        by=officer,
        expected_version=0,
        is_synthetic=True,
    )
    if not step.submitted:
        return update
    update = milestone_update_submit(update=update, by=officer, expected_version=update.version)
    if approver is None:
        return update
    if step.returned_for:
        update = milestone_update_return(
            update=update,
            by=team[0],
            note=f"{SYNTHETIC} {step.returned_for}",
            expected_version=update.version,
        )
        update = milestone_update_save(
            milestone=milestone,
            period=period,
            data=step.as_input(),
            by=officer,
            expected_version=update.version,
            is_synthetic=True,
        )
        update = milestone_update_submit(update=update, by=officer, expected_version=update.version)
        approver = team[1]
    return milestone_update_approve(update=update, by=approver, expected_version=update.version)
