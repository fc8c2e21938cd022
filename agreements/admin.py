"""The agreements in the admin, to read: every change goes through the app's pages, which keep
the history and set the periods' targets."""

from django.contrib import admin

from agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementComment,
    AgreementEvent,
    AgreementVersion,
    KeyProject,
)
from core.admin import ReadOnlyAdmin


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("portfolio", "financial_year")
    list_filter = ("financial_year",)


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "number", "state", "agreed_on", "effective_from")
    list_filter = ("state",)


@admin.register(AgreementEvent)
class AgreementEventAdmin(ReadOnlyAdmin):
    list_display = ("version", "action", "by", "at")


@admin.register(AgreedMeasure)
class AgreedMeasureAdmin(ReadOnlyAdmin):
    list_display = ("version", "indicator", "target", "tolerance", "polarity")


@admin.register(KeyProject)
class KeyProjectAdmin(ReadOnlyAdmin):
    list_display = ("version", "scheme")


@admin.register(AgreementComment)
class AgreementCommentAdmin(ReadOnlyAdmin):
    list_display = ("version", "indicator", "by", "at")
