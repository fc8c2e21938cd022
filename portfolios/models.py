"""Cabinet portfolios, the plan's delivery table, and scrutiny committees (their reports are
in reports/)."""

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
