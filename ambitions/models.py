"""The council plan as data: plan, blocks (ambitions), focus areas, impact measures, schemes."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


def choices_constraints(prefix: str, **fields: list[str]) -> list[models.CheckConstraint]:
    """A check constraint per field that the database holds only the field's choices."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{field}__in": values}),
            name=f"{prefix}_{field}_is_a_choice",
            violation_error_message=f"{field} must be one of: {', '.join(values)}",
        )
        for field, values in fields.items()
    ]


class Plan(models.Model):
    """One council plan with its period, vision, mission and values."""

    slug = models.SlugField(max_length=80, unique=True)
    council = models.CharField(max_length=120, help_text="The council's name, as its pages head.")
    council_short_name = models.CharField(
        max_length=60, blank=True, help_text="The place's name alone, where the name is repeated."
    )
    brand_colour = models.CharField(
        max_length=7, blank=True, help_text="The council's colour as #rrggbb, under the header."
    )
    logo = models.CharField(
        max_length=200, blank=True, help_text="A logo's path under static/, shown in the header."
    )
    title = models.CharField(max_length=200)
    strapline = models.CharField(max_length=300, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    vision = models.TextField()
    mission = models.TextField()
    values_statement = models.TextField(blank=True)
    introduction = models.TextField(blank=True)
    delivery_statement = models.TextField(blank=True)
    focus_area_singular = models.CharField(max_length=60, default="focus area")
    focus_area_plural = models.CharField(max_length=60, default="focus areas")
    focus_areas_heading = models.CharField(max_length=120, default="Focus areas")
    impact_measure_singular = models.CharField(max_length=60, default="impact measure")
    impact_measure_plural = models.CharField(max_length=60, default="impact measures")
    impact_measures_heading = models.CharField(max_length=120, default="Impact measures")

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="plan_ends_after_it_starts",
                violation_error_message="period_start must come before period_end",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def place(self) -> str:
        """The council's short name where there is one, else its name."""
        return self.council_short_name or self.council

    def state_on(self, day: date) -> str:
        """ "in force", "ended" or "not yet in force" on that day, by the plan's dates."""
        if day < self.period_start:
            return PlanState.NOT_YET
        if day > self.period_end:
            return PlanState.ENDED
        return PlanState.IN_FORCE


class PlanState:
    IN_FORCE = "in force"
    ENDED = "ended"
    NOT_YET = "not yet in force"


class PlanBlockKind(models.Model):
    """A kind of block a plan is made of, in the plan's own words: "Ambition 1", "Enabler 2"
    and cross-cutting themes in one plan, "Strategic priority 3" in another."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="block_kinds")
    slug = models.SlugField(max_length=40, help_text="What block files say as their kind.")
    singular = models.CharField(max_length=60)
    plural = models.CharField(max_length=60)
    numbered = models.BooleanField(
        default=False, help_text="Blocks of this kind are numbered in the plan (Ambition 1…)."
    )
    number_prefix = models.CharField(
        max_length=60, blank=True, help_text="The word before a number, if not the singular."
    )
    cuts_across = models.BooleanField(
        default=False,
        help_text="A theme that indicators of other blocks can be tagged with as well.",
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="unique_block_kind_per_plan")
        ]

    def __str__(self) -> str:
        return self.singular


class PlanValue(models.Model):
    """One of the plan's values, as the plan names and describes it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="values")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="unique_value_name_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class BoroughPlan(models.Model):
    """A partnership plan the council plan supports (a borough or county plan with partners)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class BoroughPlanTheme(models.Model):
    """A pillar of a borough plan, or a strand (a theme with a parent pillar, or a plain strand)."""

    borough_plan = models.ForeignKey(BoroughPlan, on_delete=models.CASCADE, related_name="themes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["borough_plan", "parent__position", "position"]

    def __str__(self) -> str:
        return self.name


class BlockManager(models.Manager["Ambition"]):
    """Blocks come with their kind, which every label is made from."""

    def get_queryset(self) -> models.QuerySet[Ambition]:
        return super().get_queryset().select_related("kind")


class Ambition(models.Model):
    """A top-level block of the plan, of one of the kinds the plan declares (an ambition, a
    theme, an enabler, a strategic priority…)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="ambitions")
    slug = models.SlugField(max_length=80)
    code = models.CharField(max_length=10)
    kind = models.ForeignKey(PlanBlockKind, on_delete=models.PROTECT, related_name="blocks")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()
    supports = models.ManyToManyField(BoroughPlanTheme, blank=True, related_name="ambitions")

    objects = BlockManager()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="unique_ambition_slug_per_plan"),
            models.UniqueConstraint(fields=["plan", "code"], name="unique_ambition_code_per_plan"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("ambitions:block", kwargs={"plan": self.plan.slug, "slug": self.slug})

    @property
    def label(self) -> str:
        """The block's name as the plan heads it: "Ambition 1: Investment, …", by the words
        its kind is declared with."""
        kind = self.kind
        if kind.numbered and self.number:
            return f"{kind.number_prefix or kind.singular} {self.number}: {self.title}"
        return self.title


class FocusArea(models.Model):
    """One area of focus of a block (the plan's word for it is Plan.focus_area_singular)."""

    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ambition__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ambition", "code"], name="unique_focus_area_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ImpactMeasure(models.Model):
    """One statement of the impact a block is judged by (Plan.impact_measure_singular)."""

    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="impact_measures")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    statement = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ambition__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ambition", "code"], name="unique_impact_measure_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Scheme(models.Model):
    """A named scheme, project or programme under a focus area."""

    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="schemes")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    partners = models.JSONField(
        default=list, blank=True, help_text="The partners the plan names for it, as it names them."
    )
    # Who leads its delivery (the performance team assigns them; not in the plan). Its
    # milestones' updates are theirs unless a milestone has an owner of its own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_schemes",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="delegated_schemes"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["focus_area__ambition__position", "focus_area__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "slug"], name="unique_scheme_slug")
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ON_TRACK = "on_track", "On track"
    SLIPPED = "slipped", "Slipped"
    COMPLETE = "complete", "Complete"


class Milestone(models.Model):
    """A dated step of a scheme, as the plan states it. Its progress after that is reported
    in quarterly updates (measures.MilestoneUpdate); `status` is the plan's word only."""

    Status = MilestoneStatus

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due = models.CharField(max_length=100, blank=True, help_text="The plan's words, e.g. 2024/25.")
    due_date = models.DateField(
        null=True, blank=True, help_text="The last day of that period: its original date."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text="As the plan states it (complete for steps already done when it was written).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_milestones",
        help_text="Leave empty for the scheme's lead officer.",
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="delegated_milestones"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "title"], name="unique_milestone_title"),
            *choices_constraints("milestone", status=MilestoneStatus.values),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.title}"


class Commitment(models.Model):
    """A number the plan commits to ("1,500 new homes by 2027"), with what it belongs to."""

    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="commitments")
    code = models.CharField(max_length=20)
    statement = models.TextField()
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=100)
    due = models.CharField(max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    impact_measure = models.ForeignKey(
        ImpactMeasure, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ambition__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ambition", "code"], name="unique_commitment_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:80]}"
