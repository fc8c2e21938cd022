"""The committee report's resources section: the finance figures members see, per portfolio,
in the PDF and the workbook's Resources sheet, and in the report's fingerprint."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from pypdf import PdfReader

from core.roles import Role
from measures.models import ReportingPeriod
from portfolios.models import Portfolio, ScrutinyCommittee
from reports.builder import report_data_build
from reports.data import ReportData
from reports.renderers import render_pdf, render_xlsx
from resources.models import FinanceReturn, RevenueLine
from resources.rules import SavingFigure
from resources.services import finance_approve, finance_figures_save
from tests import factories
from tests.resources.figures import capital, quarter_saved, reserve, revenue, saving

pytestmark = pytest.mark.django_db

OVERSPEND = "Placements for looked-after children cost more than budgeted."
AT_RISK = "Procurement of the new contract is three months late."
SLIPPAGE = "Contractor insolvency delayed the second phase."


def flat(text: str) -> str:
    """Text with all whitespace removed, so words a line wrap split still match."""
    return "".join(text.split())


def pdf_text(data: ReportData) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def resources_sheet(data: ReportData) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))["Resources"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture
def period() -> ReportingPeriod:
    return factories.quarter(2025, 2, state="closed")


@pytest.fixture
def economy() -> Portfolio:
    return factories.portfolio("economy")


@pytest.fixture
def committee(economy: Portfolio) -> ScrutinyCommittee:
    committee = ScrutinyCommittee.objects.create(
        slug="economy", name="Economy Scrutiny", position=1
    )
    committee.remit.add(economy)
    return committee


@pytest.fixture
def finance() -> User:
    return factories.user(Role.FINANCE_OFFICER)


@pytest.fixture
def team() -> User:
    return factories.user(Role.PERFORMANCE_TEAM)


def save_quarter(period: ReportingPeriod, economy: Portfolio, finance: User) -> None:
    scheme = factories.milestone().scheme
    scheme.name = "Weir Mill"
    scheme.save()
    at_risk = SavingFigure(
        reference="S2",
        description="Recommission home care",
        portfolio=economy,
        target_saving=Decimal("400000"),
        forecast_delivered=Decimal("150000"),
        rag="amber",
        note=AT_RISK,
    )
    quarter_saved(
        period,
        economy,
        finance,
        revenue=[
            revenue(
                economy, "2000000", "2300000", service_line="Placements", explanation=OVERSPEND
            ),
            revenue(economy, "5000000", "5010000", service_line="Libraries"),
        ],
        savings=[saving(economy, "S1", "300000", "300000"), at_risk],
        capital=[
            capital(economy, "C1", "5000000", "1000000", "3000000", scheme=scheme, reason=SLIPPAGE)
        ],
    )


def approve_all(team: User) -> None:
    for finance_return in FinanceReturn.objects.all():
        finance_approve(finance_return=finance_return, by=team, expected_version=1)


def build(committee: ScrutinyCommittee, period: ReportingPeriod) -> ReportData:
    return report_data_build(committee=committee, period=period, generated_at=timezone.now())


def test_it_shows_approved_figures_with_their_sentences_and_exceptions(
    committee, period, economy, finance, team
) -> None:
    save_quarter(period, economy, finance)
    approve_all(team)
    data = build(committee, period)
    text = pdf_text(data)
    for expected in (
        "Resources",
        "Forecast to overspend by £310k (4.4% of the £7m budget).",
        "Placements",
        OVERSPEND,
        "£450k of £700k forecast to be delivered; 1 saving at risk.",
        "S2 Recommission home care",
        AT_RISK,
        "£1m spent of a £5m budget for the year; £3m forecast, so £2m slips to later years.",
        "Plan scheme: Weir Mill",
        SLIPPAGE,
    ):
        assert flat(expected) in text
    assert "Libraries" not in text  # a £10k variance is under the threshold
    assert flat("No finance figures are approved") not in text


def test_it_writes_exact_amounts_to_the_resources_sheet(
    committee, period, economy, finance, team
) -> None:
    save_quarter(period, economy, finance)
    approve_all(team)
    rows = {(row["Figure"], row["Item"]): row for row in resources_sheet(build(committee, period))}
    whole = rows[("Revenue budget", "Whole portfolio")]
    assert (whole["Budget"], whole["Forecast"], whole["Variance"]) == (7000000, 7310000, 310000)
    assert whole["Status"] == "Approved" and whole["Portfolio"] == economy.name
    placements = rows[("Revenue line over threshold", "Placements")]
    assert (placements["Variance"], placements["Explanation"]) == (300000, OVERSPEND)
    risky = rows[("Saving not on track", "S2 Recommission home care")]
    assert (risky["Shortfall or slippage"], risky["Status"], risky["Explanation"]) == (
        250000,
        "At risk",
        AT_RISK,
    )
    slipping = rows[("Capital scheme slipping", "C1 Scheme C1")]
    assert slipping["Shortfall or slippage"] == 2000000
    assert (slipping["Explanation"], slipping["Plan scheme"]) == (SLIPPAGE, "Weir Mill")
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(build(committee, period))))["Resources"]
    assert sheet["D2"].number_format == '"£"#,##0.00'
    assert all(cell.font.bold for cell in sheet[1])


def test_it_leaves_out_figures_awaiting_approval(committee, period, economy, finance) -> None:
    save_quarter(period, economy, finance)
    data = build(committee, period)
    text = pdf_text(data)
    assert flat("No finance figures are approved for 2025/26 Q2.") in text
    for hidden in (OVERSPEND, AT_RISK, SLIPPAGE, "Forecast to overspend"):
        assert flat(hidden) not in text
    (row,) = resources_sheet(data)
    assert row["Explanation"] == "No finance figures are approved for 2025/26 Q2."


def test_it_says_so_when_no_figures_are_approved(committee, period) -> None:
    data = build(committee, period)
    assert flat("No finance figures are approved for 2025/26 Q2.") in pdf_text(data)
    assert data.reserves is None


def test_it_labels_synthetic_figures_as_synthetic(
    committee, period, economy, finance, team
) -> None:
    finance_figures_save(
        period=period,
        figures={"revenue": [revenue(economy, "2000000", "2010000")]},
        by=finance,
        synthetic=True,
    )
    approve_all(team)
    data = build(committee, period)
    assert data.synthetic
    text = pdf_text(data)
    assert flat("These finance figures are synthetic demonstration data") in text
    assert {row["Synthetic"] for row in resources_sheet(data)} == {"Yes"}


def test_it_shows_reserves_only_when_the_committee_covers_every_portfolio(
    committee, period, economy, finance, team
) -> None:
    quarter_saved(period, economy, finance, revenue=[revenue(economy)], reserves=[reserve()])
    approve_all(team)
    data = build(committee, period)
    assert data.reserves is not None
    assert flat("Council reserves") in pdf_text(data)
    total = next(row for row in resources_sheet(data) if row["Figure"] == "Reserves")
    assert (total["Opening balance"], total["Forecast closing balance"]) == (15000000, 12500000)
    factories.portfolio("housing")  # a portfolio outside the committee's remit
    assert build(committee, period).reserves is None


def test_the_fingerprint_changes_when_the_figures_do(
    committee, period, economy, finance, team
) -> None:
    save_quarter(period, economy, finance)
    before = build(committee, period).fingerprint
    approve_all(team)
    approved = build(committee, period).fingerprint
    assert approved != before
    assert build(committee, period).fingerprint == approved
    RevenueLine.objects.filter(service_line="Placements").update(explanation="Revised")
    assert build(committee, period).fingerprint != approved
