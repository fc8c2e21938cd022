"""Indicators, their reporting periods, targets and comparators, and who owns them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ambitions.models import Ambition, ImpactMeasure, choices_constraints
from measures.choices import (
    IndicatorFrequency as IndicatorFrequency,
)
from measures.choices import (
    IndicatorPolarity as IndicatorPolarity,
)
from measures.choices import (
    IndicatorStatus as IndicatorStatus,
)
from measures.choices import (
    IndicatorUnit as IndicatorUnit,
)
from measures.choices import (
    ReadingDataQuality as ReadingDataQuality,
)
from measures.choices import (
    ReadingStatus as ReadingStatus,
)
from measures.choices import (
    ReportingPeriodState as ReportingPeriodState,
)
from measures.choices import (
    ScoreAudience as ScoreAudience,
)
from portfolios.models import Portfolio


class Indicator(models.Model):
    """A quantified measure that evidences an impact measure of the plan."""

    Unit = IndicatorUnit

    Frequency = IndicatorFrequency

    Status = IndicatorStatus

    Polarity = IndicatorPolarity

    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    impact_measure = models.ForeignKey(
        ImpactMeasure,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="The impact measure it evidences in the plan it was first defined for.",
    )
    later_measures = models.ManyToManyField(
        ImpactMeasure,
        blank=True,
        related_name="continued_indicators",
        help_text="The impact measures of later plans it goes on evidencing, one per plan, so "
        "its history runs on unbroken (measures/plans.py).",
    )
    lead_portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="delegated_indicators"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    decimal_places = models.PositiveSmallIntegerField(default=0)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    cumulative = models.BooleanField(default=False, help_text="Each value is a year-to-date total.")
    seasonal = models.BooleanField(
        default=False,
        help_text="Its quarters follow the year (school terms, winter pressures): each quarter's "
        "direction of travel is against the same quarter a year before.",
    )
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_period = models.CharField(max_length=40, blank=True)
    data_source = models.CharField(max_length=300, blank=True)
    is_public = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    source_statement = models.TextField(blank=True, help_text="The plan's words for the target.")
    first_year = models.PositiveSmallIntegerField(help_text="First financial year, e.g. 2024.")
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    themes = models.ManyToManyField(
        Ambition,
        blank=True,
        related_name="themed_indicators",
        limit_choices_to={"kind__cuts_across": True},
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="indicator_last_year_not_before_first",
                violation_error_message="last_year must not be before first_year",
            ),
            models.CheckConstraint(
                condition=Q(decimal_places__lte=4),
                name="indicator_at_most_4_places",
                violation_error_message="decimal_places must be at most 4: the columns keep 4",
            ),
            *choices_constraints(
                "indicator",
                unit=IndicatorUnit.values,
                polarity=IndicatorPolarity.values,
                frequency=IndicatorFrequency.values,
                status=IndicatorStatus.values,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("measures:indicator", kwargs={"code": self.code})

    def is_active_in(self, financial_year: int) -> bool:
        """Whether the indicator is reported in that financial year (retired ones keep history)."""
        return self.first_year <= financial_year and (
            self.last_year is None or financial_year <= self.last_year
        )


class ReportingPeriod(models.Model):
    """A financial-year quarter (Q1 = April to June) or a whole financial year."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", "Quarter"
        YEAR = "year", "Year"

    State = ReportingPeriodState

    code = models.CharField(max_length=20, unique=True, help_text="2025-26-Q2 or 2025-26.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    financial_year = models.PositiveSmallIntegerField(help_text="2025 for 2025/26.")
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField(help_text="Returns are due by the end of this day.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_OPEN)
    published_at = models.DateTimeField(null=True, blank=True)
    # Who moved it, and when (the latest move of each kind): services/periods.py writes them.
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_early_reason = models.TextField(
        blank=True, help_text="Why it was opened before it ended (required then)."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start", "-end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="period_ends_after_it_starts",
                violation_error_message="a period's end must not be before its start",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("end")),
                name="period_deadline_not_before_end",
                violation_error_message="a period's deadline must not be before its end",
            ),
            models.CheckConstraint(
                # quarter IS NOT NULL: a CHECK that comes out unknown (NULL) would pass.
                condition=(
                    Q(kind="quarter", quarter__isnull=False) & Q(quarter__gte=1, quarter__lte=4)
                )
                | (Q(kind="year") & Q(quarter__isnull=True)),
                name="period_quarter_1_to_4_for_quarters_only",
                violation_error_message="a quarter is numbered 1 to 4; a year has no number",
            ),
            *choices_constraints("period", state=ReportingPeriodState.values),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As people say it: "2025/26 Q2" or "2025/26"."""
        year = f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"
        return f"{year} Q{self.quarter}" if self.quarter else year

    def days_to_deadline(self, today: date) -> int:
        """Days left before the deadline (negative once it has passed)."""
        return (self.deadline - today).days


class Target(models.Model):
    """The value an indicator should reach in a period, with its amber tolerance."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="targets")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    upper = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True, help_text="Band's upper edge."
    )
    tolerance = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    polarity = models.CharField(
        max_length=20,
        choices=IndicatorPolarity.choices,
        blank=True,
        help_text="Blank: the indicator's own polarity.",
    )
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text='What set it, e.g. "2025/26 agreement, version 2, agreed by Cabinet on …".',
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_target_period"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("value")),
                name="target_band_upper_not_below_value",
                violation_error_message="a band's upper edge must not be below its lower edge",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0),
                name="target_tolerance_not_negative",
                violation_error_message="a tolerance must not be negative",
            ),
            models.CheckConstraint(
                condition=Q(polarity="") | Q(polarity__in=IndicatorPolarity.values),
                name="target_polarity_valid",
                violation_error_message="a target's polarity must be blank or one of the choices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class TargetChange(models.Model):
    """One change to a period's target: who, when, what it was and became, why, and what set it
    (an agreement's version). Never edited or deleted: the history of what judged what."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="target_changes"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, help_text="{value, upper, tolerance, polarity} or {}")
    after = models.JSONField(default=dict, help_text="{value, upper, tolerance, polarity} or {}")
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "period__start", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id} at {self.at:%Y-%m-%d %H:%M}"


class TrajectoryTarget(models.Model):
    """A dated straight-line target ("1,500 homes by March 2027")."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="trajectories")
    start_date = models.DateField()
    start_value = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Blank: start from the indicator's baseline.",
    )
    due_date = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "due_date"], name="unique_trajectory_due"),
            models.CheckConstraint(
                condition=Q(due_date__gt=F("start_date")),
                name="trajectory_due_after_start",
                violation_error_message="a trajectory's due date must be after its start date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value} by {self.due_date}"


class Comparator(models.Model):
    """A benchmark for an indicator in a period, such as the England or North West average."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparators")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=100, help_text='e.g. "England average"')
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "label", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "label"], name="unique_comparator_period_label"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.label} {self.period}: {self.value}"


class OwnershipChange(models.Model):
    """Who was given or lost an indicator, as its owner or a delegate, by whom, when and why
    (measures/services/ownership.py writes them; the people pages show them)."""

    class Kind(models.TextChoices):
        OWNER = "owner", "Owner changed"
        DELEGATE_ADDED = "delegate_added", "Delegate added"
        DELEGATE_REMOVED = "delegate_removed", "Delegate removed"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="ownership_changes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose indicator it was when this changed (for a delegate, the owner).",
    )
    before = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    after = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.get_kind_display()} ({self.changed_at:%Y-%m-%d})"
