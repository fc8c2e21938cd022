"""The change of plan, rehearsed: a next plan (a synthetic 2027-30, tests/fixtures/next-plan) is
loaded beside 2024-27 while 2026/27 Q4 is still open. That quarter is still reported against
2024-27; 2027/28 against the next plan; an indicator the next plan continues keeps one history
across both, and one it does not continue stops being asked for."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.selectors import candidates_for, schemes_for
from ambitions.models import Plan
from ambitions.selectors import plan_in_force
from core.roles import Role
from measures.models import Indicator, Reading, ReportingPeriod, Score, ScoreAudience
from measures.plans import blocks_in, plan_of_period, plan_of_year
from measures.selectors import indicators_due
from measures.services import (
    period_close,
    period_open,
    period_publish,
    reading_approve,
    reading_submit,
)
from portfolios.models import Portfolio, ScrutinyCommittee
from reports.builder import report_data_build
from tests import factories as make

NEXT = Path(__file__).parent.parent / "fixtures" / "next-plan"
NEXT_SLUG = "synthetic-next-plan-2027-30"


def with_next_plan(tmp_path: Path) -> Path:
    """The real fixtures with the next plan added as a council adds it: a plan folder and an
    indicators file beside the old ones (fixtures/README.md, "The next plan")."""
    folder = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, folder)
    shutil.copytree(NEXT / "plan" / NEXT_SLUG, folder / "plan" / NEXT_SLUG)
    shutil.copy(NEXT / "indicators" / f"{NEXT_SLUG}.yaml", folder / "indicators")
    return folder


def quarter(code: str, by: Any) -> ReportingPeriod:
    """The quarter, opened by the performance team the day after it ended."""
    period = ReportingPeriod.objects.get(code=code)
    return period_open(period=period, by=by, today=period.end + timedelta(days=1))


def approved(indicator: Indicator, period: ReportingPeriod, value: str, people: Any) -> None:
    officer, team = people
    reading = make.draft(indicator, period, value, officer)
    reading = reading_submit(reading=reading, by=officer, expected_version=reading.version)
    reading_approve(reading=reading, by=team, expected_version=reading.version)


@pytest.fixture
def people(plan: Plan) -> tuple[Any, Any]:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    Indicator.objects.update(owner=officer)
    return officer, team


@pytest.fixture
def transition(plan: Plan, people: Any, tmp_path: Path) -> dict[str, Any]:
    """2026/27 Q3 published and Q4 open with readings, then the next plan loaded."""
    continued = Indicator.objects.get(code="CS.M1.1")
    dropped = Indicator.objects.get(code="CS.M1.2")
    q3 = quarter("2026-27-Q3", people[1])
    for indicator, value in ((continued, "81.5"), (dropped, "70")):
        approved(indicator, q3, value, people)
    period_close(period=q3, by=people[1])
    period_publish(period=q3, by=people[1])
    q4 = quarter("2026-27-Q4", people[1])
    approved(continued, q4, "83", people)
    call_command("load_plan", directory=with_next_plan(tmp_path), stdout=StringIO())
    return {
        "continued": continued,
        "dropped": dropped,
        "new": Indicator.objects.get(code="P2.M1.1"),
        "q3": q3,
        "q4": q4,
        "old": plan,
        "next": Plan.objects.get(slug=NEXT_SLUG),
    }


def test_each_period_is_reported_against_the_plan_in_force_when_it_starts(transition) -> None:
    old, following = transition["old"], transition["next"]
    assert plan_of_period(transition["q4"]) == old
    next_q1 = ReportingPeriod.objects.get(code="2027-28-Q1")  # made by loading the next plan
    assert plan_of_period(next_q1) == following
    assert (plan_of_year(2026), plan_of_year(2027)) == (old, following)
    assert plan_in_force(date(2027, 3, 31)) == old
    assert plan_in_force(date(2027, 4, 1)) == following


def test_the_open_quarter_still_asks_for_the_old_plan_s_indicators(transition, people: Any) -> None:
    due_now = set(indicators_due(transition["q4"]).values_list("code", flat=True))
    assert {"CS.M1.1", "CS.M1.2"} <= due_now and "P2.M1.1" not in due_now
    next_q1 = quarter("2027-28-Q1", people[1])
    due_next = set(indicators_due(next_q1).values_list("code", flat=True))
    assert due_next == {"CS.M1.1", "A1.M1.1", "P2.M1.1"}


def test_the_old_plan_s_indicator_not_continued_cannot_be_entered_for_the_next_plan(
    transition, people: Any
) -> None:
    next_q1 = quarter("2027-28-Q1", people[1])
    with pytest.raises(Exception, match="not an indicator of the plan 2027/28 Q1 is reported"):
        make.draft(transition["dropped"], next_q1, "71", people[0])
    assert not Reading.objects.filter(period=next_q1).exists()
    make.draft(transition["continued"], next_q1, "84", people[0])  # the continued one can
    assert Reading.objects.filter(period=next_q1, indicator=transition["continued"]).exists()


def test_a_continued_indicator_keeps_one_history_across_both_plans(
    transition, people: Any, client: Client
) -> None:
    continued = transition["continued"]
    next_q1 = quarter("2027-28-Q1", people[1])
    approved(continued, next_q1, "86", people)
    score = Score.objects.get(indicator=continued, period=next_q1, audience=ScoreAudience.MEMBERS)
    # Its previous value and its trend reach back into the old plan's quarters.
    assert score.previous_period == transition["q4"]
    assert [(label, str(value)) for label, value in score.trend[-3:]] == [
        ("2026/27 Q3", "81.5"),
        ("2026/27 Q4", "83"),
        ("2027/28 Q1", "86"),
    ]
    # Its block is the one it serves in each plan.
    assert blocks_in(transition["old"], [continued.pk])[continued.pk].code == "CS"
    assert blocks_in(transition["next"], [continued.pk])[continued.pk].code == "P1"
    client.force_login(people[1])
    page = client.get(continued.get_absolute_url()).content.decode()
    assert "P1.M1" in page and "CS.M1" in page
    assert "Synthetic next plan 2027\u201330 (test only)" in page


def test_dashboards_and_reports_for_each_quarter_use_its_own_plan(
    transition, people: Any, client: Client
) -> None:
    continued = transition["continued"]
    next_q1 = quarter("2027-28-Q1", people[1])
    approved(continued, next_q1, "86", people)
    client.force_login(people[1])
    old_page = client.get(reverse("dashboards:plan") + "?period=2026-27-Q4").content.decode()
    new_page = client.get(reverse("dashboards:plan") + "?period=2027-28-Q1").content.decode()
    assert "is reported against" in old_page and "Stockport Council Plan 2024\u201327" in old_page
    assert "CS.M1.2" in old_page and "Ambition 1: Investment" in old_page
    assert "Synthetic next plan 2027\u201330 (test only)" in new_page
    assert "CS.M1.2" not in new_page and "CS.M1.1" in new_page
    assert "Priority 1: Good services, first time (synthetic)" in new_page
    export = client.get(reverse("dashboards:plan") + "?period=2027-28-Q1&export=csv")
    lines = export.content.decode().splitlines()
    assert any(
        line.startswith("CS.M1.1,") and "Priority 1: Good services" in line for line in lines
    )
    committee = ScrutinyCommittee.objects.get(slug="economy-regeneration-climate-scrutiny")
    report_q4 = report_data_build(
        committee=committee, period=transition["q4"], generated_at=timezone.now()
    )
    report_next = report_data_build(
        committee=committee, period=next_q1, generated_at=timezone.now()
    )
    assert report_q4.plan_title == "Stockport Council Plan 2024\u201327"
    assert report_next.plan_title == "Synthetic next plan 2027\u201330 (test only)"
    codes_q4 = {i.code for p in report_q4.portfolios for i in p.indicators}
    codes_next = {i.code for p in report_next.portfolios for i in p.indicators}
    assert "A1.M1.2" in codes_q4 and "A1.M1.2" not in codes_next
    assert {"A1.M1.1", "P2.M1.1"} <= codes_next


def test_the_plans_pages_say_which_is_in_force_and_link_each_other(
    transition, client: Client
) -> None:
    following = transition["next"]
    home = client.get("/").content.decode()
    today = date.today()
    in_force = plan_in_force(today)
    assert in_force is not None and in_force.title in home
    assert "Synthetic next plan 2027\u201330 (test only)" in home  # the way to move between them
    assert reverse("ambitions:plan", args=[following.slug]) in home
    page = client.get(reverse("ambitions:plan", args=[following.slug])).content.decode()
    if today < following.period_start:
        assert "This plan comes into force on 1 April 2027." in page
    old = client.get(reverse("ambitions:plan", args=[transition["old"].slug])).content.decode()
    if today > transition["old"].period_end:
        assert "This plan ended on 31 March 2027." in old
    assert "Not yet in force" in old or "In force" in old


def test_loading_the_fixtures_again_changes_nothing(transition, tmp_path: Path) -> None:
    out = StringIO()
    call_command("load_plan", directory=tmp_path / "fixtures", stdout=out)
    assert "updated" in out.getvalue()
    lines = [line for line in out.getvalue().splitlines() if ": " in line and "created" in line]
    assert all(" 0 created, 0 updated," in line for line in lines), lines
    assert {m.code for m in transition["continued"].later_measures.all()} == {"P1.M1"}


def test_a_continued_indicator_must_exist_and_come_from_an_earlier_plan(
    transition, tmp_path: Path
) -> None:
    folder = tmp_path / "fixtures"
    path = folder / "indicators" / f"{NEXT_SLUG}.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "{indicator: CS.M1.1, impact_measure: P1.M1}",
            "{indicator: XX.9, impact_measure: P1.M1}",
        )
        + "  - {indicator: P2.M1.1, impact_measure: P1.M1}\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", directory=folder, stdout=StringIO())
    message = str(caught.value)
    assert "indicator 'XX.9' is not loaded" in message
    assert "'P2.M1.1' is used again" in message
    assert "Nothing was changed." in message
    assert {m.code for m in transition["continued"].later_measures.all()} == {"P1.M1"}


def test_an_agreement_belongs_to_the_plan_in_force_for_its_year(transition, people: Any) -> None:
    economy = Portfolio.objects.get(slug="economy-regeneration-housing")
    version = services.draft_start(portfolio=economy, financial_year=2027, by=people[1])
    assert set(candidates_for(version).values_list("code", flat=True)) == {"A1.M1.1", "P2.M1.1"}
    assert not schemes_for(portfolio=economy, financial_year=2027).exists()  # none in 2027-30
    introduction = version.introduction  # copied from 2026/27's, as every next year's draft
    old_scheme = schemes_for(portfolio=economy, financial_year=2026).first()
    assert old_scheme is not None
    with pytest.raises(ValidationError, match="not a scheme this portfolio delivers"):
        services.details_save(
            version=version,
            introduction="Our year ahead.",
            scheme_ids=[old_scheme.pk],
            by=None,
            revision=version.revision,
        )
    version.refresh_from_db()
    assert version.introduction == introduction and not version.key_projects.exists()
