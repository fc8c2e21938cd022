"""load_plan: idempotent, updates only what an edited fixture names, refuses bad files whole."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ambitions.models import (
    Ambition,
    Commitment,
    FocusArea,
    ImpactMeasure,
    Milestone,
    Plan,
    Scheme,
)
from core.fixtures import FixtureError
from measures.loaders import load_all
from measures.models import Indicator, ReportingPeriod, Target, TrajectoryTarget
from portfolios.models import DeliveryAssignment, Portfolio, ScrutinyCommittee

pytestmark = pytest.mark.django_db
BLOCK = "plan/council-plan-2024-27/02-investment-regeneration-and-jobs.yaml"
MODELS = [
    Plan,
    Ambition,
    FocusArea,
    ImpactMeasure,
    Scheme,
    Milestone,
    Commitment,
    Portfolio,
    DeliveryAssignment,
    ScrutinyCommittee,
    Indicator,
    Target,
    TrajectoryTarget,
    ReportingPeriod,
]
MODELS_NAMES = [m.__name__ for m in MODELS]


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    """A private copy of fixtures/ that a test may edit."""
    target = tmp_path / "fixtures"
    shutil.copytree(settings.PLAN_FIXTURES_DIR, target)
    return target


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every plan model, as plain values, to compare before and after."""
    return {m.__name__: sorted(map(tuple, m._default_manager.values_list())) for m in MODELS}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_loads_the_whole_plan_and_says_so() -> None:
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert "Plan loaded." in out.getvalue()
    assert Ambition.objects.count() == 11
    assert ImpactMeasure.objects.count() == 41


def test_a_second_run_changes_nothing() -> None:
    call_command("load_plan", stdout=StringIO())
    before = snapshot()
    out = StringIO()
    call_command("load_plan", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert " 0 updated" in out.getvalue() and "1 updated" not in out.getvalue()
    assert snapshot() == before


def test_an_edited_fixture_updates_only_the_row_it_names(fixtures_copy: Path) -> None:
    load_all(fixtures_copy)
    before = snapshot()
    edit(
        fixtures_copy / BLOCK,
        "title: To support the business base in Stockport",
        "title: To support the business base in Stockport (revised)",
    )
    report = load_all(fixtures_copy)
    assert dict(report.updated) == {"focus areas": 1}
    assert sum(report.created.values()) == 0
    after = snapshot()
    assert FocusArea.objects.get(code="A1.F2").title.endswith("(revised)")
    assert {k for k in MODELS_NAMES if before[k] != after[k]} == {"FocusArea"}
    changed = set(before["FocusArea"]) ^ set(after["FocusArea"])
    assert len(changed) == 2  # the old and the new version of one row


def test_a_reload_keeps_a_milestone_status_set_by_the_performance_team() -> None:
    load_all(Path(settings.PLAN_FIXTURES_DIR))
    milestone = Milestone.objects.filter(scheme__slug="stockport8").first()
    assert milestone is not None
    milestone.status = Milestone.Status.SLIPPED
    milestone.save()
    load_all(Path(settings.PLAN_FIXTURES_DIR))
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SLIPPED


def test_a_row_added_to_a_fixture_is_created_and_nothing_else_changes(fixtures_copy: Path) -> None:
    load_all(fixtures_copy)
    before = snapshot()
    new_committee = "  - slug: audit\n    name: Audit Committee\n    remit: [finance-resources]\n"
    edit(
        fixtures_copy / "portfolios.yaml",
        "scrutiny_committees:\n",
        f"scrutiny_committees:\n{new_committee}",
    )
    report = load_all(fixtures_copy)
    assert report.created["scrutiny committees"] == 1
    after = snapshot()
    assert {name for name in MODELS_NAMES if before[name] != after[name]} == {"ScrutinyCommittee"}
    assert ScrutinyCommittee.objects.get(slug="audit").to_be_confirmed is True


def test_a_bad_last_file_leaves_the_database_exactly_as_it_was(fixtures_copy: Path) -> None:
    load_all(fixtures_copy)
    before = snapshot()
    # A good edit early in the load, and a mistake in the last file loaded.
    edit(
        fixtures_copy / BLOCK,
        "title: To support the business base in Stockport",
        "title: Changed but must not be saved",
    )
    edit(fixtures_copy / "portfolios.yaml", "remit: [finance-resources]", "remit: [finance]")
    with pytest.raises(FixtureError) as caught:
        load_all(fixtures_copy)
    assert caught.value.problems == [
        "portfolios.yaml > scrutiny_committees #5 (corporate-resource-management-scrutiny): "
        "remit names 'finance', no portfolio"
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("code: A1.F2", "code: A1.F1", "'A1.F1' is used again"),
        ("title: To support the business base in Stockport", "tittle: x", "unknown key 'tittle'"),
        (
            "kind: ambition",
            "kind: dream",
            "kind 'dream' is not one of the kinds plan.yaml declares in vocabulary.block_kinds "
            "(core_services, ambition, cross_cutting_theme, enabling_programme)",
        ),
        ("due_date: 2035-12-31", "due_date: soon", "'due_date' must be a date written YYYY-MM-DD"),
        ("quantity: 4000\n", "quantity: lots\n", "'quantity' must be a number, not 'lots'"),
        ("  - one-future-enterprising-and-thriving", "  - one-past", "supports 'one-past'"),
        ("impact_measures:\n", "impact_measures:\n  - code: [\n", "line"),
    ],
)
def test_a_mistake_is_named_with_its_file_and_place(
    fixtures_copy: Path, old: str, new: str, message: str
) -> None:
    edit(fixtures_copy / BLOCK, old, new)
    with pytest.raises(FixtureError) as caught:
        load_all(fixtures_copy)
    assert any(p.startswith(BLOCK) and message in p for p in caught.value.problems), (
        caught.value.problems
    )
    assert Plan.objects.count() == 0


def test_a_missing_file_is_reported(fixtures_copy: Path) -> None:
    (fixtures_copy / "portfolios.yaml").unlink()
    with pytest.raises(FixtureError, match=r"portfolios.yaml: is missing"):
        load_all(fixtures_copy)
    assert Portfolio.objects.count() == 0


def test_the_command_lists_every_problem_and_says_nothing_changed(fixtures_copy: Path) -> None:
    edit(fixtures_copy / BLOCK, "kind: ambition", "kind: dream")
    edit(fixtures_copy / "portfolios.yaml", "remit: [finance-resources]", "remit: [finance]")
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", directory=fixtures_copy, stdout=StringIO())
    message = str(caught.value)
    listed = [line for line in message.splitlines() if line.startswith("  - ")]
    assert f"{len(listed)} problem(s)" in message and "Nothing was changed." in message
    assert "kind 'dream' is not one of" in message and "remit names 'finance'" in message
    assert Ambition.objects.count() == 0


def test_a_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="no such folder"):
        load_all(tmp_path / "nowhere")
