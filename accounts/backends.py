"""Password sign-in, which LOCAL_SIGN_IN can keep for administrators only: enforced here, in
the backend, so every way in (the sign-in page, the admin's own form, an old session) obeys."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, User

from accounts.forms import local_sign_in_allowed


class PasswordBackend(ModelBackend):
    """Django's username and password, refused (and sessions ended) for anyone LOCAL_SIGN_IN
    does not allow; inactive accounts are refused as before."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if not isinstance(user, User) or not super().user_can_authenticate(user):
            return False
        return local_sign_in_allowed(user)
