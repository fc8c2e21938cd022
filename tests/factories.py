"""Factories for every test: a minimal plan, portfolios, indicators, periods, readings and
users by role."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from django.contrib.auth.models import Group, User

from ambitions.models import (
    Ambition,
    FocusArea,
    ImpactMeasure,
    Milestone,
    Plan,
    PlanBlockKind,
    Scheme,
)
from core.roles import Role
from measures.models import Indicator, MilestoneUpdate, Reading, ReportingPeriod, Target
from measures.periods import quarter_bounds, year_code
from measures.services import ReadingInput, reading_save
from measures.services.milestones import MilestoneInput, milestone_update_save
from portfolios.models import Portfolio

_serial = count(1)


def user(role: Role | None = None, username: str | None = None) -> User:
    name = username or f"user{next(_serial)}"
    person = User.objects.create_user(name, f"{name}@example.invalid", "not-a-real-password-1")
    if role is not None:
        # get_or_create: a transactional test's flush removes the groups the migration made.
        person.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return person


def impact_measure() -> ImpactMeasure:
    plan, _ = Plan.objects.get_or_create(
        slug="test-plan",
        defaults={
            "council": "Test",
            "title": "Test plan",
            "period_start": date(2024, 4, 1),
            "period_end": date(2027, 3, 31),
            "vision": "v",
            "mission": "m",
        },
    )
    ambition, _ = Ambition.objects.get_or_create(
        plan=plan,
        slug="a1",
        defaults={"code": "A1", "kind": _kind(plan), "title": "A1", "position": 1},
    )
    n = next(_serial)
    return ImpactMeasure.objects.create(
        ambition=ambition, code=f"A1.M{n}", title="m", statement="s", position=n
    )


def _kind(plan: Plan) -> PlanBlockKind:
    return PlanBlockKind.objects.get_or_create(
        plan=plan,
        slug="ambition",
        defaults={"singular": "Ambition", "plural": "Ambitions", "numbered": True, "position": 1},
    )[0]


def portfolio(slug: str = "economy") -> Portfolio:
    return Portfolio.objects.get_or_create(
        slug=slug, defaults={"name": slug.title(), "position": 1}
    )[0]


def indicator(owner: User | None = None, **fields: Any) -> Indicator:
    n = next(_serial)
    values: dict[str, Any] = {
        "code": f"T{n}",
        "title": f"Test indicator {n}",
        "impact_measure": impact_measure(),
        "unit": Indicator.Unit.COUNT,
        "decimal_places": 0,
        "polarity": Indicator.Polarity.HIGHER_IS_BETTER,
        "frequency": Indicator.Frequency.QUARTERLY,
        "first_year": 2024,
        "owner": owner,
        "lead_portfolio": portfolio(),
        "status": "agreed",
    }
    values.update(fields)
    return Indicator.objects.create(**values)


def quarter(financial_year: int = 2025, number: int = 2, state: str = "open") -> ReportingPeriod:
    start, end = quarter_bounds(financial_year, number)
    return ReportingPeriod.objects.get_or_create(
        code=f"{year_code(financial_year)}-Q{number}",
        defaults={
            "kind": "quarter",
            "financial_year": financial_year,
            "quarter": number,
            "start": start,
            "end": end,
            "deadline": end,
            "state": state,
        },
    )[0]


def year(financial_year: int = 2025, state: str = "open") -> ReportingPeriod:
    """The financial year as a period (April to March), e.g. 2025 for 2025/26."""
    return ReportingPeriod.objects.get_or_create(
        code=year_code(financial_year),
        defaults={
            "kind": "year",
            "financial_year": financial_year,
            "start": date(financial_year, 4, 1),
            "end": date(financial_year + 1, 3, 31),
            "deadline": date(financial_year + 1, 3, 31),
            "state": state,
        },
    )[0]


def target(of: Indicator, period: ReportingPeriod, value: str, tolerance: str = "0") -> Target:
    return Target.objects.create(
        indicator=of, period=period, value=Decimal(value), tolerance=Decimal(tolerance)
    )


def draft(
    of: Indicator, period: ReportingPeriod, value: str | None, by: User, **extra: Any
) -> Reading:
    """Save a draft from whatever version the reading is at now (0: none yet)."""
    data = ReadingInput(value=Decimal(value) if value is not None else None, **extra)
    return reading_save(
        indicator=of, period=period, data=data, by=by, expected_version=version_of(of, period)
    )


def version_of(of: Indicator, period: ReportingPeriod) -> int:
    """The reading's version now, or 0 when there is none yet."""
    reading = Reading.objects.filter(indicator=of, period=period).first()
    return reading.version if reading else 0


def milestone(
    owner: User | None = None,
    *,
    due_date: date | None = date(2025, 9, 30),
    scheme_owner: User | None = None,
    **fields: Any,
) -> Milestone:
    """A milestone of a scheme of the test plan's block (a scheme of its own each time)."""
    ambition = impact_measure().ambition
    area, _ = FocusArea.objects.get_or_create(
        ambition=ambition, code="A1.F1", defaults={"title": "Focus", "position": 1}
    )
    n = next(_serial)
    scheme = Scheme.objects.create(
        focus_area=area, slug=f"scheme-{n}", name=f"Scheme {n}", position=n, owner=scheme_owner
    )
    values: dict[str, Any] = {
        "title": f"Milestone {n}",
        "due": "in 2025",
        "due_date": due_date,
        "position": 1,
        "owner": owner,
    }
    values.update(fields)
    return Milestone.objects.create(scheme=scheme, **values)


def milestone_draft(
    of: Milestone, period: ReportingPeriod, by: User, status: str = "on_track", **extra: Any
) -> MilestoneUpdate:
    """Save a milestone update's draft from whatever version it is at now."""
    found = MilestoneUpdate.objects.filter(milestone=of, period=period).first()
    extra.setdefault("progress_note", "Work is going to plan.")
    return milestone_update_save(
        milestone=of,
        period=period,
        data=MilestoneInput(delivery_status=status, **extra),
        by=by,
        expected_version=found.version if found else 0,
    )
