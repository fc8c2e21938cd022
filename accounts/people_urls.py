"""The people pages, for the performance team."""

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.people, name="people"),
    path("<int:pk>/", views.person, name="person"),
]
