"""Create demo users (one per role), synthetic readings and synthetic finance figures;
refused unless DEBUG is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_PASSWORD, demo_load
from measures.models import Indicator


class Command(BaseCommand):
    help = (
        "Load demo users, synthetic readings, milestone updates and finance figures "
        "(labelled synthetic). "
        "Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "Demo users and data are only created when DEBUG is on: they have a published "
                "password and made-up figures. Run `make run` for the demo."
            )
        if not Indicator.objects.exists():
            raise CommandError("Load the plan first: python manage.py load_plan")
        users = demo_load()
        self.stdout.write(f"Demo accounts (every one has the password {DEMO_PASSWORD!r}):")
        for user in users:
            self.stdout.write(f"  {user.username:<13} {user.role.value}")
        self.stdout.write(
            self.style.SUCCESS(
                "Synthetic readings and milestone updates loaded for 2024/25 and 2025/26 "
                "(published) and the latest quarter (open), with synthetic finance figures for "
                "each portfolio (revenue, savings, capital) and the council's reserves: published "
                "with those quarters, and the latest quarter's awaiting the performance team's "
                "approval. Every page marks them as synthetic demo data."
            )
        )
