"""The test provider's own app: its login template, control views and setup command."""

from django.apps import AppConfig


class OidcProviderConfig(AppConfig):
    name = "tests.oidc_provider"
    label = "oidc_provider"
