"""The test provider's URLs: DOT under /o/, the login page, and the test-only control views."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

from tests.oidc_provider import views

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("test/faults/", views.set_faults, name="test-faults"),
    path("test/users/", views.put_user_view, name="test-users"),
]
