"""Mounted at committees/<slug>/meetings/: the committee's meetings and recommendations."""

from django.urls import path

from scrutiny import views

app_name = "scrutiny"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("new/", views.meeting_new, name="meeting_new"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/recommendations/new/", views.recommendation_new, name="recommendation_new"),
    path(
        "<int:pk>/recommendations/<int:number>/update/",
        views.recommendation_progress,
        name="recommendation_update",
    ),
]
