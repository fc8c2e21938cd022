"""Admin for portfolios, the delivery table and scrutiny committees."""

from django.contrib import admin

from portfolios.models import (
    DeliveryAssignment,
    DeliveryPriority,
    Portfolio,
    PortfolioNameVariant,
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
