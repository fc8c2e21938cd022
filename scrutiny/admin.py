"""Meetings and recommendations in the admin, to read: every change goes through the scrutiny
pages, which keep each recommendation's history."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from scrutiny.models import Meeting, Recommendation, RecommendationUpdate


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("committee", "held_on", "period", "recorded_by")
    list_filter = ("committee",)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "meeting", "status", "due_on", "closed_at")
    list_filter = ("status",)


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(ReadOnlyAdmin):
    list_display = ("recommendation", "version", "status", "by", "at")
