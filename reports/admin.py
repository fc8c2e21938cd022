"""Report runs in the admin: shown, never edited (a generated report is immutable)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from reports.models import ReportRun


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
