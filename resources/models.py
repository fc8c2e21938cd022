"""A quarter's finance figures as returns (one per kind and quarter) holding their lines, the
history of every change to them, and the variance threshold the performance team sets.

Amounts are pounds as exact decimals (never floats). What is worked out from them (a
variance, a slippage, a closing balance) is never stored: resources/money.py computes it."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambitions.models import Scheme, choices_constraints
from measures.models import ReportingPeriod
from portfolios.models import Portfolio
from resources import money
from resources.choices import FinanceKind, FinanceStatus, SavingRag


class FinanceReturn(models.Model):
    """One kind of figures (revenue, savings, capital or reserves) for one quarter."""

    Kind = FinanceKind
    Status = FinanceStatus

    kind = models.CharField(max_length=10, choices=FinanceKind.choices)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="finance_returns"
    )
    status = models.CharField(
        max_length=10, choices=FinanceStatus.choices, default=FinanceStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(max_length=255, blank=True, help_text="The file it came from.")
    is_synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo: never a real figure."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(blank=True)

    class Meta:
        ordering = ["period__start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="unique_finance_return"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="finance_return_version_from_1"
            ),
            *choices_constraints(
                "finance_return", kind=FinanceKind.values, status=FinanceStatus.values
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class FinanceAction(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    REPLACED = "replaced", "Replaced by a new upload"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    PUBLISHED = "published", "Published"


class FinanceEvent(models.Model):
    """One change to a return: who, when, what and why, with the lines it replaced. Never
    edited or deleted."""

    Action = FinanceAction

    finance_return = models.ForeignKey(
        FinanceReturn, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=10, choices=FinanceAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(help_text="The return's version after the change.")
    replaced = models.JSONField(
        default=list, blank=True, help_text="The lines a new upload replaced, as they were."
    )

    class Meta:
        ordering = ["at", "pk"]
        constraints = [*choices_constraints("finance_event", action=FinanceAction.values)]

    def __str__(self) -> str:
        return f"{self.finance_return} {self.action} v{self.version}"


class RevenueLine(models.Model):
    """A portfolio's (or one of its service lines') revenue budget and forecast outturn."""

    finance_return = models.ForeignKey(
        FinanceReturn, on_delete=models.CASCADE, related_name="revenue_lines"
    )
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="+")
    service_line = models.CharField(max_length=200, blank=True)
    original_budget = models.DecimalField(max_digits=14, decimal_places=2)
    current_budget = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="After virements."
    )
    forecast_outturn = models.DecimalField(max_digits=14, decimal_places=2)
    explanation = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finance_return", "portfolio", "service_line"],
                name="unique_revenue_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} {self.service_line}".strip()

    @property
    def variance(self) -> Decimal:
        """Forecast outturn less the current budget: above zero an overspend."""
        return money.variance(budget=self.current_budget, forecast=self.forecast_outturn)


class SavingItem(models.Model):
    """One saving of the savings programme and how its delivery is forecast."""

    Rag = SavingRag

    finance_return = models.ForeignKey(
        FinanceReturn, on_delete=models.CASCADE, related_name="savings"
    )
    reference = models.CharField(max_length=30)
    description = models.CharField(max_length=300)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="+")
    target_saving = models.DecimalField(max_digits=14, decimal_places=2)
    forecast_delivered = models.DecimalField(max_digits=14, decimal_places=2)
    rag = models.CharField(max_length=5, choices=SavingRag.choices)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finance_return", "reference"], name="unique_saving_item"
            ),
            models.CheckConstraint(
                condition=Q(target_saving__gte=0) & Q(forecast_delivered__gte=0),
                name="saving_amounts_not_negative",
            ),
            *choices_constraints("saving_item", rag=SavingRag.values),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.description}"


class CapitalLine(models.Model):
    """One capital scheme's budget for the year, spend to date and forecast; linked to the
    plan's scheme when they are the same thing."""

    finance_return = models.ForeignKey(
        FinanceReturn, on_delete=models.CASCADE, related_name="capital_lines"
    )
    reference = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="capital_lines"
    )
    budget = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="This financial year's capital budget."
    )
    spend_to_date = models.DecimalField(max_digits=14, decimal_places=2)
    forecast = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Forecast spend for the year."
    )
    slippage_reason = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finance_return", "reference"], name="unique_capital_line"
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & Q(spend_to_date__gte=0) & Q(forecast__gte=0),
                name="capital_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @property
    def slippage(self) -> Decimal:
        """How much of the year's budget is forecast not to be spent this year (0 if none)."""
        return money.slippage(budget=self.budget, forecast=self.forecast)


class ReserveLine(models.Model):
    """One of the council's reserves: its opening balance, planned and forecast use."""

    finance_return = models.ForeignKey(
        FinanceReturn, on_delete=models.CASCADE, related_name="reserves"
    )
    name = models.CharField(max_length=200)
    opening_balance = models.DecimalField(max_digits=14, decimal_places=2)
    planned_use = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Below zero: a planned contribution."
    )
    forecast_use = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Below zero: a forecast contribution."
    )
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["finance_return", "name"], name="unique_reserve"),
            models.CheckConstraint(
                condition=Q(opening_balance__gte=0), name="reserve_opening_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def forecast_closing(self) -> Decimal:
        return self.opening_balance - self.forecast_use

    @property
    def planned_closing(self) -> Decimal:
        return self.opening_balance - self.planned_use


class VarianceThreshold(models.Model):
    """When a revenue variance needs an explanation, for one financial year: more than this
    many pounds either way, or more than this percentage of the current budget. The
    performance team sets it; each change is a new row, so the history is kept."""

    financial_year = models.PositiveSmallIntegerField(help_text="2026 for 2026/27.")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["financial_year", "set_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) | Q(amount__gte=0))
                & (Q(percent__isnull=True) | Q(percent__gte=0)),
                name="variance_threshold_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.financial_year}: £{self.amount} or {self.percent}%"


class FinanceUpload(models.Model):
    """A file of finance figures as uploaded: read once, its rows kept by kind with the
    version of each return it would replace, saved only when its preview is confirmed."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="finance_uploads"
    )
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(
        default=dict, help_text='The rows as read, by kind: {"revenue": [[row number, {cells}]]}.'
    )
    versions = models.JSONField(
        default=dict, help_text='Each return\'s version at upload: {"revenue|2026-27-Q2": n}.'
    )
    file_error = models.TextField(blank=True, help_text="Why the file could not be read.")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    lines_saved = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"
