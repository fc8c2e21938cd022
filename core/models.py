"""The data version every cached page is keyed on, and the record of scheduled emails sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DataVersion(models.Model):
    """How many times the data pages show has changed, and when it last did (one row)."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"version {self.version} ({self.changed_at:%Y-%m-%d %H:%M})"


class ScheduledEmail(models.Model):
    """A scheduled email sent to one person about one thing on one day, recorded before it is
    sent: a second scheduler, a task delivered twice or run again by hand finds the record and
    sends nothing (core/sent_once.py)."""

    kind = models.CharField(max_length=30, help_text="Which job sent it, e.g. returns-reminder.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduled_emails"
    )
    about = models.CharField(
        max_length=60, blank=True, help_text="What it is about, e.g. the period's code."
    )
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "about", "day"], name="scheduled_email_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id} about {self.about or '-'} on {self.day}"
