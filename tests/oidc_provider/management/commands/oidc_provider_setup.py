"""`oidc_provider_setup CONFIG.json`: migrate, then create the users and the one application."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

from tests.oidc_provider.accounts import put_user


class Command(BaseCommand):
    help = (
        "Migrate the provider's database, then create the users and the application in a JSON "
        'file: {"users": [{username, password, email, first_name, last_name, groups}], '
        '"application": {client_id, client_secret, redirect_uris, post_logout_redirect_uris}}.'
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("config", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        config = json.loads(options["config"].read_text())
        call_command("migrate", verbosity=0, interactive=False)
        for user in config["users"]:
            put_user(user)
        client = config["application"]
        application_model = get_application_model()
        application_model.objects.update_or_create(
            client_id=client["client_id"],
            defaults={
                "name": "The application under test",
                "client_secret": client["client_secret"],
                "client_type": application_model.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": application_model.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(client["redirect_uris"]),
                "post_logout_redirect_uris": " ".join(client["post_logout_redirect_uris"]),
                "algorithm": application_model.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
