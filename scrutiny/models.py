"""What a scrutiny committee decided: its meetings (the report each considered) and the
recommendations made at them, each with its history of progress updates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ambitions.models import Milestone, choices_constraints
from core.formatting import person_name
from measures.models import Indicator, ReportingPeriod
from portfolios.models import Portfolio, ScrutinyCommittee


class Meeting(models.Model):
    """One meeting of a committee, and the quarter's report it considered."""

    committee = models.ForeignKey(
        ScrutinyCommittee, on_delete=models.PROTECT, related_name="meetings"
    )
    held_on = models.DateField()
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The period whose report the meeting considered.",
    )
    report_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="The fingerprint of the report considered."
    )
    minutes_url = models.URLField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["committee", "-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "held_on"],
                name="one_meeting_per_committee_per_day",
                violation_error_message="the committee already has a meeting on that day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee}, {self.held_on:%d %B %Y}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


CLOSED = frozenset({RecommendationStatus.DONE, RecommendationStatus.NOT_ACCEPTED})


class Recommendation(models.Model):
    """What a committee asked for at a meeting, who owns it, by when, and where it stands."""

    Status = RecommendationStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="recommendations")
    text = models.TextField()
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+")
    milestones = models.ManyToManyField(Milestone, blank=True, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="A named officer who does not sign in here."
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            *choices_constraints("recommendation", status=RecommendationStatus.values),
            models.CheckConstraint(
                condition=Q(status__in=sorted(CLOSED), closed_at__isnull=False)
                | (~Q(status__in=sorted(CLOSED)) & Q(closed_at__isnull=True)),
                name="recommendation_closed_at_when_closed",
                violation_error_message="a recommendation has a closing time once closed only",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def owner_text(self) -> str:
        """Who owns it, as people read it ("" when no one is named)."""
        return person_name(self.owner) if self.owner else self.owner_name


class RecommendationUpdate(models.Model):
    """One change to a recommendation: its status after it, who, when and a note. Never edited."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    version = models.PositiveIntegerField()
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "version"], name="one_update_per_recommendation_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} v{self.version}: {self.get_status_display()}"
