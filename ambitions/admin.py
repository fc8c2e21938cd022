"""Admin for the plan: every model, with its parts inline where that helps editing."""

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


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "focus_area"]
    list_filter = ["focus_area__ambition"]
    search_fields = ["name", "description"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "scheme", "due", "due_date", "status"]
    list_filter = ["status"]
    list_editable = ["status"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "quantity", "unit", "due"]
    list_filter = ["ambition"]
    search_fields = ["code", "statement"]
