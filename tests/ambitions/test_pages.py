"""The public plan pages: status, content in the plan's order, and accessible structure."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from ambitions.models import Ambition, FocusArea, Milestone, Plan, Scheme

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """What a screen reader relies on: lang, landmarks, headings, skip link, external URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.headings: list[int] = []
        self.landmarks: list[str] = []
        self.skip_link = False
        self.urls: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in {"header", "main", "footer", "nav"}:
            self.landmarks.append(tag)
        if (
            tag == "a"
            and a.get("href") == "#main-content"
            and "govuk-skip-link" in (a.get("class") or "")
        ):
            self.skip_link = True
        for name in ("href", "src"):
            if a.get(name):
                self.urls.append(a[name] or "")
        if a.get("id"):
            self.ids.append(a["id"] or "")


@pytest.fixture
def plan(shared_plan: Plan) -> Plan:
    """The plan, loaded once for this module: its tests only read it."""
    return shared_plan


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def assert_accessible_structure(html: str) -> None:
    page = outline(html)
    assert page.lang == "en-GB"
    assert page.skip_link
    assert {"header", "main", "footer", "nav"} <= set(page.landmarks)
    assert page.landmarks.count("main") == 1
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{before} is followed by h{after}"
    assert len(page.ids) == len(set(page.ids)), "an id is used twice"
    external = [u for u in page.urls if re.match(r"(https?:)?//", u)]
    assert external == [], "pages load nothing from another site"


def text_of(html: str) -> str:
    """The page's text as a reader sees it: no tags, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_the_home_page_shows_the_whole_plan_on_a_page(client: Client, plan: Plan) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_accessible_structure(html)
    text = text_of(html)
    assert "Ambitious Stockport, a place everyone is proud to call home" in text
    assert "To create opportunities for Stockport" in text
    assert "Thinking Stockport" in text and "Showing everyone Respect" in text
    assert "11 blocks" in text
    assert "4 focus areas · 9 impact measures" in text  # Ambition 2
    # Every focus area and impact measure appears, in the plan's order, under its block.
    position = 0
    for block in plan.ambitions.order_by("position"):
        position = html.index(f'href="{block.get_absolute_url()}"', position)
        codes = [a.code for a in block.focus_areas.order_by("position")]
        codes += [m.code for m in block.impact_measures.order_by("position")]
        for code in codes:
            anchor = code.lower().replace(".", "-")
            position = html.index(f'{block.get_absolute_url()}#{anchor}"', position)


def test_each_block_page_shows_its_full_text_schemes_and_milestones(
    client: Client, plan: Plan
) -> None:
    for block in plan.ambitions.all():
        response = client.get(block.get_absolute_url())
        assert response.status_code == 200, block.slug
        html = response.content.decode()
        assert_accessible_structure(html)
        text = text_of(html)
        assert block.label in text
        order = [text.index(area.title) for area in block.focus_areas.order_by("position")]
        assert order == sorted(order)
        for measure in block.impact_measures.all():
            assert f'id="{measure.code.lower().replace(".", "-")}"' in html


def test_the_ambition_1_page_carries_its_schemes_numbers_and_dates(
    client: Client, plan: Plan
) -> None:
    block = Ambition.objects.get(code="A1")
    text = text_of(client.get(block.get_absolute_url()).content.decode())
    assert "Weir Mill" in text and "253 apartments" in text
    assert "1,500 homes by 2027" in text and "500 affordable homes by 2027" in text
    assert "Cheadle Eco Business Park" in text and "115,000 square feet" in text
    assert "Milestones of Cheadle Eco Business Park" in text and "31 March 2027" in text
    assert "Economy, Regeneration & Housing" in text  # delivered by
    assert "An enterprising and thriving Stockport" in text  # supports


def test_every_scheme_on_a_block_page_links_to_its_own_page(client: Client, plan: Plan) -> None:
    schemes = Scheme.objects.filter(focus_area__ambition__plan=plan).select_related(
        "focus_area__ambition"
    )
    assert len({scheme.slug for scheme in schemes}) == len(schemes)  # unique in the plan
    for block in plan.ambitions.all():
        html = client.get(block.get_absolute_url()).content.decode()
        for scheme in schemes:
            if scheme.focus_area.ambition_id != block.pk:
                continue
            address = reverse("dashboards:scheme", args=[plan.slug, scheme.slug])
            assert f'href="{address}"' in html, scheme.slug
            response = client.get(address)
            assert response.status_code == 200, scheme.slug
            scheme_page = response.content.decode()
            assert_accessible_structure(scheme_page)
            assert scheme.name in text_of(scheme_page)
    # The plan's status words are not shown as if they were the milestones' progress.
    text = text_of(client.get(Ambition.objects.get(code="A1").get_absolute_url()).content.decode())
    assert "Weir Mill" in text and "Complete" not in text


def test_the_text_of_the_plan_is_escaped_not_run(client: Client, plan: Plan) -> None:
    area = Ambition.objects.get(code="A1").focus_areas.first()
    assert area is not None
    area.description = "<script>alert(1)</script>\n- a <b>bullet</b>"
    area.save()
    html = client.get(area.ambition.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>a &lt;b&gt;bullet&lt;/b&gt;</li>" in html


def test_the_portfolio_pages_show_what_each_portfolio_delivers(client: Client, plan: Plan) -> None:
    response = client.get(reverse("portfolios:list"))
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    text = text_of(response.content.decode())
    assert "Health and Adult Social Care" in text and "To be confirmed" in text

    response = client.get(reverse("portfolios:detail", args=["communities-culture-sport"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_accessible_structure(html)
    text = text_of(html)
    delivered = [
        "Efficient and Effective Services",
        "Jobs and investment",
        "Wellbeing, prevention, and neighbourhoods",
        "Cross-cutting themes",
    ]
    assert all(priority in text for priority in delivered)
    assert "Education and skills" not in text
    assert 'Named in the plan\'s table as "Communities and Transport"' in text
    assert "Ambition 1: Investment, regeneration and creating jobs" in text
    assert "Climate Action Now" in text


@pytest.mark.parametrize(
    "url",
    ["/plan/no-such-plan/", "/plan/council-plan-2024-27/no-such-block/", "/portfolios/nobody/"],
)
def test_an_unknown_address_is_not_found(client: Client, plan: Plan, url: str) -> None:
    assert client.get(url).status_code == 404


def test_the_plan_pages_cost_a_fixed_number_of_queries_whatever_the_plans_size(
    client: Client, plan: Plan, django_assert_num_queries: object
) -> None:
    block = Ambition.objects.get(code="A1")
    # One query of each is the data version the page cache is keyed on (core/pagecache.py);
    # pages not about a plan read the plans once, for the council that heads them.
    pages = {
        "/": 6,
        block.get_absolute_url(): 15,  # 3 of them the indicators evidencing its measures
        reverse("portfolios:list"): 8,
        reverse("portfolios:detail", args=["finance-resources"]): 8,
    }
    for url, queries in pages.items():
        with django_assert_num_queries(queries):  # type: ignore[operator]
            assert client.get(url).status_code == 200
    # Twice as many focus areas, schemes and milestones: the same number of queries.
    for area in list(block.focus_areas.all()):
        copy = FocusArea.objects.create(
            ambition=block, code=f"{area.code}X", title=area.title, position=area.position + 50
        )
        for scheme in area.schemes.all():
            twin = Scheme.objects.create(
                focus_area=copy, slug=scheme.slug, name=scheme.name, position=scheme.position
            )
            Milestone.objects.create(scheme=twin, title="Extra", position=1)
    for url, queries in pages.items():
        with django_assert_num_queries(queries):  # type: ignore[operator]
            assert client.get(url).status_code == 200
