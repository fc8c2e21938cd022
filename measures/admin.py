"""Admin for indicators, targets, periods and readings; reading history is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin
from measures.models import (
    Comparator,
    DeliveryOwnershipChange,
    Indicator,
    MilestoneScore,
    MilestoneUpdate,
    MilestoneUpdateEvent,
    OwnershipChange,
    Reading,
    ReadingEvent,
    ReadingUpload,
    ReportingPeriod,
    Score,
    Target,
    TargetChange,
    TrajectoryTarget,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class TrajectoryInline(admin.TabularInline):
    model = TrajectoryTarget
    extra = 0


class ComparatorInline(admin.TabularInline):
    model = Comparator
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "unit", "polarity", "status", "owner", "lead_portfolio"]
    list_filter = ["status", "unit", "frequency", "lead_portfolio", "is_public"]
    search_fields = ["code", "title", "definition"]
    autocomplete_fields = ["owner"]
    filter_horizontal = ["delegates", "themes"]
    inlines = [TargetInline, TrajectoryInline, ComparatorInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "upper", "tolerance", "polarity", "source"]
    list_filter = ["period"]


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnlyAdmin):
    """The history of targets, to read: agreements (and load_plan) write it."""

    list_display = ["indicator", "period", "at", "by", "source"]
    list_filter = ["period"]


@admin.register(TrajectoryTarget)
class TrajectoryTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "start_date", "start_value", "due_date", "value"]


@admin.register(Comparator)
class ComparatorAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "label", "value", "source"]
    list_filter = ["label", "period"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "start", "end", "deadline", "state"]
    list_filter = ["kind", "state", "financial_year"]


class ReadingEventInline(admin.TabularInline):
    model = ReadingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["version", "action", "by", "at", "note", "changes"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    """Readings change only through the app's services, which keep their history."""

    list_display = ["indicator", "period", "value", "status", "is_synthetic", "version"]
    list_filter = ["status", "period", "is_synthetic", "data_quality"]
    search_fields = ["indicator__code", "indicator__title"]
    inlines = [ReadingEventInline]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ReadingEvent)
class ReadingEventAdmin(ReadOnlyAdmin):
    list_display = ["reading", "version", "action", "by", "at"]
    list_filter = ["action"]


@admin.register(ReadingUpload)
class ReadingUploadAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "uploaded_at", "confirmed_at", "rows_saved"]
    exclude = ["content"]
    readonly_fields = [
        "filename",
        "uploaded_by",
        "sha256",
        "uploaded_at",
        "confirmed_at",
        "rows_saved",
    ]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """The stored scorecard, to look at: it is written only by the services (and rebuilt by
    `manage.py scorecard_rebuild`), never by hand."""

    list_display = ["indicator", "period", "audience", "value", "rag", "direction"]
    list_filter = ["audience", "rag", "period"]
    list_select_related = ["indicator", "period"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OwnershipChange)
class OwnershipChangeAdmin(ReadOnlyAdmin):
    """The history of who was given or lost an indicator (written by the people pages)."""

    list_display = ("indicator", "kind", "owner", "before", "after", "changed_by", "changed_at")
    list_filter = ("kind",)
    search_fields = ("indicator__code", "reason")


@admin.register(DeliveryOwnershipChange)
class DeliveryOwnershipChangeAdmin(ReadOnlyAdmin):
    """The history of who was given or lost a scheme or milestone (written by the owners page
    and the hand-over)."""

    list_display = ("scheme", "milestone", "kind", "before", "after", "changed_by", "changed_at")
    list_filter = ("kind",)
    search_fields = ("scheme__name", "milestone__title", "reason")


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(ReadOnlyAdmin):
    """Milestone updates, to look at: they are written through My returns, the upload and the
    approval queue (measures/services/milestones/), which keep their versions and history."""

    list_display = ("milestone", "period", "delivery_status", "revised_date", "status", "version")
    list_filter = ("status", "delivery_status", "period")
    search_fields = ("milestone__title", "milestone__scheme__name", "progress_note")
    list_select_related = ("milestone__scheme", "period")


@admin.register(MilestoneUpdateEvent)
class MilestoneUpdateEventAdmin(ReadOnlyAdmin):
    list_display = ("update", "version", "action", "by", "at")
    list_filter = ("action",)


@admin.register(MilestoneScore)
class MilestoneScoreAdmin(ReadOnlyAdmin):
    """Where each milestone stood at the end of each quarter, for each audience: written only
    by the services (and `manage.py scorecard_rebuild`)."""

    list_display = ("milestone", "period", "audience", "state", "current_date", "overdue")
    list_filter = ("audience", "state", "overdue", "period")
    list_select_related = ("milestone__scheme", "period")
