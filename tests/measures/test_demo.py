"""Demo data: one user per role, synthetic readings labelled as such, never with DEBUG off."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from ambitions.models import Plan
from core.roles import Role
from measures.models import Reading, ReportingPeriod


@pytest.fixture
def plan(shared_plan: Plan) -> Plan:
    """The plan, loaded once for this module: its tests only read it."""
    return shared_plan


def test_demo_data_is_refused_when_debug_is_off(plan: Plan, settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only created when DEBUG is on"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists() and not Reading.objects.exists()


def test_it_creates_a_user_per_role_and_synthetic_readings(plan: Plan, settings) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
        assert role.value in out.getvalue()
    assert Reading.objects.filter(is_synthetic=False).count() == 0
    published = Reading.objects.filter(status="published")
    assert published.exists()
    assert set(published.values_list("period__financial_year", flat=True)) == {2024, 2025}
    assert ReportingPeriod.objects.filter(state="open").count() == 1
    before = Reading.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert Reading.objects.count() == before


def test_pages_label_synthetic_readings(plan: Plan, settings, client: Client) -> None:
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    client.force_login(User.objects.get(username="officer"))
    assert "synthetic demo data" in client.get(reverse("measures:returns")).content.decode()
    client.force_login(User.objects.get(username="performance"))
    assert "synthetic" in client.get(reverse("measures:approvals")).content.decode()
    reading = Reading.objects.filter(status="published").select_related("indicator").first()
    assert reading is not None
    client.logout()
    assert (
        "synthetic demo data" in client.get(reading.indicator.get_absolute_url()).content.decode()
    )
