"""A block's page links each impact measure to its indicators with their latest figure (the
public sees published ones only), and says a sentence making several numbers once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ambitions.models import Commitment
from core.roles import Role
from measures.models import Indicator, Reading, ReportingPeriod
from measures.services import period_close, period_publish, reading_approve, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db


def _approved(
    indicator: Indicator, period: ReportingPeriod, value: str, officer: User, team: User
) -> Reading:
    reading = make.draft(indicator, period, value, officer)
    reading = reading_submit(reading=reading, by=officer, expected_version=reading.version)
    return reading_approve(reading=reading, by=team, expected_version=reading.version)


def test_each_measure_lists_its_indicators_with_the_latest_figure_the_visitor_may_see(
    client: Client,
) -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    homes = make.indicator(officer, title="Homes delivered")
    quiet = make.indicator(officer, title="Quiet indicator")
    _approved(homes, q1, "1250", officer, team)
    period_close(period=q1, by=team)
    period_publish(period=q1, by=team)
    _approved(homes, q2, "1777", officer, team)  # approved, not yet published
    block = homes.impact_measure.ambition

    public = client.get(block.get_absolute_url()).content.decode()
    evidence = public[public.index('id="impact-measures"') :]
    assert f'href="{homes.get_absolute_url()}"' in evidence
    assert "<strong>1,250</strong> in 2025/26 Q1" in evidence
    assert "1,777" not in evidence
    assert "Quiet indicator" in evidence and "No published figure yet" in evidence

    client.force_login(make.user(Role.COUNCILLOR))
    member = client.get(block.get_absolute_url()).content.decode()
    assert "<strong>1,777</strong> in 2025/26 Q2" in member[member.index('id="impact-measures"') :]
    assert quiet.impact_measure.code in member


def test_a_sentence_making_several_numbers_is_said_once(client: Client) -> None:
    block = make.impact_measure().ambition
    sentence = "The scheme brings 170 buses and 196 apartments."
    for position, (quantity, unit) in enumerate((("170", "buses"), ("196", "apartments")), 1):
        Commitment.objects.create(
            ambition=block,
            code=f"A1.C{position}",
            statement=sentence,
            quantity=Decimal(quantity),
            unit=unit,
            position=position,
        )
    html = client.get(block.get_absolute_url()).content.decode()
    table = html[html.index('id="commitments"') :]
    assert table.count(sentence) == 1
    assert 'rowspan="2"' in table and "196" in table and "apartments" in table
    assert 'href="#commitments"' in html  # the contents list names the section
