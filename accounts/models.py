"""Who a person is at the council's identity provider."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SignInIdentity(models.Model):
    """A person's account at the identity provider (its issuer and their stable subject id),
    so the same account always signs in as the same person, whatever their email becomes;
    their roles then come from the provider's groups at every sign-in (accounts/sso.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_identity"
    )
    issuer = models.URLField(max_length=300)
    subject = models.CharField(max_length=255)
    groups = models.JSONField(default=list, help_text="The groups claim at the last sign-in.")
    first_signed_in = models.DateTimeField(auto_now_add=True)
    last_signed_in = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_identity")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
