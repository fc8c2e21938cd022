"""Demo users and synthetic readings (and, in demo/delivery.py, milestone updates; in
demo/finance.py, finance figures), so the product can be tried without real data.

Every reading made here has is_synthetic=True and every page that shows one says so.
Values are drawn from a generator seeded by the indicator's code: the same every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from demo.agreements import level_of, synthetic_agreements
from demo.delivery import milestone_updates_demo_load
from demo.finance import demo_finance_load
from measures import selectors
from measures.models import Indicator, Reading, ReadingEvent, ReportingPeriod
from measures.rag import trajectory_of
from measures.services.scorecard import deferred, scores_everywhere, scores_refresh
from portfolios.models import ScrutinyCommittee
from reports.models import ReportRun
from reports.services import report_request
from resources.services import finance_publish

DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105 - printed for the demo, refused off DEBUG
SYNTHETIC_NOTE = "Synthetic demo data: not a real figure."


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role


DEMO_USERS = [
    DemoUser("officer", "Olivia Officer (demo)", Role.OFFICER),
    DemoUser("officer2", "Omar Officer (demo)", Role.OFFICER),
    DemoUser("performance", "Priya Performance (demo)", Role.PERFORMANCE_TEAM),
    DemoUser("performance2", "Paul Performance (demo)", Role.PERFORMANCE_TEAM),
    DemoUser("councillor", "Cllr Chris Demo", Role.COUNCILLOR),
    DemoUser("scrutiny", "Cllr Sam Scrutiny (demo)", Role.SCRUTINY_MEMBER),
    DemoUser("admin", "Ada Administrator (demo)", Role.ADMINISTRATOR),
    DemoUser("finance", "Fatima Finance (demo)", Role.FINANCE_OFFICER),
]
# Officer "officer" owns these portfolios' indicators; "officer2" owns the rest.
FIRST_OFFICER_PORTFOLIOS = {
    "economy-regeneration-housing",
    "climate-change-environment",
    "communities-culture-sport",
    "parks-highways-transport",
}
PUBLISHED_YEARS = (2024, 2025)


@transaction.atomic
def demo_load() -> list[DemoUser]:
    """Create the demo users, give officers indicators, and add the synthetic readings."""
    users = {demo.username: _user(demo) for demo in DEMO_USERS}
    current = _latest_ended_quarter()
    # The scorecard is judged once, when everything is in (the readings go in in bulk).
    with deferred():
        _owners_given(users)
        # Before anything is published: an agreement's targets never change a published period.
        synthetic_agreements(
            years=[*PUBLISHED_YEARS, max(PUBLISHED_YEARS) + 1],
            by=users["performance"],
            today=timezone.localdate(),
        )
        # Also before: milestone updates are given while their period is open.
        milestone_updates_demo_load(
            users=users,
            published=list(
                ReportingPeriod.objects.filter(
                    kind=ReportingPeriod.Kind.QUARTER, financial_year__in=PUBLISHED_YEARS
                )
            ),
            current=current,
        )
        # Also before: a published quarter's finance figures can no longer be given.
        demo_finance_load(
            uploader=users["finance"],
            approver=users["performance"],
            published=list(
                ReportingPeriod.objects.filter(
                    kind=ReportingPeriod.Kind.QUARTER, financial_year__in=PUBLISHED_YEARS
                )
            ),
            current=current,
            today=timezone.localdate(),
        )
        _published_history(users["performance"])
        if current is not None:
            _current_quarter(users, current)
        scores_refresh(changes=scores_everywhere(Indicator.objects.values_list("pk", flat=True)))
    _committee_membership(users["scrutiny"], users["performance"])
    return DEMO_USERS


def _owners_given(users: dict[str, User]) -> None:
    """Officer "officer" owns the first portfolios' indicators; "officer2" owns the rest."""
    for indicator in Indicator.objects.filter(owner__isnull=True).select_related("lead_portfolio"):
        slug = indicator.lead_portfolio.slug if indicator.lead_portfolio else ""
        indicator.owner = users["officer" if slug in FIRST_OFFICER_PORTFOLIOS else "officer2"]
        indicator.save(update_fields=["owner"])


def _committee_membership(member: User, requester: User) -> None:
    """The demo scrutiny member sits on the first committee, which has one report ready."""
    committee = ScrutinyCommittee.objects.order_by("position").first()
    if committee is None:
        return
    committee.members.add(member)
    latest = (
        ReportingPeriod.objects.filter(
            kind=ReportingPeriod.Kind.QUARTER, state=ReportingPeriod.State.PUBLISHED
        )
        .order_by("-end")
        .first()
    )
    if latest is not None and not ReportRun.objects.filter(committee=committee).exists():
        report_request(committee=committee, period=latest, by=requester)


def _user(demo: DemoUser) -> User:
    user, created = User.objects.get_or_create(username=demo.username)
    if created:
        first, _, last = demo.full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.email = f"{demo.username}@demo.invalid"
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = demo.role == Role.ADMINISTRATOR
        user.save()
    user.groups.add(Group.objects.get_or_create(name=demo.role.value)[0])
    return user


def _published_history(by: User) -> None:
    """Every quarter and year of 2024/25 and 2025/26, approved and published, with the
    finance figures approved for them."""
    periods = ReportingPeriod.objects.filter(financial_year__in=PUBLISHED_YEARS)
    now = timezone.now()
    for period in periods:
        due = selectors.indicators_due(period).prefetch_related("trajectories", "targets")
        have = set(Reading.objects.filter(period=period).values_list("indicator_id", flat=True))
        made = [
            Reading(
                indicator=indicator,
                period=period,
                value=synthetic_value(indicator, period),
                commentary=SYNTHETIC_NOTE,
                data_quality=Reading.DataQuality.FINAL,
                status=Reading.Status.PUBLISHED,
                is_synthetic=True,
                submitted_by=indicator.owner,
                updated_by=by,
            )
            for indicator in due
            if indicator.pk not in have
        ]
        _with_history(Reading.objects.bulk_create(made), by)
        if period.state != ReportingPeriod.State.PUBLISHED:
            period.state, period.published_at = ReportingPeriod.State.PUBLISHED, now
            period.save(update_fields=["state", "published_at"])
            finance_publish(period=period, by=by)


def _latest_ended_quarter() -> ReportingPeriod | None:
    """The quarter the demo leaves open: the latest to have ended after the published years."""
    ended = ReportingPeriod.objects.filter(
        kind=ReportingPeriod.Kind.QUARTER,
        end__lt=timezone.localdate(),
        financial_year__gt=max(PUBLISHED_YEARS),
    )
    return ended.order_by("-end").first()


def _current_quarter(users: dict[str, User], period: ReportingPeriod) -> None:
    """The latest ended quarter is open: some returns submitted, some drafts, some missing."""
    period.refresh_from_db()
    if period.state == ReportingPeriod.State.NOT_OPEN:
        period.state = ReportingPeriod.State.OPEN
        period.save(update_fields=["state"])
    if Reading.objects.filter(period=period).exists():
        return
    due = list(
        selectors.indicators_due(period)
        .order_by("position")
        .prefetch_related("trajectories", "targets")
    )
    made = []
    for index, indicator in enumerate(due):
        if index % 3 == 2:
            continue  # a third left missing, for the completion page and reminders
        submitted = index % 3 == 0
        made.append(
            Reading(
                indicator=indicator,
                period=period,
                value=synthetic_value(indicator, period),
                commentary=SYNTHETIC_NOTE,
                is_synthetic=True,
                submitted_by=indicator.owner if submitted else None,
                status=Reading.Status.SUBMITTED if submitted else Reading.Status.DRAFT,
                updated_by=indicator.owner,
            )
        )
    _with_history(Reading.objects.bulk_create(made), users["officer"])


def _with_history(readings: list[Reading], by: User) -> None:
    ReadingEvent.objects.bulk_create(
        ReadingEvent(
            reading=reading,
            version=1,
            action=ReadingEvent.Action.CREATED,
            by=by,
            note=SYNTHETIC_NOTE,
            changes={"value": [None, str(reading.value)]},
        )
        for reading in readings
    )


def synthetic_value(indicator: Indicator, period: ReportingPeriod) -> Decimal:
    """A believable value for the unit: near its trajectory where it has one, else around
    the period's target where it has one (so some are on, some close to and some off target),
    else around the indicator's own level; a count of four jobs fairs stays near four."""
    rng = random.Random(f"{indicator.code}/{period.code}")  # noqa: S311 - demo data, not security
    unit = Indicator.Unit
    trajectory = trajectory_of(indicator, period.end)
    target = next((t for t in indicator.targets.all() if t.period_id == period.pk), None)
    if indicator.unit == unit.YES_NO:
        value = Decimal(rng.choice([0, 1]))
    elif trajectory is not None:
        line = trajectory.start_value + (trajectory.value - trajectory.start_value) * Decimal(
            (period.end - trajectory.start_date).days
        ) / Decimal((trajectory.due_date - trajectory.start_date).days)
        value = max(Decimal(0), line * Decimal(str(rng.uniform(0.85, 1.1))))
    elif target is not None:
        value = target.value * Decimal(str(rng.uniform(0.9, 1.08)))
    else:
        value = level_of(indicator) * Decimal(str(rng.uniform(0.9, 1.1)))
    if indicator.unit == unit.PERCENTAGE:
        value = min(value, Decimal(100))
    return value.quantize(Decimal(1).scaleb(-indicator.decimal_places))
