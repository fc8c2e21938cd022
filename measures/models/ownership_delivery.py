"""Who was given or lost a scheme or a milestone, as its lead officer, owner or a delegate:
kept for schemes and milestones as OwnershipChange is for indicators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ambitions.models import Milestone, Scheme, choices_constraints
from measures.models.indicators import OwnershipChange


class DeliveryOwnershipChange(models.Model):
    """One change to who leads a scheme, owns a milestone or is a delegate on either, by whom,
    when and why (measures/services/milestone_owners.py and the hand-over write them; the
    people pages and the owners page show them)."""

    # The same three kinds of change as an indicator's, so both histories read alike.
    Kind = OwnershipChange.Kind

    scheme = models.ForeignKey(
        Scheme,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ownership_changes",
        help_text="The scheme whose lead officer or delegates changed (empty for a milestone).",
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ownership_changes",
        help_text="The milestone whose owner or delegates changed (empty for a scheme).",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    before = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who had it (for a milestone's owner, empty: its scheme's lead officer).",
    )
    after = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who has it now (for a milestone's owner, empty: its scheme's lead officer).",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(
        blank=True, help_text="Why; needed whenever someone lost the scheme or milestone."
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheme__isnull=False, milestone__isnull=True)
                | Q(scheme__isnull=True, milestone__isnull=False),
                name="delivery_ownership_change_of_one_thing",
                violation_error_message="A change is to a scheme or to a milestone, not both.",
            ),
            *choices_constraints("delivery_ownership_change", kind=OwnershipChange.Kind.values),
        ]

    def __str__(self) -> str:
        what = self.scheme if self.scheme_id else self.milestone
        return f"{what}: {self.get_kind_display()} ({self.changed_at:%Y-%m-%d})"
