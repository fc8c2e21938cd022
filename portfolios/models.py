"""Cabinet portfolios, the plan's delivery table, and scrutiny committees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from ambitions.models import Ambition, Plan


class Portfolio(models.Model):
    """A cabinet portfolio ("Economy, Regeneration & Housing")."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    cabinet_member = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolios:detail", kwargs={"slug": self.slug})


class PortfolioNameVariant(models.Model):
    """Another spelling of a portfolio's name found in a plan, and why it was read as this one."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="variants")
    as_written = models.CharField(max_length=200, unique=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.as_written} → {self.portfolio}"


class DeliveryPriority(models.Model):
    """A row of the plan's "Delivery of our Council Plan" table: a priority and its blocks."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="delivery_priorities")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    all_cabinet_members = models.BooleanField(
        default=False, help_text="The plan gives this priority to every cabinet member."
    )
    blocks = models.ManyToManyField(Ambition, related_name="delivery_priorities")
    portfolios = models.ManyToManyField(
        Portfolio, through="DeliveryAssignment", related_name="delivery_priorities"
    )

    class Meta:
        ordering = ["plan", "position"]
        verbose_name_plural = "delivery priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_priority_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryAssignment(models.Model):
    """One cell of the delivery table: a portfolio named for a priority, as the plan wrote it."""

    priority = models.ForeignKey(
        DeliveryPriority, on_delete=models.CASCADE, related_name="assignments"
    )
    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="assignments")
    as_written = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["priority", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "portfolio"], name="unique_portfolio_per_priority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.portfolio}"


class ScrutinyCommittee(models.Model):
    """A scrutiny committee and the portfolios in its remit (not in the plan: editable data)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    remit = models.ManyToManyField(Portfolio, related_name="scrutiny_committees")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="scrutiny_committees",
        help_text="Scrutiny members who may request and download this committee's reports.",
    )
    to_be_confirmed = models.BooleanField(
        default=True, help_text="The remit is a starting set awaiting the council's confirmation."
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


def _report_path(run: ReportRun, filename: str) -> str:
    """Where a run's files live: never a name taken from what a user typed."""
    return f"reports/{run.committee.slug}/{run.period.code}/{run.pk}/{filename}"


class ReportRun(models.Model):
    """One requested scrutiny report: the row is the truth; Celery only carries its id."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FORMATS = ("pdf", "xlsx", "csv")

    committee = models.ForeignKey(
        ScrutinyCommittee, on_delete=models.PROTECT, related_name="report_runs"
    )
    period = models.ForeignKey(
        "measures.ReportingPeriod", on_delete=models.PROTECT, related_name="report_runs"
    )
    formats = models.JSONField(default=list, help_text='Some of "pdf", "xlsx", "csv".')
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    step = models.CharField(max_length=100, blank=True, help_text="What it is doing now.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Blank when queued automatically on publishing.",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="Last sent to a worker.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    data_as_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to=_report_path, blank=True)
    xlsx = models.FileField(upload_to=_report_path, blank=True)
    csv = models.FileField(upload_to=_report_path, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.committee} {self.period} ({self.get_status_display()})"

    def download_name(self, fmt: str) -> str:
        """The file name people get: made from codes, never from input."""
        return f"{self.committee.slug}-{self.period.code}-performance-report.{fmt}"
