"""A synthetic council at a given size, built with the ORM and bulk_create in batches."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import perf_counter

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from ambitions.models import Ambition, ImpactMeasure, Plan, PlanBlockKind
from bench.council import Periods, Spec, database_analyse, insert, rows_counted
from bench.figures import council_drafts, council_readings, council_targets, indicator_history
from bench.milestones import council_milestone_updates, council_schemes
from bench.shape import BLOCKS, KINDS, PORTFOLIOS, REMITS
from core.roles import Role
from dashboards.open_data import open_data_build
from measures.models import (
    Indicator,
    ReportingPeriod,
)
from measures.periods import financial_year_of, quarter_bounds, year_code
from measures.services.milestone_scores import milestone_scores_refresh
from measures.services.scorecard import scorecard_rebuild
from portfolios.models import DeliveryAssignment, DeliveryPriority, Portfolio, ScrutinyCommittee

UNUSABLE = make_password(None)  # nobody signs in: the benchmark uses force_login

# (unit, decimal places, lowest and highest typical level)
UNITS = (
    (Indicator.Unit.PERCENTAGE, 1, 20.0, 90.0),
    (Indicator.Unit.COUNT, 0, 50.0, 5000.0),
    (Indicator.Unit.RATE_PER_1000, 1, 1.0, 100.0),
    (Indicator.Unit.CURRENCY, 0, 1000.0, 900000.0),
    (Indicator.Unit.DAYS, 1, 1.0, 60.0),
    (Indicator.Unit.SCORE, 1, 1.0, 10.0),
    (Indicator.Unit.PERCENTAGE, 1, 40.0, 99.0),
    (Indicator.Unit.COUNT, 0, 5.0, 400.0),
    (Indicator.Unit.YES_NO, 0, 0.0, 1.0),
)
DEFINITION = (
    "Measured as UK councils report it, from the service's case management system at the end "
    "of each period; excludes cases transferred to another authority."
)


@dataclass(frozen=True)
class Shape:
    """How big one size of synthetic council is."""

    size: int
    quarterly: int  # indicators reported in quarters (quarterly or monthly)
    annual: int  # indicators reported once a financial year
    quarters: int  # published quarters with readings; one open quarter follows them
    measures_per_block: int

    @property
    def indicators(self) -> int:
        """Indicators of every frequency."""
        return self.quarterly + self.annual


def shape_for(size: int) -> Shape:
    """1x: about 100 indicators and 12 quarters; 10x: 1,000 and 20; 100x: 10,000 and 40."""
    quarters = 12 if size < 10 else 20 if size < 100 else 40
    per_block = max(3, round(4 * math.sqrt(size)))
    return Shape(size, 100 * size, 2 * size, quarters, per_block)


@dataclass
class Council:
    """What the measurements need to find in a generated database."""

    shape: Shape
    latest_quarter: str
    open_quarter: str
    portfolio_slug: str
    indicator_code: str
    users: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    scorecard_s: float = 0.0  # judging every score once, after the bulk inserts
    milestone_scores_s: float = 0.0  # judging every milestone's scores once, likewise
    open_data_s: float = 0.0  # building the open data files once, as the nightly task does


def council_generate(size: int, *, today: date) -> Council:
    """Fill the (empty, migrated) database with a council of the given size."""
    shape = shape_for(size)
    rng = random.Random(size)  # noqa: S311 - reproducible synthetic data, not secrets
    with transaction.atomic():
        users, officers = _users(shape)
        periods = _periods(shape, today)
        blocks, measures = _plan(shape, periods)
        council_schemes(size, blocks, periods, users["officer"].pk, officers)
        portfolios = _portfolios()
        _delivery(blocks, portfolios)
        _committees(portfolios, users["scrutiny"])
        first_year = periods.published[0].financial_year
        specs = _indicators(
            shape, rng, measures, portfolios, users["officer"], officers, first_year
        )
    with transaction.atomic():
        council_targets(specs, periods)
        council_readings(specs, periods, rng)
        council_drafts(specs, periods.open_quarter)
        council_milestone_updates(periods)
        indicator_code = indicator_history(specs[0], users["performance"])
    database_analyse()
    # Everything was inserted in bulk: the scorecard is judged once, as after an upgrade.
    started = perf_counter()
    scorecard_rebuild()
    scorecard_s = perf_counter() - started
    started = perf_counter()
    milestone_scores_refresh()
    milestone_scores_s = perf_counter() - started
    database_analyse()
    # The data went in without the services, so no task built the open data files: build
    # them as the nightly task does (else the files served would be another size's).
    started = perf_counter()
    open_data_build()
    open_data_s = perf_counter() - started
    return Council(
        shape=shape,
        latest_quarter=periods.published[-1].code,
        open_quarter=periods.open_quarter.code,
        portfolio_slug=PORTFOLIOS[0][0],
        indicator_code=indicator_code,
        users={key: person.pk for key, person in users.items()},
        counts=rows_counted(),
        scorecard_s=scorecard_s,
        milestone_scores_s=milestone_scores_s,
        open_data_s=open_data_s,
    )


def _users(shape: Shape) -> tuple[dict[str, User], list[int]]:
    """One user per role (the officer has 'My returns'), and other officers owning the rest."""
    roles = {
        "officer": Role.OFFICER,
        "performance": Role.PERFORMANCE_TEAM,
        "councillor": Role.COUNCILLOR,
        "scrutiny": Role.SCRUTINY_MEMBER,
        "admin": Role.ADMINISTRATOR,
    }
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    users = {key: _user(f"bench-{key}", key == "admin") for key in roles}
    for key, role in roles.items():
        users[key].groups.add(groups[role])
    others = [
        User(username=f"officer-{n:05d}", password=UNUSABLE, email=f"officer-{n}@council.invalid")
        for n in range(max(3, shape.indicators // 50))
    ]
    insert(User, others)
    pks = list(User.objects.filter(username__startswith="officer-").values_list("pk", flat=True))
    through = User.groups.through
    insert(through, (through(user_id=pk, group_id=groups[Role.OFFICER].pk) for pk in pks))
    return users, pks


def _user(username: str, staff: bool) -> User:
    """A user with an unusable password (the benchmark signs in with force_login)."""
    return User.objects.create(
        username=username, password=UNUSABLE, email=f"{username}@council.invalid", is_staff=staff
    )


def _quarter_codes(shape: Shape, today: date) -> list[tuple[int, int]]:
    """(financial year, quarter) for the published quarters then the open one, oldest first."""
    year, quarter = financial_year_of(today), (today.month - 4) % 12 // 3 + 1
    sequence = []
    for _ in range(shape.quarters + 1):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        sequence.append((year, quarter))
    return sequence[::-1]


def _periods(shape: Shape, today: date) -> Periods:
    """Published quarters and years with readings, the open quarter, the rest not yet open."""
    codes = _quarter_codes(shape, today)
    open_year, open_number = codes[-1]
    quarters = [_quarter(year, number, ReportingPeriod.State.PUBLISHED) for year, number in codes]
    quarters[-1] = _quarter(open_year, open_number, ReportingPeriod.State.OPEN, today)
    later = [
        _quarter(open_year, n, ReportingPeriod.State.NOT_OPEN) for n in range(open_number + 1, 5)
    ]
    years = [_year(year, open_year) for year in range(codes[0][0], open_year + 1)]
    insert(ReportingPeriod, [*quarters, *later, *years])
    saved = {p.code: p for p in ReportingPeriod.objects.all()}
    published = [saved[p.code] for p in quarters[:-1]]
    published_years = [saved[p.code] for p in years if p.state == ReportingPeriod.State.PUBLISHED]
    return Periods(published, saved[quarters[-1].code], published_years)


def _quarter(year: int, number: int, state: str, today: date | None = None) -> ReportingPeriod:
    """A quarter; an open one is due a fortnight from today."""
    start, end = quarter_bounds(year, number)
    deadline = today + timedelta(days=14) if today else end + timedelta(days=30)
    return ReportingPeriod(
        code=f"{year_code(year)}-Q{number}",
        kind=ReportingPeriod.Kind.QUARTER,
        financial_year=year,
        quarter=number,
        start=start,
        end=end,
        deadline=deadline,
        state=state,
        published_at=_published_at(deadline) if state == ReportingPeriod.State.PUBLISHED else None,
    )


def _year(year: int, open_year: int) -> ReportingPeriod:
    """A financial year: published when it ended before the open quarter's year."""
    end = date(year + 1, 3, 31)
    published = year < open_year
    state = ReportingPeriod.State.PUBLISHED if published else ReportingPeriod.State.NOT_OPEN
    return ReportingPeriod(
        code=year_code(year),
        kind=ReportingPeriod.Kind.YEAR,
        financial_year=year,
        start=date(year, 4, 1),
        end=end,
        deadline=end + timedelta(days=30),
        state=state,
        published_at=_published_at(end + timedelta(days=30)) if published else None,
    )


def _published_at(day: date) -> datetime:
    """Noon on the day, in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time(12)))


def _plan(shape: Shape, periods: Periods) -> tuple[list[Ambition], list[ImpactMeasure]]:
    """The plan, its eleven blocks and their impact measures."""
    plan = Plan.objects.create(
        slug="bench-plan",
        council="Benchshire Metropolitan Borough Council",
        title="Benchshire Council Plan",
        period_start=periods.published[0].start,
        period_end=periods.open_quarter.end + timedelta(days=365),
        vision="A borough where everyone can thrive.",
        mission="Delivering good services, together.",
    )
    kinds = {
        slug: PlanBlockKind.objects.create(
            plan=plan,
            slug=slug,
            singular=singular,
            plural=plural,
            numbered=numbered,
            cuts_across=across,
            position=position,
        )
        for position, (slug, singular, plural, numbered, across) in enumerate(KINDS, start=1)
    }
    blocks = [
        Ambition(
            plan=plan,
            slug=code.lower(),
            code=code,
            kind=kinds[kind],
            number=number,
            title=title,
            position=position,
        )
        for position, (code, kind, number, title) in enumerate(BLOCKS, start=1)
    ]
    insert(Ambition, blocks)
    blocks = list(Ambition.objects.filter(plan=plan).order_by("position"))
    measures = [
        ImpactMeasure(
            ambition=block,
            code=f"{block.code}.M{n}",
            title=f"Impact {n} of {block.title}",
            statement=f"We know we have had an impact when we see change {n}.",
            position=n,
        )
        for block in blocks
        for n in range(1, shape.measures_per_block + 1)
    ]
    insert(ImpactMeasure, measures)
    ordered = ImpactMeasure.objects.select_related("ambition").order_by(
        "ambition__position", "position"
    )
    return blocks, list(ordered)


def _portfolios() -> list[Portfolio]:
    """The seven cabinet portfolios."""
    insert(
        Portfolio,
        (
            Portfolio(slug=slug, name=name, cabinet_member=f"Cllr {n}", position=n)
            for n, (slug, name, _weight) in enumerate(PORTFOLIOS, start=1)
        ),
    )
    return list(Portfolio.objects.order_by("position"))


def _delivery(blocks: Sequence[Ambition], portfolios: Sequence[Portfolio]) -> None:
    """The delivery table: each block a priority led by two portfolios (core services by all)."""
    for position, block in enumerate(blocks, start=1):
        priority = DeliveryPriority.objects.create(
            plan=block.plan,
            name=f"Deliver {block.title}",
            position=position,
            all_cabinet_members=block.kind.slug == "core",
        )
        priority.blocks.add(block)
        leads = (portfolios[position % 7], portfolios[(position + 3) % 7])
        insert(
            DeliveryAssignment,
            (
                DeliveryAssignment(
                    priority=priority, portfolio=lead, as_written=lead.name, position=n
                )
                for n, lead in enumerate(leads, start=1)
            ),
        )


def _committees(portfolios: Sequence[Portfolio], member: User) -> None:
    """Five scrutiny committees; the benchmark's scrutiny member sits on each."""
    for position, remit in enumerate(REMITS, start=1):
        committee = ScrutinyCommittee.objects.create(
            slug=f"scrutiny-{position}", name=f"Scrutiny Committee {position}", position=position
        )
        committee.remit.set([portfolios[n] for n in remit])
        committee.members.add(member)


def _indicators(
    shape: Shape,
    rng: random.Random,
    measures: Sequence[ImpactMeasure],
    portfolios: Sequence[Portfolio],
    officer: User,
    officers: Sequence[int],
    first_year: int,
) -> list[Spec]:
    """Indicators spread over impact measures and portfolios; the officer owns 1%."""
    weights = [weight for _slug, _name, weight in PORTFOLIOS]
    rows = []
    for n in range(shape.indicators):
        measure = measures[n % len(measures)]
        owner = officer.pk if n % 100 == 0 else officers[n % len(officers)]
        lead = rng.choices(portfolios, weights)[0]
        rows.append(_indicator(n, shape, rng, measure, lead, owner, first_year))
    insert(Indicator, rows)
    saved = list(Indicator.objects.order_by("position").values_list("pk", flat=True))
    _indicator_links(saved, measures, officer)
    return [_spec(pk, row) for pk, row in zip(saved, rows, strict=True)]


def _indicator(
    n: int,
    shape: Shape,
    rng: random.Random,
    measure: ImpactMeasure,
    lead: Portfolio,
    owner: int,
    first_year: int,
) -> Indicator:
    """The n-th indicator; the last shape.annual are annual, 5% monthly, the rest quarterly."""
    unit, places, low, high = UNITS[n % len(UNITS)]
    if n >= shape.quarterly:
        frequency = Indicator.Frequency.ANNUAL
    else:
        frequency = Indicator.Frequency.MONTHLY if n % 20 == 1 else Indicator.Frequency.QUARTERLY
    polarity = (
        Indicator.Polarity.ON_TARGET_BAND
        if n % 20 == 5 and unit != Indicator.Unit.YES_NO
        else Indicator.Polarity.LOWER_IS_BETTER
        if n % 3 == 1
        else Indicator.Polarity.HIGHER_IS_BETTER
    )
    base = round(rng.uniform(low, high), places)
    return Indicator(
        code=f"{measure.code}.{n // len(UNITS) + 1}.{n % len(UNITS) + 1}",
        title=f"Indicator {n + 1}: {unit.label.lower()} for {measure.title.lower()}",
        definition=DEFINITION,
        impact_measure=measure,
        lead_portfolio=lead,
        owner_id=owner,
        unit=unit,
        decimal_places=places,
        polarity=polarity,
        frequency=frequency,
        cumulative=n % 10 == 3 and unit == Indicator.Unit.COUNT,
        baseline_value=Decimal(str(base)),
        baseline_period="2019/20",
        data_source="Service case management system",
        is_public=n % 10 != 9,
        status=Indicator.Status.AGREED if n % 4 else Indicator.Status.PROPOSED,
        first_year=first_year,
        position=n + 1,
    )


def _spec(pk: int, row: Indicator) -> Spec:
    """The generation facts about a saved indicator."""
    n = row.position - 1
    band = row.polarity == Indicator.Polarity.ON_TARGET_BAND
    assert row.owner_id is not None and row.baseline_value is not None  # noqa: S101
    return Spec(
        pk=pk,
        unit=row.unit,
        places=row.decimal_places,
        base=float(row.baseline_value),
        annual=row.frequency == Indicator.Frequency.ANNUAL,
        owner_id=row.owner_id,
        targeted=band or n % 2 == 0,
        polarity=row.polarity,
        cumulative=row.cumulative,
    )


def _indicator_links(pks: Sequence[int], measures: Sequence[ImpactMeasure], officer: User) -> None:
    """Delegations to the officer (0.5%), theme tags (5%), trajectories and comparators."""
    delegates = Indicator.delegates.through
    insert(
        delegates,
        (
            delegates(indicator_id=pk, user_id=officer.pk)
            for n, pk in enumerate(pks)
            if n % 200 == 50
        ),
    )
    themes = [m.ambition_id for m in measures if m.ambition.kind.cuts_across]
    tagged = Indicator.themes.through
    insert(
        tagged,
        (
            tagged(indicator_id=pk, ambition_id=themes[n % len(themes)])
            for n, pk in enumerate(pks)
            if n % 20 == 0
        ),
    )
