"""Admin for the plan: every model, with its parts inline where that helps editing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from ambitions.models import (
    Ambition,
    BoroughPlan,
    BoroughPlanTheme,
    Commitment,
    FocusArea,
    ImpactMeasure,
    Milestone,
    Plan,
    PlanBlockKind,
    PlanValue,
    Scheme,
)


class PlanValueInline(admin.TabularInline):
    model = PlanValue
    extra = 0


class PlanBlockKindInline(admin.TabularInline):
    model = PlanBlockKind
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "council", "period_start", "period_end"]
    inlines = [PlanBlockKindInline, PlanValueInline]


@admin.register(PlanBlockKind)
class PlanBlockKindAdmin(admin.ModelAdmin):
    list_display = ["singular", "plural", "numbered", "cuts_across", "plan", "position"]
    list_filter = ["plan"]


@admin.register(PlanValue)
class PlanValueAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "position"]
    list_filter = ["plan"]


@admin.register(BoroughPlan)
class BoroughPlanAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(BoroughPlanTheme)
class BoroughPlanThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "borough_plan", "position"]
    list_filter = ["borough_plan"]


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0


class ImpactMeasureInline(admin.StackedInline):
    model = ImpactMeasure
    extra = 0


@admin.register(Ambition)
class AmbitionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "plan", "position"]
    list_filter = ["plan", "kind"]
    filter_horizontal = ["supports"]
    inlines = [FocusAreaInline, ImpactMeasureInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "ambition"]
    list_filter = ["ambition__plan", "ambition"]
    search_fields = ["code", "title", "description"]


@admin.register(ImpactMeasure)
class ImpactMeasureAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "ambition"]
    list_filter = ["ambition__plan", "ambition"]
    search_fields = ["code", "title", "statement"]


STATUS_IN_PLAN = "Status in the plan"


class MilestoneForm(forms.ModelForm):
    """A milestone's `status` is the plan's own word; its progress is in its updates."""

    class Meta:
        model = Milestone
        fields = ["scheme", "title", "due", "due_date", "status", "position"]
        labels = {"status": STATUS_IN_PLAN}


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "focus_area",
            "slug",
            "name",
            "description",
            "partners",
            "position",
        ]
        help_texts = {
            "partners": 'The names the plan gives, as a list, e.g. ["Muse"]. They come from '
            "the plan's fixtures: loading the plan again sets them back to the fixture's.",
        }


class StatusInPlanFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = STATUS_IN_PLAN.lower()


# Owners and delegates are shown, not edited, here: they change on the performance team's
# "Milestone owners" page, whose service checks who may own and keeps each change with its
# reason (measures/services/milestone_owners.py).
OWNERS_ELSEWHERE = ("owner", "delegates")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = MilestoneForm
    extra = 0
    fields = ["title", "due", "due_date", "status", "owner", "position"]
    readonly_fields = ["owner"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    form = SchemeForm
    list_display = ["name", "focus_area", "owner"]
    list_filter = ["focus_area__ambition"]
    list_select_related = ["focus_area", "owner"]
    search_fields = ["name", "description"]
    readonly_fields = ["lead_officer", "delegates"]
    inlines = [MilestoneInline]

    @admin.display(description="Lead officer (changed on the Milestone owners page)")
    def lead_officer(self, scheme: Scheme) -> str:
        return str(scheme.owner or "none yet")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    form = MilestoneForm
    list_display = ["title", "scheme", "due", "due_date", "status_in_plan", "owner"]
    list_filter = [("status", StatusInPlanFilter)]
    list_select_related = ["scheme", "owner"]
    search_fields = ["title", "scheme__name"]
    readonly_fields = OWNERS_ELSEWHERE

    @admin.display(description=STATUS_IN_PLAN, ordering="status")
    def status_in_plan(self, milestone: Milestone) -> str:
        return milestone.get_status_display()


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "quantity", "unit", "due"]
    list_filter = ["ambition"]
    search_fields = ["code", "statement"]
