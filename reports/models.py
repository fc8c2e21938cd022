"""Scrutiny reports: one requested report run and the files it made."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ambitions.models import choices_constraints
from portfolios.models import ScrutinyCommittee


def report_path(run: ReportRun, filename: str) -> str:
    """Where a run's files live: never a name taken from what a user typed."""
    return f"reports/{run.committee.slug}/{run.period.code}/{run.pk}/{filename}"


class ReportRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    """One requested scrutiny report: the row is the truth; Celery only carries its id."""

    Status = ReportRunStatus

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
    snapshot = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the next report compares with: its exceptions and targets (since.py).",
    )
    pdf = models.FileField(upload_to=report_path, blank=True)
    xlsx = models.FileField(upload_to=report_path, blank=True)
    csv = models.FileField(upload_to=report_path, blank=True)

    class Meta:
        # The table and its index keep the names they had when reports lived in portfolios/,
        # so moving the model moved no data.
        db_table = "portfolios_reportrun"
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="portfolios__status_1c1bcf_idx")
        ]
        constraints = [
            *choices_constraints("report_run", status=ReportRunStatus.values),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_run_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.period} ({self.get_status_display()})"

    def download_name(self, fmt: str) -> str:
        """The file name people get: made from codes, never from input."""
        return f"{self.committee.slug}-{self.period.code}-performance-report.{fmt}"
