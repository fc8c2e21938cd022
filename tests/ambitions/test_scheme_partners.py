"""A scheme's partners: loaded from `partners:` in the plan's words, checked like every key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ambitions.models import Plan, Scheme
from core.fixtures import FixtureError
from measures.loaders import load_all

ANOTHER = Path(__file__).parent.parent / "fixtures" / "another-council"
HOMES = "plan/northdale-plan-2025-29/01-homes.yaml"
RIVERSIDE = "        name: Riverside Homes\n"


@pytest.fixture
def plan(shared_plan: Plan) -> Plan:
    """The Stockport plan, loaded once for this module: its tests only read it."""
    return shared_plan


def test_it_loads_the_partners_the_plan_names_for_the_interchange(plan: Plan) -> None:
    interchange = Scheme.objects.get(slug="stockport-interchange")
    assert interchange.partners == [
        "Greater Manchester Combined Authority (GMCA)",
        "Transport for Greater Manchester (TfGM)",
        "Rise Homes",
    ]
    assert Scheme.objects.get(slug="stockport-exchange").partners == ["Muse"]
    assert Scheme.objects.get(slug="weir-mill").partners == []


def test_every_partner_is_named_in_its_schemes_own_text(plan: Plan, plan_text: str) -> None:
    with_partners = Scheme.objects.exclude(partners=[])
    assert with_partners.count() >= 5
    for scheme in with_partners:
        for partner in scheme.partners:
            assert partner in scheme.description, (scheme.slug, partner)
            assert partner in plan_text, (scheme.slug, partner)


@pytest.fixture
def northdale_copy(tmp_path: Path) -> Path:
    """A private copy of the invented council's fixtures that a test may edit."""
    target = tmp_path / "another-council"
    shutil.copytree(ANOTHER, target)
    return target


def with_partners(folder: Path, partners_yaml: str) -> None:
    path = folder / HOMES
    text = path.read_text(encoding="utf-8")
    assert RIVERSIDE in text
    path.write_text(text.replace(RIVERSIDE, RIVERSIDE + partners_yaml, 1), encoding="utf-8")


@pytest.mark.django_db
def test_a_schemes_partners_are_saved_and_a_reload_follows_the_file(northdale_copy: Path) -> None:
    with_partners(northdale_copy, "        partners: [Northdale Homes, Canal & River Trust]\n")
    load_all(northdale_copy)
    riverside = Scheme.objects.get(slug="riverside-homes")
    assert riverside.partners == ["Northdale Homes", "Canal & River Trust"]
    path = northdale_copy / HOMES
    path.write_text(
        path.read_text(encoding="utf-8").replace(", Canal & River Trust", ""), encoding="utf-8"
    )
    load_all(northdale_copy)
    riverside.refresh_from_db()
    assert riverside.partners == ["Northdale Homes"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("partners_yaml", "message"),
    [
        ("        partners: Northdale Homes\n", "'partners' must be a list of names"),
        ("        partners: [Northdale Homes, '  ']\n", "none of them empty"),
        ("        partners: [42]\n", "'partners' must be a list of names"),
        ("        partners: [{name: Northdale Homes}]\n", "'partners' must be a list of names"),
        (
            "        partners: [Northdale Homes, Northdale Homes]\n",
            "'partners' names 'Northdale Homes' more than once",
        ),
    ],
)
def test_a_bad_partners_value_is_refused_with_its_place(
    northdale_copy: Path, partners_yaml: str, message: str
) -> None:
    with_partners(northdale_copy, partners_yaml)
    with pytest.raises(FixtureError) as caught:
        load_all(northdale_copy)
    assert any(
        p.startswith(f"{HOMES} > focus_areas #1") and "(riverside-homes)" in p and message in p
        for p in caught.value.problems
    ), caught.value.problems
    assert not Plan.objects.filter(slug="northdale-plan-2025-29").exists()


def test_the_admin_shows_partners_lead_officer_and_the_status_in_the_plan(
    plan: Plan, admin_client: Client
) -> None:
    interchange = Scheme.objects.get(slug="stockport-interchange")
    page = admin_client.get(reverse("admin:ambitions_scheme_change", args=[interchange.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rise Homes" in html and "Lead officer" in html and "Status in the plan" in html
    listing = admin_client.get(reverse("admin:ambitions_milestone_changelist"))
    assert listing.status_code == 200 and "Status in the plan" in listing.content.decode()
