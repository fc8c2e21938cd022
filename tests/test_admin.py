"""Every model has a Django admin page that an administrator can open."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from ambitions.models import Plan

PROJECT_APPS = ("ambitions", "measures", "portfolios", "agreements", "reports", "accounts")


def project_models() -> list[type[Model]]:
    return [m for name in PROJECT_APPS for m in apps.get_app_config(name).get_models()]


def test_every_project_model_is_in_the_admin() -> None:
    missing = [m.__name__ for m in project_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.django_db
def test_an_administrator_can_open_every_list_and_a_row_of_each(client: Client, plan: Plan) -> None:
    client.force_login(User.objects.create_superuser("admin", "admin@example.invalid", "x" * 16))
    for model in project_models():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        row = model._default_manager.first()
        if row is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_admin_is_closed_to_anonymous_visitors(client: Client) -> None:
    response = client.get(reverse("admin:ambitions_plan_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
