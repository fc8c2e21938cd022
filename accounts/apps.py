from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in (the council's own accounts by OpenID Connect, or a local password) and the
    people page where the performance team sees who has which role and owns what."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
