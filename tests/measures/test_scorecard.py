"""The stored scorecard: rebuilt from scratch it names every score it had to correct, a
database made before it existed gets it when it is migrated, and its direction of travel says
what it compared with when a quarter is missing or the indicator is seasonal."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from core.roles import Role
from measures.models import Score
from measures.receivers import scorecard_ready
from measures.scorecard import direction_sentence, last_year_sentence
from measures.templatetags.performance import direction_with_basis
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


def _score(indicator, period, audience: str = "workflow") -> Score:
    return Score.objects.select_related("period", "previous_period").get(
        indicator=indicator, period=period, audience=audience
    )


def test_a_missing_quarter_compares_with_the_latest_earlier_figure_and_says_so() -> None:
    officer = make.user(Role.OFFICER)
    q1, q2, q3 = (make.quarter(2025, n) for n in (1, 2, 3))
    indicator = make.indicator(owner=officer)
    make.draft(indicator, q1, "10", officer)
    make.draft(indicator, q3, "12", officer)  # no figure for Q2

    score = _score(indicator, q3)
    assert (score.direction, score.direction_basis) == ("improved", "latest_earlier")
    assert (score.previous_period, score.previous_value) == (q1, Decimal(10))
    assert direction_sentence(score) == "Improved since 2025/26 Q1 (no figure for 2025/26 Q2)"
    assert direction_with_basis(score) == (
        '<span aria-hidden="true">▲</span> Improved since 2025/26 Q1 (no figure for 2025/26 Q2)'
    )

    make.draft(indicator, q1, "20", officer)  # the earlier figure changes: Q3 is judged again
    score = _score(indicator, q3)
    assert (score.direction, score.previous_value) == ("worsened", Decimal(20))
    make.draft(indicator, q2, "11", officer)  # Q2 arrives: Q3 now compares with it
    score = _score(indicator, q3)
    assert (score.direction, score.direction_basis, score.previous_period) == (
        "improved",
        "previous",
        q2,
    )
    assert direction_sentence(score) == "Improved since 2025/26 Q2"


def test_a_figure_more_than_a_year_back_is_not_compared_with() -> None:
    officer = make.user(Role.OFFICER)
    old = make.quarter(2024, 1)
    quarters = [make.quarter(2024, n) for n in (2, 3, 4)] + [make.quarter(2025, 1)]
    latest = make.quarter(2025, 2)
    indicator = make.indicator(owner=officer)
    make.draft(indicator, old, "10", officer)
    make.draft(indicator, latest, "12", officer)

    score = _score(indicator, latest)
    assert (score.direction, score.direction_basis, score.previous_period) == (
        "not_comparable",
        "none",
        None,
    )
    assert direction_sentence(score) == "Not comparable"
    make.draft(indicator, quarters[0], "11", officer)  # four quarters back: within reach
    assert _score(indicator, latest).direction == "improved"


def test_a_seasonal_indicator_compares_each_quarter_with_the_same_quarter_a_year_before() -> None:
    officer = make.user(Role.OFFICER)
    quarters = [make.quarter(2024, n) for n in (1, 2, 3, 4)] + [make.quarter(2025, 1)]
    seasonal = make.indicator(owner=officer, seasonal=True)
    plain = make.indicator(owner=officer)
    for indicator in (seasonal, plain):
        for period, value in zip(quarters, ("50", "20", "30", "90", "60"), strict=True):
            make.draft(indicator, period, value, officer)

    score = _score(seasonal, quarters[-1])
    assert (score.direction, score.direction_basis, score.previous_value) == (
        "improved",
        "same_period_last_year",
        Decimal(50),
    )
    assert direction_sentence(score) == "Improved since 2024/25 Q1, the same quarter last year"
    # Not seasonal: against the quarter before, with last year's as a second comparison.
    score = _score(plain, quarters[-1])
    assert (score.direction, score.previous_value) == ("worsened", Decimal(90))
    assert direction_sentence(score) == "Worsened since 2024/25 Q4"
    assert (score.last_year_value, score.last_year_direction) == (Decimal(50), "improved")
    assert last_year_sentence(score) == "Improved since 2024/25 Q1, the same quarter last year"
    assert last_year_sentence(_score(plain, quarters[1])) == ""  # no figure a year before


def test_marking_an_indicator_seasonal_judges_its_scores_again() -> None:
    officer = make.user(Role.OFFICER)
    quarters = [make.quarter(2024, n) for n in (1, 2, 3, 4)] + [make.quarter(2025, 1)]
    indicator = make.indicator(owner=officer)
    for period, value in zip(quarters, ("50", "20", "30", "90", "60"), strict=True):
        make.draft(indicator, period, value, officer)
    assert _score(indicator, quarters[-1]).direction == "worsened"
    indicator.seasonal = True
    indicator.save()
    assert _score(indicator, quarters[-1]).direction == "improved"
