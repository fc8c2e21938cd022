"""An agreement per portfolio and financial year, in versions: drafted, out for scrutiny
comment, agreed by Cabinet, and amended (each amendment a new version; the old kept)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from ambitions.models import Scheme, choices_constraints
from measures.models import Indicator, IndicatorPolarity
from measures.periods import year_label
from portfolios.models import Portfolio


class Agreement(models.Model):
    """One portfolio's agreement for one financial year (2025 for 2025/26)."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="agreements")
    financial_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-financial_year", "portfolio__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "financial_year"], name="unique_agreement_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.portfolio} {self.year_label}"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:detail",
            kwargs={"slug": self.portfolio.slug, "year": self.financial_year},
        )

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    @property
    def year_start(self) -> date:
        return date(self.financial_year, 4, 1)

    @property
    def year_end(self) -> date:
        return date(self.financial_year + 1, 3, 31)


class VersionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    FOR_COMMENT = "for_comment", "Out for scrutiny comment"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Amended since"


OPEN_STATES = (VersionState.DRAFT, VersionState.FOR_COMMENT)
READ_STATES = (VersionState.AGREED, VersionState.SUPERSEDED)


class AgreementVersion(models.Model):
    """One version of an agreement. Version 1 is in force from the year's start once agreed;
    an amendment is a later version, in force from its `effective_from` date once agreed,
    which leaves the version before it readable as it was."""

    State = VersionState

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    introduction = models.TextField(blank=True, help_text="The portfolio holder's introduction.")
    reason = models.TextField(blank=True, help_text="Why this version amends the one before.")
    effective_from = models.DateField(help_text="The first day its targets judge.")
    agreed_on = models.DateField(null=True, blank=True, help_text="The Cabinet meeting's date.")
    decided_by = models.CharField(max_length=200, default="Cabinet")
    revision = models.PositiveIntegerField(
        default=1, help_text="Counts every edit, so a page saved from an old copy is refused."
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="Made up for the demo: never a real agreement."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(state="agreed"),
                name="one_agreed_version_at_a_time",
                violation_error_message="an agreement has one version in force at a time",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(state__in=["draft", "for_comment"]),
                name="one_open_version_at_a_time",
                violation_error_message="an agreement has at most one version being drafted",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_1"),
            *choices_constraints("agreement_version", state=VersionState.values),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} version {self.number}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def decision(self) -> str:
        """ "agreed by Cabinet on 12 March 2025", or "" before it is agreed."""
        if self.state not in READ_STATES:
            return ""
        when = f" on {self.agreed_on:%-d %B %Y}" if self.agreed_on else ""
        return f"agreed by {self.decided_by}{when}"

    @property
    def source(self) -> str:
        """What the targets it sets say set them."""
        decision = self.decision or "not yet agreed"
        return f"{self.agreement.year_label} agreement, version {self.number}, {decision}"[:300]


class AgreedMeasure(models.Model):
    """An indicator the portfolio reports that year, with its annual target (blank: reported
    without one), the band's upper edge, the quarterly profile (blank quarters take the
    default profile), the tolerance for "close to target" and the polarity."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    q1 = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    q2 = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    q3 = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    q4 = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=16, decimal_places=4, default=Decimal(0))
    polarity = models.CharField(max_length=20, choices=IndicatorPolarity.choices)
    note = models.TextField(blank=True, help_text="Where the target comes from, or why none.")

    class Meta:
        ordering = ["version", "indicator__position", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "indicator"], name="unique_measure_per_version"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0),
                name="agreed_tolerance_not_negative",
                violation_error_message="a tolerance must not be negative",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gte=F("target")),
                name="agreed_band_upper_not_below_target",
                violation_error_message="a band's upper edge must not be below its lower edge",
            ),
            *choices_constraints("agreed_measure", polarity=IndicatorPolarity.values),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.indicator.code}"

    @property
    def profile(self) -> list[Decimal | None]:
        return [self.q1, self.q2, self.q3, self.q4]


class KeyProject(models.Model):
    """A scheme of the plan the portfolio commits to deliver that year (its milestones with it)."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="key_projects"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "scheme__focus_area__ambition__position", "scheme__position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "scheme"], name="unique_key_project")
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.scheme}"


class AgreementComment(models.Model):
    """A scrutiny member's comment on a version out for comment: on one indicator or the whole."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="comments")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}: comment by {self.by_id}"


class AgreementEvent(models.Model):
    """One change to a version: who, when, what changed (old and new) and why. Never edited."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", "Drafted"
        EDITED = "edited", "Targets edited"
        UPLOADED = "uploaded", "Targets uploaded"
        KEY_PROJECTS = "key_projects", "Key projects changed"
        INTRODUCTION = "introduction", "Introduction changed"
        SENT_FOR_COMMENT = "sent_for_comment", "Sent for scrutiny comment"
        COMMENTED = "commented", "Commented on"
        AGREED = "agreed", "Agreed"
        AMENDED = "amended", "Amendment started"
        SUPERSEDED = "superseded", "Replaced by an amendment"

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    changes = models.JSONField(default=dict, help_text="{indicator code: {field: [old, new]}}")

    class Meta:
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version} {self.action}"
