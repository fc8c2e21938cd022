"""Milestones in a committee's report: read from the members' stored milestone scores, worded
by measures/delivery.py, counted, exceptions first, and part of the report's fingerprint."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.utils import timezone
from pypdf import PdfReader

from ambitions.models import Ambition, FocusArea, Milestone, Scheme
from core.roles import Role
from measures.models import MilestoneUpdate
from measures.services.milestones import milestone_update_approve, milestone_update_submit
from portfolios.models import DeliveryAssignment, DeliveryPriority, ScrutinyCommittee
from reports.builder import report_data_build
from reports.data import ReportData
from reports.renderers import render_pdf, render_xlsx
from tests import factories as make

pytestmark = pytest.mark.django_db

COUNTS_BEFORE = "4 milestones: 1 complete, 1 slipped, 2 with no update; 1 overdue."
COUNTS_AFTER = "4 milestones: 1 complete, 1 at risk, 1 slipped, 1 with no update; 1 overdue."


def flat(text: str) -> str:
    """Text with all whitespace removed, so words a line wrap split still match."""
    return "".join(text.split())


def _approved(update: MilestoneUpdate, officer: Any, team: Any) -> MilestoneUpdate:
    update = milestone_update_submit(update=update, by=officer, expected_version=update.version)
    return milestone_update_approve(update=update, by=team, expected_version=update.version)


def _deliver(block: Ambition, *portfolios: Any) -> None:
    """A row of the plan's delivery table: the block, delivered by these portfolios."""
    priority = DeliveryPriority.objects.create(
        plan=block.plan, name=f"Delivering {block.code}", position=block.position
    )
    priority.blocks.add(block)
    for position, portfolio in enumerate(portfolios, start=1):
        DeliveryAssignment.objects.create(
            priority=priority, portfolio=portfolio, as_written=portfolio.name, position=position
        )


@pytest.fixture
def known() -> dict[str, Any]:
    """Four milestones of a block two portfolios of the remit deliver, with known updates, and
    one of a block the remit does not deliver; the report is for 2025/26 Q3."""
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2, q3 = (make.quarter(2025, n) for n in (1, 2, 3))
    slipped = make.milestone(owner=officer, due_date=date(2025, 6, 30), title="Business case")
    overdue = make.milestone(owner=officer, due_date=date(2025, 3, 31), title="Site survey")
    complete = make.milestone(owner=officer, due_date=date(2025, 9, 30), title="Land bought")
    at_risk = make.milestone(owner=officer, due_date=date(2026, 9, 30), title="Contract let")
    for period, revised, reason in (
        (q1, date(2025, 9, 30), "Funding decision delayed"),
        (q2, date(2026, 3, 31), "Ground conditions"),
    ):
        draft = make.milestone_draft(
            slipped,
            period,
            officer,
            "slipped",
            revised_date=revised,
            reason=reason,
            corrective_action="Recovery plan agreed",
            progress_note=f"Slipped in {period}.",
        )
        _approved(draft, officer, team)
    _approved(
        make.milestone_draft(complete, q2, officer, "complete", progress_note="Completed."),
        officer,
        team,
    )
    submitted = milestone_update_submit(
        update=make.milestone_draft(
            at_risk,
            q3,
            officer,
            "at_risk",
            reason="Supplier may fold",
            corrective_action="Second supplier lined up",
        ),
        by=officer,
        expected_version=1,
    )
    block = slipped.scheme.focus_area.ambition
    elsewhere = Ambition.objects.create(
        plan=block.plan, slug="a2", code="A2", kind=block.kind, title="A2", position=2
    )
    area = FocusArea.objects.create(ambition=elsewhere, code="A2.F1", title="F", position=1)
    scheme = Scheme.objects.create(focus_area=area, slug="other", name="Other", position=1)
    Milestone.objects.create(
        scheme=scheme, title="Not ours", due_date=date(2025, 6, 30), position=1
    )
    economy, housing, other = (make.portfolio(s) for s in ("economy", "housing", "other"))
    _deliver(block, economy, housing)
    _deliver(elsewhere, other)
    committee = ScrutinyCommittee.objects.create(slug="economy", name="Economy", position=1)
    committee.remit.add(economy, housing)
    return {
        "committee": committee,
        "period": q3,
        "team": team,
        "submitted": submitted,
        "milestones": (slipped, overdue, complete, at_risk),
    }


def _build(known: dict[str, Any], period: Any = None) -> ReportData:
    return report_data_build(
        committee=known["committee"],
        period=period or known["period"],
        generated_at=timezone.now(),
    )


def test_the_report_lists_what_members_know_exceptions_first(known) -> None:
    data = _build(known)
    listed = [(m.title, m.state, m.overdue) for m in data.milestones]
    assert listed == [
        ("Business case", "slipped", False),
        ("Site survey", "no_update", True),  # overdue first within "no update"
        ("Contract let", "no_update", False),  # its at-risk update is only submitted
        ("Land bought", "complete", False),
    ]
    first = data.milestones[0]
    assert (first.original_date, first.current_date, first.revisions) == (
        date(2025, 6, 30),
        date(2026, 3, 31),
        2,
    )
    assert first.dates == "due June 2025, revised to March 2026 (twice)"
    assert (first.revision_reason, first.reason) == ("Ground conditions", "Ground conditions")
    assert (first.progress_note, first.update_period) == ("Slipped in 2025/26 Q2.", "2025/26 Q2")
    assert data.milestone_summary == COUNTS_BEFORE
    assert [m.title for m in data.milestone_exceptions] == ["Business case"]
    # Both portfolios deliver the block, so each lists all four; the other block is left out.
    assert [[m.title for m in p.milestones] for p in data.portfolios] == [
        [m.title for m in data.milestones]
    ] * 2
    assert data.portfolios[0].milestone_summary == COUNTS_BEFORE


def test_a_year_s_report_reads_where_milestones_stood_at_its_last_quarter(known) -> None:
    make.quarter(2025, 4)
    year = _build(known, make.year(2025))
    last_quarter = _build(known, make.quarter(2025, 4))
    assert [(m.title, m.state, m.overdue) for m in year.milestones] == [
        (m.title, m.state, m.overdue) for m in last_quarter.milestones
    ]
    assert year.milestones[0].title == "Business case" and len(year.milestones) == 4


def test_the_pdf_says_the_dates_the_status_and_the_counts_in_words(known) -> None:
    pdf = PdfReader(io.BytesIO(render_pdf(_build(known))))
    text = flat("\n".join(page.extract_text() for page in pdf.pages))
    for expected in (
        "due June 2025, revised to March 2026 (twice)",
        "Slipped",
        "Reason: Ground conditions",
        "Corrective action: Recovery plan agreed",
        "due March 2025",
        "No update \u00b7 Overdue",
        "Completed.",
        COUNTS_BEFORE,
    ):
        assert flat(expected) in text, expected
    assert flat("Last moved") not in text  # the reason shown already says why it moved
    assert flat("Planned") not in text
    assert flat("At risk") not in text and flat("Supplier may fold") not in text
    assert flat("Not ours") not in text
    tags: Counter[str] = Counter()

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            tags[str(node.get("/S"))] += 1
            walk(node.get("/K"))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(pdf.root_object["/StructTreeRoot"])
    # Two portfolios, no indicators: two milestone tables of five header cells each, and the
    # exceptions' table (four headers, and a row header for its one slipped milestone).
    assert (tags["/Table"], tags["/TH"]) == (3, 15)


def test_the_workbook_has_a_milestones_sheet_with_dates_and_the_counts(known) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(_build(known))))
    rows = list(workbook["Milestones"].iter_rows(values_only=True))
    assert rows[0][3:8] == ("Original date", "Current date", "Revisions", "Status", "Overdue")
    slipped = known["milestones"][0]
    assert rows[1] == (
        "A1",
        slipped.scheme.name,
        "Business case",
        datetime(2025, 6, 30),
        datetime(2026, 3, 31),
        2,
        "Slipped",
        "No",
        "Slipped in 2025/26 Q2.",
        "Ground conditions",
        "Recovery plan agreed",
        "2025-26-Q2",
        "No",
    )
    assert rows[2][2:8] == (
        "Site survey",
        datetime(2025, 3, 31),
        datetime(2025, 3, 31),
        0,
        "No update",
        "Yes",
    )
    assert [row[2] for row in rows[1:]] == [
        "Business case",
        "Site survey",
        "Contract let",
        "Land bought",
    ]  # once each, though two portfolios deliver them
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert ("Milestones", COUNTS_BEFORE) in summary


def test_approving_an_update_gives_a_new_fingerprint_and_data_as_at(known) -> None:
    before = _build(known)
    assert _build(known).fingerprint == before.fingerprint
    approved = milestone_update_approve(
        update=known["submitted"], by=known["team"], expected_version=known["submitted"].version
    )
    after = _build(known)
    assert after.fingerprint != before.fingerprint
    assert after.data_as_at == approved.updated_at
    assert before.data_as_at is not None and before.data_as_at < approved.updated_at
    assert after.milestone_summary == COUNTS_AFTER
    assert [(m.title, m.state) for m in after.milestone_exceptions] == [
        ("Business case", "slipped"),
        ("Contract let", "at_risk"),
    ]


def test_the_real_plan_s_milestones_due_in_2024_have_dates_and_are_overdue(plan) -> None:
    committee = ScrutinyCommittee.objects.get(slug="economy-regeneration-climate-scrutiny")
    data = report_data_build(
        committee=committee, period=make.quarter(2024, 4), generated_at=timezone.now()
    )
    exchange = next(m for m in data.milestones if m.scheme == "Stockport Exchange")
    assert (exchange.dates, exchange.state, exchange.overdue) == (
        "due December 2024",
        "no_update",
        True,
    )
    assert data.milestones[0].overdue  # overdue ones first among those with no update
    text = flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(data))).pages))
    assert flat("due December 2024") in text and flat("No update \u00b7 Overdue") in text
    assert flat("Planned") not in text
