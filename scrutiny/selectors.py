"""Reads of the scrutiny loop: a committee's meetings for its pages, and the recommendations a
committee's report carries (`recommendations_for_report`).

How "closed ones are shown once" is decided, by meeting dates alone (so a report rebuilt later
says the same): the report for a period shows the recommendations closed from its *previous
meeting* (the committee's latest meeting held on or before the day the period ends) up to its
*next meeting* (the committee's latest meeting after that one, held on or before the day the
following period of the same kind ends), or up to now while there is none. The next meeting of
one quarter's report is the previous meeting of the following quarter's, so the windows meet
end to end and each closed recommendation is in one report only. (If the committee does not
meet at all between two reports, both show what closed since the last meeting.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.formatting import person_name
from measures.models import ReportingPeriod
from portfolios.models import ScrutinyCommittee
from scrutiny.models import CLOSED, Meeting, Recommendation, RecommendationUpdate


def day_text(day: date) -> str:
    """ "30 June 2026"."""
    return f"{day.day} {day:%B %Y}"


def meetings_of(committee: ScrutinyCommittee) -> QuerySet[Meeting]:
    """The committee's meetings, newest first, with what the list shows of each."""
    return committee.meetings.select_related("period").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.only("pk", "meeting", "status"))
    )


def recommendations_with_history() -> QuerySet[Recommendation]:
    """Recommendations with their links, owner and every update, oldest update first."""
    return Recommendation.objects.select_related("portfolio", "owner", "meeting").prefetch_related(
        "indicators",
        "milestones",
        Prefetch("updates", queryset=RecommendationUpdate.objects.select_related("by")),
    )


def open_recommendations_of(committee: ScrutinyCommittee) -> list[Recommendation]:
    """Every recommendation of the committee not yet closed, oldest meeting first."""
    return list(
        recommendations_with_history()
        .filter(meeting__committee=committee)
        .exclude(status__in=sorted(CLOSED))
        .order_by("meeting__held_on", "pk")
    )


@dataclass(frozen=True)
class ReportRecommendation:
    """One recommendation as a report prints it: every field already text."""

    pk: int
    text: str
    made_on: date
    made_on_text: str
    status: str
    status_label: str
    owner_name: str
    due_on: date | None
    due_text: str
    overdue: bool
    latest_note: str
    latest_update_text: str
    closed_on_text: str
    indicator_codes: tuple[str, ...]
    milestone_titles: tuple[str, ...]
    portfolio_name: str

    @property
    def links_text(self) -> str:
        """What it is about: "Economy; A1.M1.1, A1.M1.2; Weir Mill opens" ("" when nothing)."""
        parts = [
            self.portfolio_name,
            ", ".join(self.indicator_codes),
            ", ".join(self.milestone_titles),
        ]
        return "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class ReportRecommendations:
    """The recommendations a committee's report carries: every open one with its progress, and
    those closed since the committee's previous meeting (so each closed one is shown once)."""

    open: tuple[ReportRecommendation, ...]
    closed_since: tuple[ReportRecommendation, ...]
    since: date | None

    @property
    def since_text(self) -> str:
        return f"since the meeting of {day_text(self.since)}" if self.since else "so far"


def report_recommendation(recommendation: Recommendation, *, as_of: date) -> ReportRecommendation:
    """A recommendation (fetched with `recommendations_with_history`) as a report prints it."""
    updates = list(recommendation.updates.all())
    latest = updates[-1] if updates else None
    closed = recommendation.status in CLOSED
    due = recommendation.due_on
    overdue = bool(due and due < as_of and not closed)
    due_text = f"due {day_text(due)}" if due else "no due date"
    if latest is None:
        latest_text = ""
    else:
        who = f" by {person_name(latest.by)}" if latest.by else ""
        latest_text = (
            f"{latest.get_status_display()}, {day_text(timezone.localdate(latest.at))}{who}"
        )
    closed_at = recommendation.closed_at
    return ReportRecommendation(
        pk=recommendation.pk,
        text=recommendation.text,
        made_on=recommendation.meeting.held_on,
        made_on_text=f"made at the meeting of {day_text(recommendation.meeting.held_on)}",
        status=recommendation.status,
        status_label=recommendation.get_status_display(),
        owner_name=recommendation.owner_text or "no owner named",
        due_on=due,
        due_text=f"{due_text} (overdue)" if overdue else due_text,
        overdue=overdue,
        latest_note=latest.note if latest else "",
        latest_update_text=latest_text,
        closed_on_text=f"closed {day_text(timezone.localdate(closed_at))}" if closed_at else "",
        indicator_codes=tuple(i.code for i in recommendation.indicators.all()),
        milestone_titles=tuple(m.title for m in recommendation.milestones.all()),
        portfolio_name=recommendation.portfolio.name if recommendation.portfolio else "",
    )


def open_progress(committee: ScrutinyCommittee, *, as_of: date) -> tuple[ReportRecommendation, ...]:
    """Every open recommendation of the committee with its progress, as pages show it."""
    return tuple(report_recommendation(r, as_of=as_of) for r in open_recommendations_of(committee))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _latest_meeting(
    committee: ScrutinyCommittee, *, after: date | None, until: date
) -> Meeting | None:
    meetings = committee.meetings.filter(held_on__lte=until)
    if after is not None:
        meetings = meetings.filter(held_on__gt=after)
    return meetings.order_by("-held_on").first()


def closing_window(
    committee: ScrutinyCommittee, period: ReportingPeriod
) -> tuple[Meeting | None, Meeting | None]:
    """The previous and next meetings of the period's report (None where there is none)."""
    previous = _latest_meeting(committee, after=None, until=period.end)
    following = (
        ReportingPeriod.objects.filter(kind=period.kind, start__gt=period.end)
        .order_by("start")
        .first()
    )
    if following is None:
        return previous, None
    after = previous.held_on if previous else None
    return previous, _latest_meeting(committee, after=after, until=following.end)


def recommendations_for_report(
    committee: ScrutinyCommittee, period: ReportingPeriod, *, as_of: date | None = None
) -> ReportRecommendations:
    """What the committee's report for `period` says about its recommendations (see the module's
    docstring for which closed ones it shows). `as_of` is the day "overdue" is judged on
    (today by default; a report passes the day it is built)."""
    as_of = as_of or timezone.localdate()
    previous, following = closing_window(committee, period)
    closed = (
        recommendations_with_history()
        .filter(meeting__committee=committee, status__in=sorted(CLOSED))
        .order_by("closed_at", "pk")
    )
    if previous is not None:
        closed = closed.filter(closed_at__gte=_start_of(previous.held_on))
    if following is not None:
        closed = closed.filter(closed_at__lt=_start_of(following.held_on))
    return ReportRecommendations(
        open=open_progress(committee, as_of=as_of),
        closed_since=tuple(report_recommendation(r, as_of=as_of) for r in closed),
        since=previous.held_on if previous else None,
    )
