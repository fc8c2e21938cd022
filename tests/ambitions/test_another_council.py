"""Any council's plan in its own words: an invented council's plan with another structure
(tests/fixtures/another-council: strategic priorities only, "key actions", "target measures")
reads right on every page, dashboard, download and report, alone and beside Stockport's, and
Stockport's own pages do not change."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ambitions.models import Ambition, Plan
from core.roles import Role
from dashboards import open_data
from measures.loaders import load_all
from measures.models import Indicator, ReportingPeriod
from measures.services import (
    period_close,
    period_open,
    period_publish,
    reading_approve,
    reading_submit,
)
from portfolios.models import ScrutinyCommittee
from reports.builder import report_data_build
from tests import factories as make

ANOTHER = Path(__file__).parent.parent / "fixtures" / "another-council"
SLUG = "northdale-plan-2025-29"
# Words of the Stockport plan's vocabulary that another council's pages must not borrow.
BORROWED = ("Stockport", "Ambition", "Enabler", "Cross-cutting theme", "key areas of focus")


@pytest.fixture
def northdale(db: None) -> Plan:
    """Northdale's plan loaded on its own, as another council's copy of the product would."""
    load_all(ANOTHER)
    return Plan.objects.get(slug=SLUG)


@pytest.fixture
def published(northdale: Plan) -> dict[str, Any]:
    """A published quarter of Northdale readings."""
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    Indicator.objects.update(owner=officer)
    period = period_open(period=ReportingPeriod.objects.get(code="2025-26-Q1"), by=team)
    for indicator, value in zip(
        Indicator.objects.order_by("code"), ("42", "11.5", "48.2"), strict=True
    ):
        reading = make.draft(indicator, period, value, officer)
        reading = reading_submit(reading=reading, by=officer, expected_version=reading.version)
        reading_approve(reading=reading, by=team, expected_version=reading.version)
    period_close(period=period, by=team)
    period_publish(period=period, by=team)
    return {"period": period, "team": team}


def words(html: str) -> str:
    """The page's text, without markup, scripts or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_its_pages_speak_its_words(northdale: Plan, client: Client) -> None:
    block = Ambition.objects.get(plan=northdale, code="P1")
    assert block.label == "Strategic priority 1: Provide affordable and high-quality housing"
    home = words(client.get("/").content.decode())
    assert "Northdale District Council" in home
    assert "3 blocks: 3 strategic priorities." in home
    assert "Strategic priorities" in home and "Key actions" in home
    assert "1 key action · 1 target measure · 1 named scheme" in home
    assert "The plan's text is transcribed from Northdale Council Plan 2025 to 2029." in home
    page = words(client.get(block.get_absolute_url()).content.decode())
    assert "Strategic priority 1: Provide affordable and high-quality housing" in page
    assert "Strategic priority · Northdale Council Plan 2025 to 2029" in page
    assert "Key actions" in page and "Target measures" in page
    for text in (home, page):
        for word in BORROWED:
            assert word not in text, word


def test_its_header_carries_its_colour(northdale: Plan, client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'style="border-bottom-color: #00703c"' in html


def test_its_dashboards_downloads_and_open_data_use_its_words(
    published: dict[str, Any], client: Client
) -> None:
    period = published["period"]
    url = reverse("dashboards:plan") + f"?period={period.code}"
    page = client.get(url).content.decode()
    text = words(page)
    assert "Strategic priority 2: Grow a thriving local economy" in text
    assert '<label class="govuk-label" for="id_block">Strategic priority</label>' in page
    assert '<option value="">All strategic priorities</option>' in page
    assert 'name="theme"' not in page  # the plan has no kind of block that cuts across
    for word in BORROWED:
        assert word not in text, word
    export = client.get(url + "&export=csv").content.decode()
    assert "Strategic priority 3: Respond to the climate emergency" in export
    rows = list(open_data.records())
    assert {row["plan"] for row in rows} == {SLUG}
    assert {row["block"] for row in rows} == {
        "Strategic priority 1: Provide affordable and high-quality housing",
        "Strategic priority 2: Grow a thriving local economy",
        "Strategic priority 3: Respond to the climate emergency",
    }


def test_its_committee_report_is_its_own(published: dict[str, Any]) -> None:
    committee = ScrutinyCommittee.objects.get(slug="northdale-place-scrutiny")
    data = report_data_build(
        committee=committee, period=published["period"], generated_at=timezone.now()
    )
    assert (data.council, data.plan_title) == (
        "Northdale District Council",
        "Northdale Council Plan 2025 to 2029",
    )
    assert [p.name for p in data.portfolios] == [
        "Housing and Place",
        "Economy and Growth",
        "Environment",
    ]
    assert {i.code for p in data.portfolios for i in p.indicators} == {
        "P1.M1.1",
        "P2.M1.1",
        "P3.M1.1",
    }


def main_of(html: str) -> str:
    """The page's main content without the list of plans (which appears once there are two)."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r'<nav class="app-plan-switcher[^"]*".*?</nav>', "", main, flags=re.S)
    return re.sub(r"\s+", " ", main)


def test_beside_stockport_each_plan_reads_in_its_own_words_and_stockport_s_do_not_change(
    plan: Plan, client: Client
) -> None:
    stockport_pages = [
        reverse("ambitions:plan", args=[plan.slug]),
        *(block.get_absolute_url() for block in plan.ambitions.all()),
    ]
    before = {url: client.get(url).content.decode() for url in stockport_pages}
    load_all(ANOTHER)
    for url in stockport_pages:
        after = client.get(url).content.decode()
        assert main_of(after) == main_of(before[url]), url
        assert 'app-header-title">Stockport Council<' in after
    northdale = Plan.objects.get(slug=SLUG)
    other = client.get(reverse("ambitions:plan", args=[northdale.slug])).content.decode()
    assert 'app-header-title">Northdale District Council<' in other
    assert (
        "Strategic priorities" in other and "Stockport Council Plan 2024\u201327" in other
    )  # listed
    block = client.get(Ambition.objects.get(plan=northdale, code="P2").get_absolute_url())
    assert "Strategic priority 2: Grow a thriving local economy" in block.content.decode()


def copy_of(tmp_path: Path) -> Path:
    folder = tmp_path / "another"
    shutil.copytree(ANOTHER, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "vocabulary:\n",
            "words:\n",
            "'vocabulary' is required: a mapping with the plan's block_kinds",
        ),
        (
            'brand_colour: "#00703C"',
            "brand_colour: green",
            "'brand_colour' must be written #rrggbb",
        ),
        (
            'brand_colour: "#00703C"',
            "logo: https://example.com/logo.png",
            "'logo' must be the path of a file under static/",
        ),
        (
            "      numbered: true\n",
            "      numbered: sometimes\n",
            "'numbered' must be true or false",
        ),
        (
            "    singular: key action\n",
            "    singular: key action\n    tone: formal\n",
            "unknown key 'tone'",
        ),
    ],
)
def test_a_mistake_in_the_vocabulary_is_named_and_nothing_is_loaded(
    db: None, tmp_path: Path, old: str, new: str, problem: str
) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "plan" / SLUG / "plan.yaml", old, new)
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", directory=folder, stdout=StringIO())
    assert problem in str(caught.value)
    assert "plan.yaml" in str(caught.value) and "Nothing was changed." in str(caught.value)
    assert not Plan.objects.exists()


def test_a_block_of_a_kind_the_plan_does_not_declare_is_refused(db: None, tmp_path: Path) -> None:
    folder = copy_of(tmp_path)
    edit(folder / "plan" / SLUG / "02-economy.yaml", "kind: strategic_priority", "kind: ambition")
    with pytest.raises(CommandError) as caught:
        call_command("load_plan", directory=folder, stdout=StringIO())
    assert (
        "02-economy.yaml: kind 'ambition' is not one of the kinds plan.yaml declares in "
        "vocabulary.block_kinds (strategic_priority)"
    ) in str(caught.value)
    assert not Ambition.objects.exists()


def test_a_logo_under_static_is_shown_in_the_header(
    db: None, tmp_path: Path, client: Client, settings: Any
) -> None:
    static = tmp_path / "static"
    (static / "brand").mkdir(parents=True)
    (static / "brand" / "northdale.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static]
    folder = copy_of(tmp_path)
    plan_file = folder / "plan" / SLUG / "plan.yaml"
    edit(plan_file, 'brand_colour: "#00703C"', "logo: brand/missing.svg")
    with pytest.raises(CommandError, match="'logo' must be the path of a file under static/"):
        call_command("load_plan", directory=folder, stdout=StringIO())
    edit(plan_file, "logo: brand/missing.svg", "logo: brand/northdale.svg")
    call_command("load_plan", directory=folder, stdout=StringIO())
    html = client.get("/").content.decode()
    assert '<img class="app-header-logo" src="/static/brand/northdale.svg" alt=""' in html
