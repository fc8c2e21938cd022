"""Agreements: drafted from last year's, edited all or nothing, agreed (setting the periods'
targets and the scorecard), amended from a date, and never changed once agreed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements import services
from agreements.models import AgreedMeasure, Agreement, AgreementEvent, AgreementVersion
from ambitions.models import Plan
from core.roles import Role
from measures.models import Indicator, ReportingPeriod, Score, Target, TargetChange
from portfolios.models import Portfolio
from tests import factories as make

pytestmark = pytest.mark.django_db
plan = pytest.fixture(lambda shared_plan: shared_plan)
ECONOMY = "economy-regeneration-housing"
CLIMATE = "climate-change-environment"


def portfolio(slug: str = ECONOMY) -> Portfolio:
    return Portfolio.objects.get(slug=slug)


def draft_2027(slug: str = ECONOMY) -> AgreementVersion:
    return services.draft_start(
        portfolio=portfolio(slug), financial_year=2027, by=make.user(Role.PERFORMANCE_TEAM)
    )


def row(reported: str = "yes", **cells: str) -> dict[str, str]:
    return {"reported": reported, **cells}


def save(version: AgreementVersion, **rows: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    version.refresh_from_db()
    return services.measures_save(
        version=version,
        rows={code.replace("_", "."): cells for code, cells in rows.items()},
        by=make.user(Role.PERFORMANCE_TEAM),
        revision=version.revision,
    )


def agree(version: AgreementVersion, on: date = date(2027, 3, 10)) -> services.TargetsSet:
    version.refresh_from_db()
    return services.agree(
        version=version,
        by=make.user(Role.PERFORMANCE_TEAM),
        agreed_on=on,
        revision=version.revision,
        today=date(2027, 3, 31),
    )


def test_the_plans_own_targets_are_agreed_for_each_year_with_where_they_came_from(
    plan: Plan,
) -> None:
    fairs = Target.objects.filter(indicator__code="A2.M9.3").order_by("period__start")
    assert [(t.period.code, t.value) for t in fairs] == [
        ("2024-25", Decimal(4)),
        ("2025-26", Decimal(4)),
        ("2026-27", Decimal(4)),
    ]
    assert fairs[0].source == (
        "2024/25 agreement, version 1, agreed by Council, in adopting the Council Plan 2024\u201327"
    )
    homes = Target.objects.get(indicator__code="A1.M1.1")
    assert (homes.period.code, homes.value) == ("2026-27", Decimal(1500))
    # Its quarters follow the plan's trajectory rather than a target of 1,500 each quarter.
    assert not Target.objects.filter(indicator__code="A1.M1.1", period__kind="quarter").exists()
    version = AgreementVersion.objects.get(
        agreement__portfolio__slug=ECONOMY, agreement__financial_year=2025
    )
    assert version.state == "agreed"
    led = Indicator.objects.filter(lead_portfolio__slug=ECONOMY).count()
    assert version.measures.count() == led
    assert version.measures.get(indicator__code="A1.M2.1").target is None  # the plan sets none


def test_next_years_draft_is_a_copy_of_this_years_agreement(plan: Plan) -> None:
    version = draft_2027()
    assert (version.number, version.state) == (1, "draft")
    fairs = version.measures.get(indicator__code="A2.M9.3")
    assert (fairs.target, fairs.note) == (
        Decimal(4),
        "The plan: we will hold four Jobs Fairs each year.",
    )
    assert version.introduction.startswith("This agreement holds only the targets")
    event = AgreementEvent.objects.get(version=version)
    assert event.note == "Copied from the 2026/27 agreement, version 1"
    with pytest.raises(ValidationError, match="already been started"):
        draft_2027()


def test_targets_are_saved_with_their_history_and_set_only_when_agreed(plan: Plan) -> None:
    version = draft_2027()
    changes = save(
        version,
        A2_M9_1=row(target="72.5", tolerance="2.5"),
        A1_M3_1=row(target="120", q1="100", q2="110", q3="115", q4="120", tolerance="10"),
    )
    assert changes["A2.M9.1"]["target"] == ["", "72.5"]
    assert changes["A2.M9.1"]["tolerance"] == ["0", "2.5"]
    assert AgreementEvent.objects.filter(version=version, action="edited").count() == 1
    assert not Target.objects.filter(period__financial_year=2027).exists()

    result = agree(version)

    assert result.kept_published == []
    year = ReportingPeriod.objects.get(code="2027-28")
    employment = Target.objects.get(indicator__code="A2.M9.1", period=year)
    assert (employment.value, employment.tolerance) == (Decimal("72.5"), Decimal("2.5"))
    quarters = Target.objects.filter(indicator__code="A2.M9.1", period__kind="quarter")
    assert sorted(t.value for t in quarters) == [Decimal("72.5")] * 4  # a level each quarter
    profiled = Target.objects.filter(indicator__code="A1.M3.1", period__kind="quarter")
    assert sorted((t.period.quarter, t.value) for t in profiled) == [
        (1, Decimal(100)),
        (2, Decimal(110)),
        (3, Decimal(115)),
        (4, Decimal(120)),
    ]
    change = TargetChange.objects.get(indicator__code="A2.M9.1", period=year)
    assert (change.before, change.after["value"]) == ({}, "72.5")
    assert change.source.startswith("2027/28 agreement, version 1, agreed by Cabinet on 10 March")
    score = Score.objects.get(
        indicator__code="A2.M9.1", period__code="2027-28-Q2", audience="members"
    )
    assert score.target_value == Decimal("72.5")


def test_an_agreed_version_cannot_be_edited_only_amended(plan: Plan) -> None:
    version = draft_2027()
    agree(version)
    with pytest.raises(ValidationError, match="start an amendment instead"):
        save(version, A2_M9_1=row(target="80"))
    assert version.measures.get(indicator__code="A2.M9.1").target is None


def test_a_page_saved_from_an_old_copy_is_refused_and_changes_nothing(plan: Plan) -> None:
    version = draft_2027()
    stale = version.revision
    save(version, A2_M9_1=row(target="70"))
    with pytest.raises(services.AgreementConflict, match="Someone else changed"):
        services.measures_save(
            version=version,
            rows={"A2.M9.1": row(target="99")},
            by=make.user(Role.PERFORMANCE_TEAM),
            revision=stale,
        )
    assert version.measures.get(indicator__code="A2.M9.1").target == Decimal(70)


@pytest.mark.parametrize(
    ("code", "cells", "field", "message"),
    [
        ("A2.M9.1", {"target": "seventy"}, "target", "Annual target must be a number"),
        ("A2.M9.1", {"target": "120"}, "target", "between 0 and 100"),
        ("A2.M9.1", {"target": "70", "tolerance": "-1"}, "tolerance", "positive number"),
        ("A2.M9.1", {"target": "70", "tolerance": "70"}, "tolerance", "would count a value of 0"),
        (
            "A2.M9.1",
            {"target": "70", "upper": "80"},
            "upper",
            "Only a measure judged within a band",
        ),
        (
            "A2.M9.1",
            {"target": "70", "upper": "60", "polarity": "on_target_band"},
            "upper",
            "below its lower edge",
        ),
        ("A2.M9.3", {"target": "4", "q1": "1"}, "q1", "reported once a year"),
        ("A2.M9.1", {"q1": "70"}, "q1", "Enter the annual target before"),
        ("A2.M9.1", {"target": "70", "polarity": "sideways"}, "polarity", "Choose higher"),
        ("A2.M9.1", {"target": "1e999999999"}, "target", "must be a number"),
    ],
)
def test_bad_figures_are_refused_by_field_and_nothing_is_saved(
    plan: Plan, code: str, cells: dict[str, str], field: str, message: str
) -> None:
    version = draft_2027()
    revision = version.revision
    with pytest.raises(services.AgreementRefused) as refused:
        save(version, A2_M9_2=row(target="5"), **{code.replace(".", "_"): row(**cells)})
    assert any(message in m for m in refused.value.by_indicator[code][field]), refused.value
    version.refresh_from_db()
    assert version.revision == revision
    assert version.measures.get(indicator__code="A2.M9.2").target is None  # the good row too


def test_a_year_to_date_profile_must_reach_the_annual_target_and_never_fall(plan: Plan) -> None:
    version = draft_2027(CLIMATE)
    with pytest.raises(services.AgreementRefused) as refused:
        save(version, CAN_M3_1=row(target="40", q1="10", q2="20", q3="15", q4="30"))
    problems = refused.value.by_indicator["CAN.M3.1"]
    assert "Q4's profile is the year's total: 30 is not the annual target 40" in problems["q4"][0]
    assert "cannot fall" in problems["q3"][0]
    save(version, CAN_M3_1=row(target="40"))
    agree(version)
    quarters = Target.objects.filter(indicator__code="CAN.M3.1", period__financial_year=2027)
    assert sorted(t.value for t in quarters) == [10, 20, 30, 40, 40]  # Q1-Q4 and the year


def test_an_indicator_the_portfolio_does_not_lead_is_refused(plan: Plan) -> None:
    version = draft_2027()
    with pytest.raises(services.AgreementRefused) as refused:
        save(version, CAN_M3_1=row(target="40"))
    assert "is not an indicator Economy" in refused.value.by_indicator["CAN.M3.1"]["indicator"][0]


def test_an_amendment_judges_from_its_date_and_published_periods_keep_their_targets(
    plan: Plan,
) -> None:
    version = draft_2027()
    save(version, A2_M9_1=row(target="70"))
    agree(version)
    ReportingPeriod.objects.filter(code="2027-28-Q1").update(state="published")
    agreement = version.agreement
    with pytest.raises(ValidationError, match="within 2027/28"):
        services.amend_start(
            agreement=agreement,
            by=None,
            reason="Cabinet raised it",
            effective_from=date(2029, 1, 1),
        )
    with pytest.raises(ValidationError, match="Say why"):
        services.amend_start(
            agreement=agreement, by=None, reason=" ", effective_from=date(2027, 4, 1)
        )
    amendment = services.amend_start(
        agreement=agreement, by=None, reason="Cabinet raised it", effective_from=date(2027, 4, 1)
    )
    save(amendment, A2_M9_1=row(target="75"))
    # Until the amendment is agreed, version 1 stays in force.
    assert Target.objects.get(indicator__code="A2.M9.1", period__code="2027-28").value == 70

    result = agree(amendment, on=date(2027, 3, 20))

    assert result.kept_published == ["A2.M9.1 2027/28 Q1"]
    targets = {
        t.period.code: t.value
        for t in Target.objects.filter(indicator__code="A2.M9.1", period__financial_year=2027)
    }
    assert targets == {
        "2027-28-Q1": 70,
        "2027-28-Q2": 75,
        "2027-28-Q3": 75,
        "2027-28-Q4": 75,
        "2027-28": 75,
    }
    version.refresh_from_db()
    assert version.state == "superseded"
    assert version.measures.get(indicator__code="A2.M9.1").target == 70  # still readable
    first, change = TargetChange.objects.filter(
        indicator__code="A2.M9.1", period__code="2027-28"
    ).order_by("at", "pk")
    assert (first.before, first.after["value"]) == ({}, "70")
    assert (change.before["value"], change.after["value"]) == ("70", "75")
    assert change.reason == "Cabinet raised it"
    assert "version 2" in change.source
    # A target the amendment left as it was is still the one version 1 set.
    fairs = Target.objects.get(indicator__code="A2.M9.3", period__code="2027-28")
    assert (fairs.value, "version 1" in fairs.source) == (4, True)


def test_an_amendment_from_mid_year_leaves_the_earlier_quarters_alone(plan: Plan) -> None:
    version = draft_2027()
    save(version, A2_M9_1=row(target="70"))
    agree(version)
    amendment = services.amend_start(
        agreement=version.agreement,
        by=None,
        reason="Mid-year review",
        effective_from=date(2027, 10, 1),
    )
    save(amendment, A2_M9_1=row(reported="no"))
    agree(amendment, on=date(2027, 3, 25))
    codes = set(
        Target.objects.filter(indicator__code="A2.M9.1").values_list("period__code", flat=True)
    )
    assert codes == {"2027-28-Q1", "2027-28-Q2"}  # dropped from Q3 on, the year included


def test_agreeing_needs_a_real_meeting_date(plan: Plan) -> None:
    version = draft_2027()
    with pytest.raises(ValidationError, match="Enter the date"):
        services.agree(version=version, by=None, agreed_on=None, revision=version.revision)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.agree(
            version=version,
            by=None,
            agreed_on=date(2027, 5, 1),
            revision=version.revision,
            today=date(2027, 4, 1),
        )
    version.refresh_from_db()
    assert version.state == "draft"


def test_comments_are_taken_while_a_draft_is_out_for_comment_only(plan: Plan) -> None:
    version = draft_2027()
    member = make.user(Role.SCRUTINY_MEMBER)
    with pytest.raises(ValidationError, match="only while a draft is out for comment"):
        services.comment_add(version=version, by=member, text="Too low")
    services.send_for_comment(version=version, by=None, revision=version.revision)
    with pytest.raises(ValidationError) as refused:
        services.comment_add(version=version, by=member, text="  ", indicator_code="CAN.M3.1")
    assert set(refused.value.message_dict) == {"text", "indicator"}
    comment = services.comment_add(
        version=version, by=member, text="Aim higher", indicator_code="A2.M9.1"
    )
    assert comment.indicator is not None
    assert (comment.indicator.code, comment.text) == ("A2.M9.1", "Aim higher")
    # Still editable by the performance team while out for comment.
    save(version, A2_M9_1=row(target="74"))


def test_key_projects_and_introduction_are_saved_and_recorded(plan: Plan) -> None:
    from agreements.selectors import schemes_for

    version = draft_2027()
    schemes = list(schemes_for(portfolio=portfolio())[:2])
    assert schemes, "the delivery table gives the portfolio blocks with schemes"
    services.details_save(
        version=version,
        introduction="Our year ahead.",
        scheme_ids=[s.pk for s in schemes],
        by=None,
        revision=version.revision,
    )
    version.refresh_from_db()
    assert version.introduction == "Our year ahead."
    assert set(version.key_projects.values_list("scheme", flat=True)) == {s.pk for s in schemes}
    with pytest.raises(ValidationError, match="not a scheme"):
        services.details_save(
            version=version,
            introduction="x",
            scheme_ids=[10**8],
            by=None,
            revision=version.revision,
        )
    version.refresh_from_db()
    assert version.introduction == "Our year ahead."


def test_load_plan_leaves_an_agreement_the_team_has_changed_alone(plan: Plan) -> None:
    from pathlib import Path

    from django.conf import settings

    from measures.loaders import load_all

    agreement = Agreement.objects.get(portfolio__slug=ECONOMY, financial_year=2026)
    amendment = services.amend_start(
        agreement=agreement, by=None, reason="Cabinet", effective_from=date(2026, 4, 1)
    )
    report = load_all(Path(settings.PLAN_FIXTURES_DIR))
    assert not report.created["agreements"]
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 2
    assert AgreedMeasure.objects.filter(version=amendment).exists()


def test_a_committees_published_report_is_not_judged_again_after_an_amendment(plan: Plan) -> None:
    from datetime import datetime

    from portfolios.models import ScrutinyCommittee
    from reports.builder import report_data_build

    version = draft_2027()
    save(version, A2_M9_1=row(target="70"))
    agree(version)
    quarter = ReportingPeriod.objects.get(code="2027-28-Q1")
    ReportingPeriod.objects.filter(pk=quarter.pk).update(state="published")
    quarter.refresh_from_db()
    committee = ScrutinyCommittee.objects.get(remit__slug=ECONOMY)
    when = datetime(2027, 8, 1)
    before = report_data_build(committee=committee, period=quarter, generated_at=when)
    amendment = services.amend_start(
        agreement=version.agreement, by=None, reason="Raised", effective_from=date(2027, 4, 1)
    )
    save(amendment, A2_M9_1=row(target="90"))
    agree(amendment, on=date(2027, 3, 30))
    after = report_data_build(committee=committee, period=quarter, generated_at=when)
    assert after.fingerprint == before.fingerprint
    assert Target.objects.get(indicator__code="A2.M9.1", period=quarter).value == 70
    assert Target.objects.get(indicator__code="A2.M9.1", period__code="2027-28-Q2").value == 90
