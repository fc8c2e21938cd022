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


def test_the_demo_agrees_synthetic_targets_so_dashboards_show_a_real_mix(
    plan: Plan, settings
) -> None:
    from collections import Counter

    from agreements.models import AgreementVersion
    from measures.models import Score, Target

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    synthetic = AgreementVersion.objects.filter(is_synthetic=True, state="agreed")
    assert synthetic.count() == AgreementVersion.objects.filter(number=1).count()
    assert all(v.decided_by == "Cabinet (demo)" for v in synthetic)
    # The plan's own targets are kept: four jobs fairs a year, and the readings stay near four.
    assert set(
        Target.objects.filter(indicator__code="A2.M9.3").values_list("value", flat=True)
    ) == {4}
    plan_target = Target.objects.get(indicator__code="A2.M9.3", period__code="2025-26")
    assert "version 1, agreed by Council" in plan_target.source  # not claimed by the demo
    fairs = Reading.objects.filter(indicator__code="A2.M9.3").values_list("value", flat=True)
    assert fairs and all(value is not None and 3 <= value <= 5 for value in fairs)
    percentages = Reading.objects.filter(indicator__unit="percentage").values_list(
        "value", flat=True
    )
    assert all(value is not None and 0 <= value <= 100 for value in percentages)
    mix = Counter(
        Score.objects.filter(period__code="2025-26", audience="public").values_list(
            "rag", flat=True
        )
    )
    assert mix["green"] and mix["amber"] and mix["red"], mix
    assert mix["no_target"] < sum(mix.values()) / 10, mix
