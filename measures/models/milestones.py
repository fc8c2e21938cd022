"""Delivery: the quarterly progress update an officer gives for each milestone of the plan's
schemes, its history, and the stored position of every milestone in every period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambitions.models import Milestone, choices_constraints
from measures.choices import DeliveryStatus, MilestoneState, ReadingStatus, ScoreAudience
from measures.models.indicators import ReportingPeriod
from measures.models.readings import ReadingEvent


class MilestoneUpdate(models.Model):
    """One milestone's progress in one period: where it stands, what was done, and — when it
    slips, is at risk or its date moves — why, what is being done about it, and the new date.
    It goes through the same approval as a reading (draft, submitted, returned, approved,
    published with its period)."""

    Status = ReadingStatus

    DeliveryStatus = DeliveryStatus

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="updates")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="milestone_updates"
    )
    delivery_status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    progress_note = models.TextField(blank=True)
    revised_date = models.DateField(
        null=True, blank=True, help_text="When it is now expected, if not on its current date."
    )
    reason = models.TextField(blank=True, help_text="Why it slipped, is at risk or moved.")
    corrective_action = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    is_synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo: never a real update."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "period"], name="unique_milestone_update_period"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="milestone_update_version_from_1"
            ),
            *choices_constraints(
                "milestone_update",
                status=ReadingStatus.values,
                delivery_status=DeliveryStatus.values,
            ),
        ]
        indexes = [models.Index(fields=["period", "status"])]

    def __str__(self) -> str:
        return f"{self.milestone} {self.period}: {self.get_delivery_status_display()}"


class MilestoneUpdateEvent(models.Model):
    """One change to a milestone update: who, when, what changed and why. Never edited."""

    Action = ReadingEvent.Action

    update = models.ForeignKey(MilestoneUpdate, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")

    class Meta:
        ordering = ["update", "version", "at"]
        constraints = [
            *choices_constraints("milestone_update_event", action=ReadingEvent.Action.values)
        ]

    def __str__(self) -> str:
        return f"{self.update} v{self.version} {self.action}"


class MilestoneScore(models.Model):
    """Where a milestone stood at the end of a period, as one audience may know it: the one
    store that pages, dashboards, downloads and committee reports count and list from
    (measures/delivery.py judges it; measures/services/milestones/ keeps it true)."""

    State = MilestoneState

    Audience = ScoreAudience

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="scores")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="milestone_scores"
    )
    audience = models.CharField(max_length=10, choices=ScoreAudience.choices)
    update = models.ForeignKey(
        MilestoneUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=20, choices=MilestoneState.choices)
    state_order = models.PositiveSmallIntegerField()
    original_date = models.DateField(null=True, blank=True)
    current_date = models.DateField(null=True, blank=True)
    revisions = models.JSONField(
        default=list, help_text="[{date_before, date_after, reason, period, at}, …] oldest first"
    )
    overdue = models.BooleanField(default=False)
    progress_note = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    update_status = models.CharField(max_length=20, blank=True)
    update_period = models.CharField(max_length=20, blank=True, help_text="Its update's period.")
    is_synthetic = models.BooleanField(default=False)
    last_changed = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "period", "audience"], name="unique_milestone_score"
            ),
            *choices_constraints(
                "milestone_score", audience=ScoreAudience.values, state=MilestoneState.values
            ),
        ]
        indexes = [models.Index(fields=["period", "audience", "state_order"])]

    def __str__(self) -> str:
        return f"{self.milestone} {self.period} ({self.audience}): {self.state}"
