"""The stored scorecard: rebuilt from scratch it names every score it had to correct, and a
database made before it existed gets it when it is migrated."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core.roles import Role
from measures.models import Score
from measures.receivers import scorecard_ready
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_the_rebuild_finds_and_corrects_a_score_that_drifted() -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=officer, code="DRIFT.1")
    make.target(indicator, period, "10")
    make.draft(indicator, period, "12", officer)
    workflow = Score.objects.get(indicator=indicator, period=period, audience="workflow")
    assert (workflow.value, workflow.rag) == (Decimal(12), "green")
    Score.objects.filter(pk=workflow.pk).update(rag="red", value=Decimal(1))  # behind its back

    out = StringIO()
    call_command("scorecard_rebuild", stdout=out)

    assert "corrected DRIFT.1 2025-26-Q2 workflow" in out.getvalue()
    assert "1 corrected" in out.getvalue()
    workflow.refresh_from_db()
    assert (workflow.value, workflow.rag) == (Decimal(12), "green")
    again = StringIO()
    call_command("scorecard_rebuild", stdout=again)
    assert "0 corrected, 0 added" in again.getvalue()


def test_every_indicator_has_a_score_for_every_period_of_its_kind_and_audience() -> None:
    quarters = [make.quarter(2025, n) for n in (1, 2)]
    year = make.year(2025)
    quarterly, annual = make.indicator(), make.indicator(frequency="annual")
    assert Score.objects.filter(indicator=quarterly).count() == len(quarters) * 3
    assert set(Score.objects.filter(indicator=annual).values_list("period", flat=True)) == {year.pk}
    assert set(Score.objects.values_list("rag", flat=True)) == {"no_data"}


def test_a_database_migrated_without_a_scorecard_gets_one() -> None:
    make.indicator()
    make.quarter()
    Score.objects.all().delete()
    scorecard_ready(sender=None)
    assert Score.objects.count() == 3
