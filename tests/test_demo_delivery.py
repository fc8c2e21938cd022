"""The demo's milestone updates: synthetic, through the workflow with four eyes, published with
their periods, slipped ones with reasons and revised dates, and some still owed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from ambitions.models import Milestone, Plan, Scheme
from measures.milestone_returns import returns_for
from measures.models import (
    DeliveryOwnershipChange,
    MilestoneScore,
    MilestoneUpdate,
    MilestoneUpdateEvent,
    ReportingPeriod,
)
from measures.services.milestones import FIGURES

Action = MilestoneUpdateEvent.Action


@pytest.fixture
def demo(shared_plan: Plan, settings: object) -> Plan:
    """The plan with the demo loaded (in this test's savepoint)."""
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("load_demo", stdout=StringIO())
    return shared_plan


def open_period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(state=ReportingPeriod.State.OPEN)


def test_every_demo_update_is_synthetic_and_labelled(demo: Plan) -> None:
    updates = MilestoneUpdate.objects.all()
    assert updates.count() > 50
    assert not updates.filter(is_synthetic=False).exists()
    assert all(u.progress_note.startswith("Synthetic demo data:") for u in updates)
    assert not MilestoneScore.objects.filter(update__isnull=False, is_synthetic=False).exists()


def test_the_plans_schemes_have_lead_officers_who_are_officers(demo: Plan) -> None:
    leads = set(Scheme.objects.values_list("owner__username", flat=True))
    assert leads == {"officer", "officer2"}
    interchange = Scheme.objects.select_related("owner").get(slug="stockport-interchange")
    assert interchange.owner is not None and interchange.owner.username == "officer"
    # Given through the owners' service, so each is in the history, labelled as the demo's.
    given = DeliveryOwnershipChange.objects.filter(scheme=interchange)
    assert given.exists() and all(c.reason.startswith("Synthetic demo data:") for c in given)
    stockroom = Milestone.objects.get(scheme__slug="stockroom", title="Scheme opens")
    assert stockroom.owner is not None and stockroom.owner.username == "officer2"


def test_published_quarters_publish_their_updates_and_the_open_one_waits(demo: Plan) -> None:
    published = MilestoneUpdate.objects.filter(status="published")
    assert set(published.values_list("period__state", flat=True)) == {"published"}
    assert set(published.values_list("period__financial_year", flat=True)) == {2024, 2025}
    assert not MilestoneUpdate.objects.filter(status__in=("approved", "returned")).exists()
    in_open = MilestoneUpdate.objects.filter(period=open_period())
    assert set(in_open.values_list("status", flat=True)) == {"draft", "submitted"}
    # Every owed milestone has an update each quarter, until one says it is complete.
    interchange = MilestoneUpdate.objects.filter(milestone__scheme__slug="stockport-interchange")
    statuses = interchange.order_by("period__start").values_list("delivery_status", flat=True)
    assert list(statuses) == ["on_track", "on_track", "on_track", "complete"]


def test_slipped_updates_give_a_reason_an_action_and_a_revised_date(demo: Plan) -> None:
    slipped = MilestoneUpdate.objects.filter(delivery_status="slipped", revised_date__isnull=False)
    assert slipped.count() >= 3
    assert all(u.reason.strip() and u.corrective_action.strip() for u in slipped)
    at_risk = MilestoneUpdate.objects.filter(delivery_status="at_risk")
    assert at_risk.exists() and all(u.corrective_action.strip() for u in at_risk)
    assert MilestoneUpdate.objects.filter(delivery_status="complete", status="published").exists()
    latest = ReportingPeriod.objects.filter(kind="quarter", state="published").latest("end")
    twice = MilestoneScore.objects.get(
        milestone__scheme__slug="stockport8",
        milestone__title="Construction starts",
        period=latest,
        audience="public",
    )
    assert [r["date_after"] for r in twice.revisions] == ["2026-06-30", "2026-12-31"]
    assert twice.state == "slipped"


def test_the_open_quarter_leaves_milestones_owing_an_update_for_officer(demo: Plan) -> None:
    officer = User.objects.get(username="officer")
    returns = returns_for(user=officer, period=open_period())
    owing = [r.milestone.title for r in returns if r.update is None]
    assert "Construction starts" in owing
    assert any(r.update is not None for r in returns)


def test_the_demo_keeps_four_eyes(demo: Plan) -> None:
    decided = MilestoneUpdate.objects.filter(status__in=("approved", "published"))
    assert decided.exists()
    for update in decided.prefetch_related("events"):
        events = list(update.events.all())
        writers = {e.by_id for e in events if any(name in e.changes for name in FIGURES)}
        submitters = {e.by_id for e in events if e.action == Action.SUBMITTED}
        [approver] = {e.by_id for e in events if e.action == Action.APPROVED}
        assert approver not in writers | submitters, update
        assert approver != update.submitted_by_id
    returned = MilestoneUpdateEvent.objects.filter(action=Action.RETURNED)
    assert returned.count() == 1 and returned.get().note.startswith("Synthetic demo data:")


def test_loading_the_demo_again_adds_no_updates(demo: Plan) -> None:
    before = list(MilestoneUpdate.objects.order_by("pk").values_list("pk", "version"))
    call_command("load_demo", stdout=StringIO())
    assert list(MilestoneUpdate.objects.order_by("pk").values_list("pk", "version")) == before


def test_my_returns_shows_the_officers_owed_milestones(demo: Plan, client: Client) -> None:
    client.force_login(User.objects.get(username="officer"))
    html = client.get(reverse("measures:returns")).content.decode()
    assert "Stockport8" in html
