"""Admin for portfolios, the delivery table and scrutiny committees."""

from django.contrib import admin
from django.http import HttpRequest

from portfolios.models import (
    DeliveryAssignment,
    DeliveryPriority,
    Portfolio,
    PortfolioNameVariant,
    ReportRun,
    ScrutinyCommittee,
)


class PortfolioNameVariantInline(admin.TabularInline):
    model = PortfolioNameVariant
    extra = 0


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["name", "cabinet_member", "position"]
    inlines = [PortfolioNameVariantInline]


@admin.register(PortfolioNameVariant)
class PortfolioNameVariantAdmin(admin.ModelAdmin):
    list_display = ["as_written", "portfolio"]


class DeliveryAssignmentInline(admin.TabularInline):
    model = DeliveryAssignment
    extra = 0


@admin.register(DeliveryPriority)
class DeliveryPriorityAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "all_cabinet_members", "position"]
    filter_horizontal = ["blocks"]
    inlines = [DeliveryAssignmentInline]


@admin.register(DeliveryAssignment)
class DeliveryAssignmentAdmin(admin.ModelAdmin):
    list_display = ["priority", "portfolio", "as_written"]


@admin.register(ScrutinyCommittee)
class ScrutinyCommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "to_be_confirmed", "position"]
    filter_horizontal = ["remit", "members"]


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Runs are made by the app; a generated report is immutable, so it is shown, not edited."""

    list_display = ["committee", "period", "status", "progress", "attempts", "requested_at"]
    list_filter = ["status", "committee", "period"]
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
