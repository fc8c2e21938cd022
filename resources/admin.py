"""Finance returns in the admin: shown, never edited (every change goes through the services,
which check who may, keep the history and update the pages)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from resources.models import FinanceReturn, FinanceUpload, VarianceThreshold


@admin.register(FinanceReturn)
class FinanceReturnAdmin(ReadOnlyAdmin):
    list_display = ["period", "kind", "status", "version", "is_synthetic", "submitted_at"]
    list_filter = ["kind", "status", "period"]


@admin.register(VarianceThreshold)
class VarianceThresholdAdmin(ReadOnlyAdmin):
    list_display = ["financial_year", "amount", "percent", "set_by", "set_at"]


@admin.register(FinanceUpload)
class FinanceUploadAdmin(ReadOnlyAdmin):
    list_display = ["filename", "uploaded_by", "uploaded_at", "confirmed_at", "lines_saved"]
    exclude = ["rows"]
