"""The report a committee acts on: which items are exceptions and which are not, the honest
executive summary, what changed since the last report, and the recommendations it carries."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.roles import Role
from measures.performance import Direction, Rag, count_rag
from portfolios.models import ScrutinyCommittee
from reports.builder import report_data_build, report_snapshot
from reports.data import ReportMilestone, ReportPortfolio
from reports.exceptions import exceptions_of
from reports.models import ReportRun
from reports.pdf import render_pdf
from reports.pdf_sections import exceptions_by_portfolio, exceptions_sentence, summary_sentences
from reports.resources_data import ReportResources, ReportRevenue, ReportRevenueLine
from reports.since import changes_since, snapshot_of
from scrutiny.services import meeting_record, recommendation_add
from tests import factories as make
from tests.reports.test_report_renderers import build_report, indicator


def milestone(title: str, state: str) -> ReportMilestone:
    return ReportMilestone(
        block="A1",
        scheme="Weir Mill",
        title=title,
        state=state,
        state_label=state.replace("_", " ").capitalize(),
        overdue=False,
        original_date=date(2025, 6, 30),
        current_date=date(2025, 12, 31),
        dates="due June 2025, revised to December 2025 (once)",
        revisions=1,
        revision_reason="Ground conditions",
        progress_note="",
        reason="Ground conditions",
        corrective_action="Recovery plan",
        update_period="2025/26 Q2",
        synthetic=False,
    )


def revenue_over(line: str) -> ReportResources:
    over = ReportRevenueLine(
        line, Decimal(1_000_000), Decimal(1_400_000), Decimal(400_000), "Demand"
    )
    revenue = ReportRevenue(
        Decimal(1_000_000),
        Decimal(1_000_000),
        Decimal(1_400_000),
        Decimal(400_000),
        Decimal(40),
        "Forecast to overspend by £400k.",
        "more than £100k",
        (over,),
    )
    return ReportResources((), revenue, None, None, synthetic=False)


def portfolio_of_every_kind() -> ReportPortfolio:
    indicators = (
        indicator("OFF", "Off target", rag=Rag.RED, values=("40", "41", "42", "43")),
        indicator("CLOSE", "Close, improving", rag=Rag.AMBER),
        indicator("NONE", "No figure", rag=Rag.NO_DATA, values=("40", "41", "42", None)),
        indicator(  # 266 to 265: worse, but by less than a twentieth: not an exception
            "DIP",
            "Apprenticeships",
            unit="count",
            places=0,
            values=("260", "262", "266", "265"),
            rag=Rag.NO_TARGET,
            target=None,
            direction=Direction.WORSENED,
        ),
        indicator(
            "FALL",
            "Fell far",
            unit="count",
            places=0,
            values=("300", "310", "300", "240"),
            rag=Rag.NO_TARGET,
            target=None,
            direction=Direction.WORSENED,
        ),
        indicator("GOOD", "On target", rag=Rag.GREEN, target="40"),
    )
    return ReportPortfolio(
        name="Economy",
        counts=count_rag(i.rag for i in indicators),
        indicators=indicators,
        milestones=(milestone("Fit-out", "slipped"), milestone("Opening", "on_track")),
        resources=revenue_over("Housing"),
    )


def test_exceptions_are_off_target_no_data_material_worsening_slipped_and_over_budget() -> None:
    found = exceptions_of([portfolio_of_every_kind()])
    assert [e.key for e in found] == [
        "indicator:OFF",
        "indicator:NONE",
        "indicator:FALL",
        "milestone:Weir Mill:Fit-out",
        "budget:Economy:Housing",
    ]
    fall = found[2]
    assert fall.findings == ("Worsened from 300 (2025/26 Q1) to 240, by more than 5%.",)
    assert found[0].findings[0] == "43.0% against a target of 50.0%: off target."
    assert found[4].findings[0].startswith("Forecast overspend of £400k on a budget of £1m")
    assert found[4].commentary == "Demand"


def test_a_milestone_two_portfolios_deliver_is_one_exception() -> None:
    economy = portfolio_of_every_kind()
    housing = replace(economy, name="Housing", indicators=(), resources=None)
    keys = [e.key for e in exceptions_of([economy, housing])]
    assert keys.count("milestone:Weir Mill:Fit-out") == 1


def test_the_summary_gives_every_count_for_a_mix_all_bad_all_good_and_none() -> None:
    report = build_report()
    mixed = dict(summary_sentences(report))
    assert mixed["Indicators"].startswith("Of 5 indicators, ")
    assert "off target" in mixed["Indicators"] and "close to target" in mixed["Indicators"]
    assert "worsened" in mixed["Direction of travel"]
    bad = [indicator(f"B{n}", "Bad", rag=Rag.RED, direction=Direction.WORSENED) for n in (1, 2)]
    all_bad = replace(
        report,
        counts=count_rag(i.rag for i in bad),
        directions=((Direction.WORSENED, 2),),
        portfolios=(replace(report.portfolios[0], indicators=tuple(bad)),),
    )
    said = dict(summary_sentences(all_bad))
    assert said["Indicators"] == (
        "Of 2 indicators, 0 on or better than target, 0 close to target and 2 off target."
    )
    assert said["Direction of travel"] == (
        "0 improved, 0 unchanged and 2 worsened on their previous figure."
    )
    none = replace(report, counts=count_rag([]), directions=(), portfolios=())
    assert dict(summary_sentences(none))["Indicators"] == "No indicators to report."
    assert exceptions_sentence(()).startswith("No exceptions: nothing is off target")


def test_changes_since_name_new_and_resolved_exceptions_and_amended_targets() -> None:
    before = portfolio_of_every_kind()
    last = snapshot_of(exceptions_of([before]), [before])
    mended = tuple(
        replace(i, rag=Rag.GREEN) if i.code == "OFF" else i
        for i in before.indicators
        if i.code != "FALL"
    )
    retargeted = (
        *(replace(i, target=Decimal("45")) if i.code == "CLOSE" else i for i in mended),
        indicator("NEW", "Newly off", rag=Rag.RED),
    )
    after = replace(before, indicators=retargeted)
    since = changes_since(
        snapshot=snapshot_of(exceptions_of([after]), [after]),
        last=last,
        period_label="2025/26 Q1",
        fingerprint="abc",
    )
    assert since.new == ("NEW Newly off (indicator)",)
    assert since.resolved == ("OFF Off target (indicator)", "FALL Fell far (indicator)")
    assert since.targets == ("CLOSE Close, improving: target 50 → 45",)
    assert not since.nothing


@pytest.mark.django_db
def test_the_report_compares_with_the_committees_last_report_and_carries_recommendations() -> None:
    team = make.user(Role.PERFORMANCE_TEAM)
    committee = ScrutinyCommittee.objects.create(slug="economy", name="Economy", position=1)
    committee.remit.add(make.portfolio())
    q1, q2 = make.quarter(2025, 1, state="published"), make.quarter(2025, 2, state="published")
    first = report_data_build(committee=committee, period=q1, generated_at=timezone.now())
    assert first.since is None  # no earlier report
    stale = {"exceptions": {"indicator:GONE": ["GONE Was off", "indicator"]}, "targets": {}}
    ReportRun.objects.create(
        committee=committee,
        period=q1,
        status=ReportRun.Status.DONE,
        fingerprint="f" * 64,
        snapshot={**report_snapshot(first), **stale},
    )
    meeting = meeting_record(committee=committee, held_on=q2.end + timedelta(1), period=q1, by=team)
    recommendation_add(meeting=meeting, text="Review the apprenticeship pipeline", by=team)
    second = report_data_build(
        committee=committee, period=q2, generated_at=timezone.now() + timedelta(days=2)
    )
    assert second.since is not None
    assert second.since.period_label == q1.label and second.since.resolved == (
        "GONE Was off (indicator)",
    )
    assert second.recommendations is not None
    assert [r.text for r in second.recommendations.open] == ["Review the apprenticeship pipeline"]
    pages = PdfReader(io.BytesIO(render_pdf(second))).pages
    text = "".join("".join(page.extract_text().split()) for page in pages)
    for expected in (
        "Review the apprenticeship pipeline",
        "GONE Was off (indicator)",
        f"Against the committee's report for {q1.label}",
    ):
        assert "".join(expected.split()) in text, expected


def test_the_pdf_has_contents_and_bookmarks_in_the_order_a_committee_reads() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(build_report())))

    def titles(outline: list) -> list[str]:
        found: list[str] = []
        for item in outline:
            found += titles(item) if isinstance(item, list) else [item.title]
        return found

    bookmarks = titles(reader.outline)
    order = [
        "Contents",
        "Executive summary",
        "Exceptions",
        "Changes since the last report",
        "Recommendations and their progress",
        "Appendix: indicator trends",
    ]
    assert [b for b in bookmarks if b in order] == order
    first_pages = "".join(reader.pages[1].extract_text().split())
    assert "Exceptions" in first_pages and "Appendix:indicatortrends" in first_pages


def test_a_long_report_lists_the_most_serious_exceptions_and_says_where_the_rest_are() -> None:
    report = build_report()
    many = tuple(
        indicator(f"X{n}", f"Indicator {n}", rag=Rag.RED if n % 2 else Rag.NO_DATA)
        for n in range(450)
    )
    portfolio = replace(
        report.portfolios[0], indicators=many, counts=count_rag(i.rag for i in many)
    )
    long = replace(report, portfolios=(portfolio,), counts=portfolio.counts)
    long = replace(long, exceptions=exceptions_of(long.portfolios))
    assert len(long.exceptions) == 450
    left, listed = exceptions_by_portfolio(long)
    shown = [e for _, items in listed for e in items]
    assert (left, len(shown)) == (350, 100)
    assert all("off target" in e.findings[0] for e in shown)  # the no-data ones wait
    text = "".join(
        "".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(render_pdf(long))).pages
    )
    assert "Thereare350moreexceptionsthanthisPDFlists" in text
    assert "toomanytoreadinaPDF" in text
    assert "X100Indicator100" not in text  # no data: left to the workbook (and past the trends)
