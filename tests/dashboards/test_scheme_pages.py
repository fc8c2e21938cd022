"""Scheme pages and the dashboards' milestones panel: who sees which update, the timeline of
planned and revised dates, overdue in words, and the links that lead to a scheme's page."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as agreements
from ambitions.models import FocusArea, Milestone, Scheme
from core.roles import Role
from measures.models import MilestoneUpdate, ReportingPeriod
from measures.services import period_close, period_publish
from measures.services.milestones import milestone_update_approve, milestone_update_submit
from portfolios.models import DeliveryAssignment, DeliveryPriority
from tests import factories as make
from tests.ambitions.test_pages import assert_accessible_structure

pytestmark = pytest.mark.django_db


def approved(
    milestone: Milestone,
    period: ReportingPeriod,
    officer: User,
    team: User,
    status: str,
    **fields: Any,
) -> MilestoneUpdate:
    """An update written and submitted by the officer and approved by the team."""
    update = make.milestone_draft(milestone, period, officer, status, **fields)
    update = milestone_update_submit(update=update, by=officer, expected_version=update.version)
    return milestone_update_approve(update=update, by=team, expected_version=update.version)


def named(milestone: Milestone, name: str, slug: str) -> Scheme:
    scheme = milestone.scheme
    scheme.name, scheme.slug = name, slug
    scheme.save()
    return scheme


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def scheme_url(scheme: Scheme) -> str:
    return reverse("dashboards:scheme", args=[scheme.focus_area.ambition.plan.slug, scheme.slug])


def signed_in(role: Role) -> Client:
    client = Client()
    client.force_login(make.user(role))
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    """A scheme whose milestone slipped in Q1 (published) and is at risk in Q2 (approved, the
    quarter still open), each moving its date with a reason."""
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    milestone = make.milestone(
        owner=officer, title="Interchange open", due="summer 2025", due_date=date(2025, 6, 30)
    )
    scheme = named(milestone, "Stockport Interchange", "stockport-interchange")
    approved(
        milestone,
        q1,
        officer,
        team,
        "slipped",
        progress_note="Work stopped on site.",
        revised_date=date(2025, 12, 31),
        reason="Contractor went into administration",
        corrective_action="New contractor appointed",
    )
    period_close(period=q1, by=team)
    period_publish(period=q1, by=team)
    approved(
        milestone,
        q2,
        officer,
        team,
        "at_risk",
        progress_note="Steel frame going up.",
        revised_date=date(2026, 3, 31),
        reason="Steel delivery delayed",
        corrective_action="Second supplier found",
    )
    return {"officer": officer, "team": team, "q1": q1, "q2": q2, "scheme": scheme}


def test_it_shows_a_resident_the_published_update_and_not_the_approved_one(world) -> None:
    html = page(Client(), scheme_url(world["scheme"]))
    assert_accessible_structure(html)
    text = text_of(html)
    assert "Progress as at 2025/26 Q1" in text
    assert "Work stopped on site." in text and "New contractor appointed" in text
    assert "Slipped" in text and "At risk" not in text
    assert "Steel frame going up." not in text and "Steel delivery delayed" not in text
    assert "Now expected December 2025" in text
    # A quarter the public may not be shown is not found, not shown empty.
    response = Client().get(scheme_url(world["scheme"]), {"period": world["q2"].code})
    assert response.status_code == 404


def test_it_shows_a_councillor_the_approved_update_of_the_open_quarter(world) -> None:
    text = text_of(page(signed_in(Role.COUNCILLOR), scheme_url(world["scheme"])))
    assert "Progress as at 2025/26 Q2" in text
    assert "Steel frame going up. (approved, not yet published)" in text
    assert "At risk" in text and "Second supplier found" in text
    assert "Now expected March 2026" in text
    earlier = signed_in(Role.COUNCILLOR).get(scheme_url(world["scheme"]), {"period": "2025-26-Q1"})
    assert "Work stopped on site." in text_of(earlier.content.decode())


def test_it_lists_each_revision_oldest_first_with_its_reason(world) -> None:
    text = text_of(page(signed_in(Role.SCRUTINY_MEMBER), scheme_url(world["scheme"])))
    assert "Planned summer 2025 (June 2025)" in text
    first = (
        "From June 2025 to December 2025, in the 2025/26 Q1 update: "
        "Contractor went into administration"
    )
    second = "From December 2025 to March 2026, in the 2025/26 Q2 update: Steel delivery delayed"
    assert first in text and second in text
    assert text.index(first) < text.index(second)


def test_a_milestone_past_its_date_and_not_complete_is_overdue_in_words(world) -> None:
    officer, team, q2 = world["officer"], world["team"], world["q2"]
    late = Milestone.objects.create(
        scheme=world["scheme"],
        title="Bus station handed over",
        due_date=date(2025, 6, 30),
        position=2,
        owner=officer,
    )
    approved(late, q2, officer, team, "on_track", progress_note="Snagging list agreed.")
    text = text_of(page(signed_in(Role.COUNCILLOR), scheme_url(world["scheme"])))
    assert "On track · Overdue" in text
    assert "2 milestones: 1 on track, 1 at risk; 1 overdue." in text
    # The same words on the dashboard, for the same audience and quarter.
    dashboard = text_of(page(signed_in(Role.COUNCILLOR), reverse("dashboards:plan")))
    assert "Bus station handed over Due June 2025 On track · Overdue" in dashboard


@pytest.mark.parametrize(
    "address",
    [
        "/plan/test-plan/schemes/no-such-scheme/",
        "/plan/no-such-plan/schemes/stockport-interchange/",
        "/plan/test-plan/schemes/stockport-interchange/?period=1999-00-Q1",
    ],
)
def test_an_unknown_scheme_plan_or_period_is_not_found(world, address: str) -> None:
    assert Client().get(address).status_code == 404


def test_two_schemes_of_a_plan_with_one_slug_show_the_first_in_the_plans_order(world) -> None:
    block = world["scheme"].focus_area.ambition
    later = FocusArea.objects.create(ambition=block, code="A1.F9", title="Later", position=9)
    Scheme.objects.create(
        focus_area=later, slug="stockport-interchange", name="Another scheme", position=1
    )
    text = text_of(page(Client(), scheme_url(world["scheme"])))
    assert "Stockport Interchange" in text and "Another scheme" not in text


def test_the_lead_officer_is_named_to_staff_only_and_partners_where_the_plan_names_them(
    world,
) -> None:
    scheme = world["scheme"]
    scheme.owner = User.objects.create_user("lead", first_name="Priya", last_name="Shah")
    scheme.partners = ["Transport for Greater Manchester", "Rise Homes"]
    scheme.save()
    assert "Priya Shah" in page(signed_in(Role.OFFICER), scheme_url(scheme))
    assert "Priya Shah" in page(signed_in(Role.PERFORMANCE_TEAM), scheme_url(scheme))
    for client in (Client(), signed_in(Role.COUNCILLOR)):
        html = page(client, scheme_url(scheme))
        assert "Priya Shah" not in html and "Lead officer" not in html
        assert "Partners named in the plan" in html and "Rise Homes" in html
    scheme.partners = []
    scheme.save()
    assert "Partners named in the plan" not in page(Client(), scheme_url(scheme))


def test_the_block_page_dashboards_and_agreement_link_to_the_scheme_page(world) -> None:
    scheme = world["scheme"]
    block = scheme.focus_area.ambition
    portfolio = make.portfolio()
    priority = DeliveryPriority.objects.create(plan=block.plan, name="Jobs", position=1)
    priority.blocks.add(block)
    DeliveryAssignment.objects.create(
        priority=priority, portfolio=portfolio, as_written=portfolio.name, position=1
    )
    link = f'href="{scheme_url(scheme)}"'
    assert link in page(Client(), block.get_absolute_url())
    councillor = signed_in(Role.COUNCILLOR)
    assert link in page(councillor, reverse("dashboards:plan"))
    assert link in page(councillor, reverse("dashboards:portfolio", args=[portfolio.slug]))
    text = text_of(page(Client(), scheme_url(scheme)))
    assert "Portfolio responsible for this ambition Economy" in text

    team = world["team"]
    version = agreements.draft_start(portfolio=portfolio, financial_year=2025, by=team)
    agreements.details_save(
        version=version,
        introduction="",
        scheme_ids=[scheme.pk],
        by=team,
        revision=version.revision,
    )
    client = Client()
    client.force_login(team)
    agreement = page(client, reverse("agreements:detail", args=[portfolio.slug, 2025]))
    assert link in agreement


def test_the_dashboard_counts_every_milestone_and_lists_exceptions_first() -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q2 = make.quarter(2025, 2)  # 1 July to 30 September 2025

    def milestone(title: str, due: date) -> Milestone:
        return make.milestone(owner=officer, title=title, due_date=due)

    cases = [
        ("Due this quarter", date(2025, 9, 30), "on_track", {}),
        ("Overdue step", date(2025, 6, 30), "on_track", {}),
        ("Finished step", date(2025, 8, 31), "complete", {}),
        (
            "Risky step",
            date(2026, 3, 31),
            "at_risk",
            {"reason": "Funding unclear", "corrective_action": "Bid submitted"},
        ),
        (
            "Slipped step",
            date(2025, 12, 31),
            "slipped",
            {"reason": "Planning delay", "corrective_action": "Appeal lodged"},
        ),
    ]
    for title, due, status, extra in cases:
        approved(milestone(title, due), q2, officer, team, status, **extra)
    milestone("Later step", date(2027, 3, 31))  # no update: counted, not listed

    html = page(signed_in(Role.COUNCILLOR), reverse("dashboards:plan"))
    panel = text_of(html.split('id="milestones"')[1].split('id="indicators"')[0])
    assert (
        "6 milestones: 1 complete, 2 on track, 1 at risk, 1 slipped, 1 with no update; "
        "1 overdue." in panel
    )
    order = ["Slipped step", "Risky step", "Overdue step", "Finished step", "Due this quarter"]
    assert [panel.index(title) for title in order] == sorted(panel.index(t) for t in order)
    assert "Later step" not in panel
    # The public has no published quarter, so its dashboard shows no milestone at all.
    assert "Slipped step" not in page(Client(), reverse("dashboards:plan"))


def test_the_scheme_page_costs_the_same_queries_whatever_its_milestones(world) -> None:
    client = signed_in(Role.COUNCILLOR)
    with CaptureQueriesContext(connection) as few:
        page(client, scheme_url(world["scheme"]))
    for position in range(2, 8):
        Milestone.objects.create(
            scheme=world["scheme"], title=f"Step {position}", position=position
        )
    with CaptureQueriesContext(connection) as many:
        page(client, scheme_url(world["scheme"]))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_dashboards_download_every_milestone_with_overdue_and_dates(client, plan) -> None:
    """The CSV (and Excel) of a dashboard's milestones says overdue as the pages do, with
    dates as dates and one period code format."""
    import csv
    import io

    from measures.models import ReportingPeriod

    period = ReportingPeriod.objects.get(code="2024-25-Q4")
    period.state = ReportingPeriod.State.PUBLISHED
    period.save()
    response = client.get("/dashboard/", {"period": period.code, "milestones": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    stockroom = next(
        r for r in rows if r["scheme"] == "Stockroom" and r["milestone"] == "Scheme opens"
    )
    assert (stockroom["status"], stockroom["overdue"], stockroom["original_date"]) == (
        "No update",
        "yes",
        "2024-12-31",
    )
    assert stockroom["dates"] == "due December 2024" and stockroom["period"] == "2024-25-Q4"
    assert {r["status"] for r in rows} <= {"No update", "Complete"}
    assert (
        client.get("/dashboard/", {"period": period.code, "milestones": "pdf"}).status_code == 404
    )
