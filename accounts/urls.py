"""Signing in and out (names without a namespace: Django's and mozilla-django-oidc's own)."""

from django.urls import path

from accounts import views
from accounts.sso import SignInCallback, SignInStart

urlpatterns = [
    path("sign-in/", views.SignIn.as_view(), name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    # mozilla-django-oidc's names: it reverses the callback for the redirect URI.
    path("sign-in/council/", SignInStart.as_view(), name="oidc_authentication_init"),
    path("sign-in/council/done/", SignInCallback.as_view(), name="oidc_authentication_callback"),
]
