from django.contrib import admin

from accounts.models import SignInIdentity


@admin.register(SignInIdentity)
class SignInIdentityAdmin(admin.ModelAdmin):
    """Who signs in with their council account; read here, written by each sign-in."""

    list_display = ("user", "issuer", "subject", "last_signed_in")
    search_fields = ("user__username", "subject")
    readonly_fields = ("user", "issuer", "subject", "groups", "first_signed_in", "last_signed_in")

    def has_add_permission(self, request: object) -> bool:
        return False
