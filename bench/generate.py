"""A synthetic council at a given size, built with the ORM and bulk_create in batches."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import perf_counter
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from ambitions.models import Ambition, FocusArea, ImpactMeasure, Milestone, Plan, Scheme
from core.roles import Role
from dashboards.open_data import open_data_build
from measures.models import (
    Comparator,
    Indicator,
    Reading,
    ReadingEvent,
    ReportingPeriod,
    Target,
    TrajectoryTarget,
)
from measures.periods import financial_year_of, quarter_bounds, year_code
from measures.services.scorecard import scorecard_rebuild
from portfolios.models import DeliveryAssignment, DeliveryPriority, Portfolio, ScrutinyCommittee

BATCH = 5000
UNUSABLE = make_password(None)  # nobody signs in: the benchmark uses force_login
ModelT = TypeVar("ModelT", bound=Model)

PORTFOLIOS = (
    ("economy-regeneration-housing", "Economy, Regeneration & Housing", 25),
    ("children-families-education", "Children, Families & Education", 20),
    ("adult-care-health", "Adult Care & Health", 15),
    ("climate-environment", "Climate Change & Environment", 12),
    ("communities-culture", "Communities, Culture & Sport", 10),
    ("finance-resources", "Finance & Resources", 10),
    ("highways-transport", "Highways & Transport", 8),
)
# Committee remits by portfolio index: every portfolio is in exactly one committee's remit.
REMITS = ((0, 6), (1, 5), (2,), (3,), (4,))
BLOCKS = (
    ("CS", Ambition.Kind.CORE_SERVICES, None, "Core services"),
    ("A1", Ambition.Kind.AMBITION, 1, "Investment, jobs and homes"),
    ("A2", Ambition.Kind.AMBITION, 2, "Thriving neighbourhoods"),
    ("A3", Ambition.Kind.AMBITION, 3, "A great start in life"),
    ("A4", Ambition.Kind.AMBITION, 4, "Living well for longer"),
    ("A5", Ambition.Kind.AMBITION, 5, "A climate-friendly borough"),
    ("T1", Ambition.Kind.CROSS_CUTTING_THEME, None, "Tackling inequality"),
    ("T2", Ambition.Kind.CROSS_CUTTING_THEME, None, "Digital by default"),
    ("E1", Ambition.Kind.ENABLING_PROGRAMME, 1, "Our people"),
    ("E2", Ambition.Kind.ENABLING_PROGRAMME, 2, "Our money"),
    ("E3", Ambition.Kind.ENABLING_PROGRAMME, 3, "Our data and technology"),
)
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
COMMENTARY = (
    "Performance reflects seasonal demand; the service expects improvement next quarter as "
    "new staff start and the backlog clears."
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
class Spec:
    """What reading and target generation need to know about one indicator."""

    pk: int
    unit: str
    places: int
    base: float
    annual: bool
    owner_id: int
    targeted: bool
    polarity: str
    cumulative: bool


@dataclass(frozen=True)
class Periods:
    """The generated periods: published quarters (oldest first), the open quarter, years."""

    published: list[ReportingPeriod]
    open_quarter: ReportingPeriod
    published_years: list[ReportingPeriod]


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
    open_data_s: float = 0.0  # building the open data files once, as the nightly task does


def council_generate(size: int, *, today: date) -> Council:
    """Fill the (empty, migrated) database with a council of the given size."""
    shape = shape_for(size)
    rng = random.Random(size)  # noqa: S311 - reproducible synthetic data, not secrets
    with transaction.atomic():
        users, officers = _users(shape)
        periods = _periods(shape, today)
        blocks, measures = _plan(shape, periods)
        portfolios = _portfolios()
        _delivery(blocks, portfolios)
        _committees(portfolios, users["scrutiny"])
        first_year = periods.published[0].financial_year
        specs = _indicators(
            shape, rng, measures, portfolios, users["officer"], officers, first_year
        )
    with transaction.atomic():
        _targets(specs, periods)
        _readings(specs, periods, rng)
        _drafts(specs, periods.open_quarter)
        indicator_code = _indicator_history(specs[0], users["performance"])
    _analyse()
    # Everything was inserted in bulk: the scorecard is judged once, as after an upgrade.
    started = perf_counter()
    scorecard_rebuild()
    scorecard_s = perf_counter() - started
    _analyse()
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
        counts=_counts(),
        scorecard_s=scorecard_s,
        open_data_s=open_data_s,
    )


def _batches(items: Iterable[ModelT], size: int = BATCH) -> Iterator[list[ModelT]]:
    """Lists of at most size items, in order."""
    batch: list[ModelT] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model: type[ModelT], objects: Iterable[ModelT]) -> None:
    """bulk_create in batches of BATCH rows."""
    for batch in _batches(objects):
        model._default_manager.bulk_create(batch, batch_size=BATCH)


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
    _insert(User, others)
    pks = list(User.objects.filter(username__startswith="officer-").values_list("pk", flat=True))
    through = User.groups.through
    _insert(through, (through(user_id=pk, group_id=groups[Role.OFFICER].pk) for pk in pks))
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
    _insert(ReportingPeriod, [*quarters, *later, *years])
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
    """The plan, its eleven blocks, their impact measures, and schemes with milestones."""
    plan = Plan.objects.create(
        slug="bench-plan",
        council="Benchshire Metropolitan Borough Council",
        title="Benchshire Council Plan",
        period_start=periods.published[0].start,
        period_end=periods.open_quarter.end + timedelta(days=365),
        vision="A borough where everyone can thrive.",
        mission="Delivering good services, together.",
    )
    blocks = [
        Ambition(
            plan=plan,
            slug=code.lower(),
            code=code,
            kind=kind,
            number=number,
            title=title,
            position=position,
        )
        for position, (code, kind, number, title) in enumerate(BLOCKS, start=1)
    ]
    _insert(Ambition, blocks)
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
    _insert(ImpactMeasure, measures)
    _schemes(blocks, periods)
    ordered = ImpactMeasure.objects.select_related("ambition").order_by(
        "ambition__position", "position"
    )
    return blocks, list(ordered)


def _schemes(blocks: Sequence[Ambition], periods: Periods) -> None:
    """Two focus areas a block, two schemes each, three milestones a scheme (some slipped)."""
    areas = [
        FocusArea(ambition=block, code=f"{block.code}.F{n}", title=f"Focus {n}", position=n)
        for block in blocks
        for n in (1, 2)
    ]
    _insert(FocusArea, areas)
    schemes = [
        Scheme(
            focus_area=area,
            slug=f"scheme-{area.pk}-{n}",
            name=f"Scheme {area.code}.{n}",
            position=n,
        )
        for area in FocusArea.objects.all()
        for n in (1, 2)
    ]
    _insert(Scheme, schemes)
    statuses = list(Milestone.Status)
    first, last = periods.published[0].end, periods.open_quarter.end + timedelta(days=365)
    step = (last - first) / 3
    milestones = [
        Milestone(
            scheme=scheme,
            title=f"Milestone {n}",
            due=f"step {n}",
            due_date=first + step * n,
            status=statuses[(scheme.pk + n) % len(statuses)],
            position=n,
        )
        for scheme in Scheme.objects.all()
        for n in (1, 2, 3)
    ]
    _insert(Milestone, milestones)


def _portfolios() -> list[Portfolio]:
    """The seven cabinet portfolios."""
    _insert(
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
            all_cabinet_members=block.kind == Ambition.Kind.CORE_SERVICES,
        )
        priority.blocks.add(block)
        leads = (portfolios[position % 7], portfolios[(position + 3) % 7])
        _insert(
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
    _insert(Indicator, rows)
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
    _insert(
        delegates,
        (
            delegates(indicator_id=pk, user_id=officer.pk)
            for n, pk in enumerate(pks)
            if n % 200 == 50
        ),
    )
    themes = [
        m.ambition_id for m in measures if m.ambition.kind == Ambition.Kind.CROSS_CUTTING_THEME
    ]
    tagged = Indicator.themes.through
    _insert(
        tagged,
        (
            tagged(indicator_id=pk, ambition_id=themes[n % len(themes)])
            for n, pk in enumerate(pks)
            if n % 20 == 0
        ),
    )


def _targets(specs: Sequence[Spec], periods: Periods) -> None:
    """A target every period for half the indicators; a trajectory for 1% of the others."""
    quarters = [*periods.published, periods.open_quarter]
    rows = (
        _target(spec, period)
        for spec in specs
        if spec.targeted
        for period in (periods.published_years if spec.annual else quarters)
    )
    _insert(Target, rows)
    first, due = quarters[0].start, periods.open_quarter.end + timedelta(days=730)
    trajectories = [
        TrajectoryTarget(
            indicator_id=spec.pk, start_date=first, due_date=due, value=_decimal(spec.base * 1.5, 0)
        )
        for n, spec in enumerate(specs)
        if n % 100 == 7 and not spec.targeted and spec.unit == Indicator.Unit.COUNT
    ]
    _insert(TrajectoryTarget, trajectories)
    comparators = (
        Comparator(
            indicator_id=spec.pk,
            period=periods.published[-1],
            label="England average",
            value=_decimal(spec.base, spec.places),
            source="National statistics",
        )
        for n, spec in enumerate(specs)
        if n % 50 == 3
    )
    _insert(Comparator, comparators)


def _target(spec: Spec, period: ReportingPeriod) -> Target:
    """Slightly better than the indicator's usual level, with a 5% tolerance."""
    if spec.unit == Indicator.Unit.YES_NO:
        return Target(indicator_id=spec.pk, period=period, value=Decimal(1))
    factor = 0.95 if spec.polarity == Indicator.Polarity.LOWER_IS_BETTER else 1.05
    value = spec.base * (0.9 if spec.polarity == Indicator.Polarity.ON_TARGET_BAND else factor)
    upper = spec.base * 1.1 if spec.polarity == Indicator.Polarity.ON_TARGET_BAND else None
    if spec.unit == Indicator.Unit.PERCENTAGE:
        value, upper = min(value, 100.0), min(upper, 100.0) if upper is not None else None
    return Target(
        indicator_id=spec.pk,
        period=period,
        value=_decimal(value, spec.places),
        upper=_decimal(upper, spec.places) if upper is not None else None,
        tolerance=_decimal(value * 0.05, spec.places),
    )


def _decimal(number: float, places: int) -> Decimal:
    """The number rounded to the given places."""
    return Decimal(f"{number:.{places}f}")


def _readings(specs: Sequence[Spec], periods: Periods, rng: random.Random) -> None:
    """A published reading of every indicator in every published period of its kind."""
    now = timezone.now()

    def rows() -> Iterator[Reading]:
        """Readings one at a time, so only a batch is ever in memory."""
        for n, spec in enumerate(specs):
            for step, period in enumerate(
                periods.published_years if spec.annual else periods.published
            ):
                yield _reading(n, step, spec, period, rng, now)

    _insert(Reading, rows())


def _reading(
    n: int, step: int, spec: Spec, period: ReportingPeriod, rng: random.Random, now: datetime
) -> Reading:
    """One published value near the indicator's level (1% missing, with commentary)."""
    missing = (n + step) % 100 == 42
    commented = missing or (n + step) % 3 == 0
    return Reading(
        indicator_id=spec.pk,
        period=period,
        value=None if missing else _value(spec, period, rng),
        commentary=COMMENTARY if commented else "",
        data_quality=Reading.DataQuality.FINAL,
        status=Reading.Status.PUBLISHED,
        version=4,
        is_synthetic=True,
        submitted_by_id=spec.owner_id,
        updated_by_id=spec.owner_id,
        updated_at=now,
    )


def _value(spec: Spec, period: ReportingPeriod, rng: random.Random) -> Decimal:
    """A plausible value for the indicator's unit."""
    if spec.unit == Indicator.Unit.YES_NO:
        return Decimal(1 if rng.random() < 0.8 else 0)
    value = spec.base * rng.uniform(0.85, 1.15)
    if spec.cumulative and period.quarter:
        value *= period.quarter
    if spec.unit == Indicator.Unit.PERCENTAGE:
        value = min(value, 100.0)
    return _decimal(value, spec.places)


def _drafts(specs: Sequence[Spec], open_quarter: ReportingPeriod) -> None:
    """Draft readings for 30% of the indicators due in the open quarter."""
    now = timezone.now()
    rows = (
        Reading(
            indicator_id=spec.pk,
            period=open_quarter,
            value=_decimal(spec.base, spec.places),
            status=Reading.Status.DRAFT,
            updated_by_id=spec.owner_id,
            updated_at=now,
            is_synthetic=True,
        )
        for n, spec in enumerate(specs)
        if not spec.annual and n % 10 < 3
    )
    _insert(Reading, rows)


def _indicator_history(spec: Spec, reviewer: User) -> str:
    """Give the indicator page's indicator a full history (four events a reading)."""
    actions = (
        (ReadingEvent.Action.CREATED, spec.owner_id, {"value": [None, "1"]}),
        (ReadingEvent.Action.SUBMITTED, spec.owner_id, {"status": ["draft", "submitted"]}),
        (ReadingEvent.Action.APPROVED, reviewer.pk, {"status": ["submitted", "approved"]}),
        (ReadingEvent.Action.PUBLISHED, reviewer.pk, {"status": ["approved", "published"]}),
    )
    events: list[ReadingEvent] = [
        ReadingEvent(reading=reading, version=v, action=a, by_id=by, changes=changes)
        for reading in Reading.objects.filter(indicator_id=spec.pk, status=Reading.Status.PUBLISHED)
        for v, (a, by, changes) in enumerate(actions, start=1)
    ]
    _insert(ReadingEvent, events)
    return Indicator.objects.values_list("code", flat=True).get(pk=spec.pk)


def _analyse() -> None:
    """Refresh the planner's statistics, as a live database's autovacuum would have."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _counts() -> dict[str, int]:
    """Rows of each kind generated."""
    models: dict[str, Any] = {
        "indicators": Indicator,
        "periods": ReportingPeriod,
        "readings": Reading,
        "targets": Target,
        "users": User,
    }
    return {name: model.objects.count() for name, model in models.items()}
