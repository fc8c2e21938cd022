"""The readings officers enter, their history and uploads, and the stored scorecard judged
from them."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambitions.models import choices_constraints
from measures.choices import ReadingDataQuality, ReadingStatus, ScoreAudience
from measures.models.indicators import Indicator, ReportingPeriod


class Reading(models.Model):
    """One indicator's value for one period, with its commentary and where it is in approval."""

    Status = ReadingStatus

    DataQuality = ReadingDataQuality

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="readings")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="readings")
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    commentary = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    data_quality = models.CharField(
        max_length=20, choices=DataQuality.choices, default=DataQuality.PROVISIONAL
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    is_synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo: never a real figure."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="unique_reading_period"),
            models.CheckConstraint(condition=Q(version__gte=1), name="reading_version_from_1"),
            *choices_constraints(
                "reading", status=ReadingStatus.values, data_quality=ReadingDataQuality.values
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class ReadingEvent(models.Model):
    """One change to a reading: who, when, what changed and why. Never edited or deleted."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        UPLOADED = "uploaded", "Uploaded"

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    # Protected: deleting a person would lose who made each change. Deactivate them instead.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    class Meta:
        ordering = ["reading", "version", "at"]

    def __str__(self) -> str:
        return f"{self.reading} v{self.version} {self.action}"


def upload_path(upload: ReadingUpload, filename: str) -> str:
    """Where an uploaded file is kept (in the shared file storage): never the name its sender
    gave it, which is kept in `filename` for people to read."""
    suffix = Path(filename).suffix.lower()
    return f"uploads/{upload.uploaded_by_id}/{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"


class ReadingUpload(models.Model):
    """A file of readings an officer uploaded: read once, previewed, saved only on confirmation.

    The file is kept in the file storage every machine shares. It and the rows are purged
    UPLOAD_RETENTION_DAYS after upload; the row itself stays as the record of who uploaded
    what, when, and how many readings it saved."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_uploads"
    )
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=upload_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list, help_text="The rows as read: [[row number, {cells}]].")
    versions = models.JSONField(
        default=dict, help_text='Each named reading\'s version at upload: {"code|period": n}.'
    )
    file_error = models.TextField(blank=True, help_text="Why the file could not be read.")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rows_saved = models.PositiveIntegerField(default=0)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class Score(models.Model):
    """The stored judgement of one indicator in one period for one audience: everything a
    dashboard row, a report line or an open data row shows, written by the services (in the
    same transaction) whenever anything it depends on changes. measures/scorecard.py makes
    it; `manage.py scorecard_rebuild` makes them all afresh and says what it corrected."""

    Audience = ScoreAudience

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="scores")
    audience = models.CharField(max_length=10, choices=ScoreAudience.choices)
    reading = models.ForeignKey(
        Reading, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    previous_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    previous_period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    last_year_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_upper = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    rag = models.CharField(max_length=20)
    rag_order = models.PositiveSmallIntegerField()
    direction = models.CharField(max_length=20)
    direction_order = models.PositiveSmallIntegerField()
    direction_basis = models.CharField(
        max_length=30, blank=True, help_text="What the direction compares with (Basis)."
    )
    last_year_direction = models.CharField(
        max_length=20, blank=True, help_text="The direction against the same period a year before."
    )
    trajectory = models.CharField(max_length=20)
    trend = models.JSONField(default=list, help_text="[[period label, value or null], …]")
    reading_status = models.CharField(max_length=20, blank=True)
    data_quality = models.CharField(max_length=20, blank=True)
    commentary = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    is_synthetic = models.BooleanField(default=False)
    last_changed = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "audience"], name="unique_score_per_audience"
            ),
            *choices_constraints("score", audience=ScoreAudience.values),
        ]
        indexes = [models.Index(fields=["period", "audience", "rag_order"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_id} {self.audience}: {self.rag}"
