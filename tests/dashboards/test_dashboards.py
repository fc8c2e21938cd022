"""Dashboards, the indicator page and open data: who sees what, filters, exports, query counts."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from ambitions.models import Ambition, PlanBlockKind
from core.roles import Role
from dashboards.selectors import dashboard_build
from measures.models import Indicator, Reading, ReportingPeriod, Score
from measures.performance import Rag, count_directions, count_rag
from measures.services import (
    period_close,
    period_publish,
    reading_approve,
    reading_submit,
)
from measures.summary import summary_sentence
from tests import factories as make

pytestmark = pytest.mark.django_db
# One distinctive value per state: a page may show a value only if its visitor may see it.
# Values far above any row id or count a test database reaches, so finding one on a page
# can only mean that reading was shown.
DRAFT, SUBMITTED, APPROVED, PUBLISHED, HIDDEN = 98717701, 98717702, 98717703, 98717704, 98717705


@pytest.fixture
def world() -> dict[str, Any]:
    """Readings in every state, for one portfolio, over a published and an open quarter."""
    officer, other_officer = make.user(Role.OFFICER), make.user(Role.OFFICER)
    team, team2 = make.user(Role.PERFORMANCE_TEAM), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)

    def indicator(owner: User, **fields: object) -> Indicator:
        return make.indicator(owner=owner, **fields)

    published = indicator(officer, title="Published measure")
    hidden = indicator(officer, title="Internal measure", is_public=False)
    approved = indicator(officer, title="Approved measure")
    submitted = indicator(other_officer, title="Submitted measure")
    draft = indicator(other_officer, title="Draft measure")
    for item, value in ((published, PUBLISHED), (hidden, HIDDEN)):
        reading = reading_submit(
            reading=make.draft(item, q1, str(value), officer), by=officer, expected_version=1
        )
        reading_approve(reading=reading, by=team, expected_version=2)
    period_close(period=q1, by=team)
    period_publish(period=q1, by=team)
    reading = reading_submit(
        reading=make.draft(approved, q2, str(APPROVED), officer), by=officer, expected_version=1
    )
    reading_approve(reading=reading, by=team2, expected_version=2)
    reading_submit(
        reading=make.draft(submitted, q2, str(SUBMITTED), other_officer),
        by=other_officer,
        expected_version=1,
    )
    make.draft(draft, q2, str(DRAFT), other_officer)
    return {
        "officer": officer,
        "other_officer": other_officer,
        "team": team,
        "q1": q1,
        "q2": q2,
        "indicators": [published, hidden, approved, submitted, draft],
    }


def pages(world: dict[str, Any]) -> list[str]:
    indicators = world["indicators"]
    q1, q2 = world["q1"], world["q2"]
    urls = [
        reverse("dashboards:plan"),
        reverse("dashboards:open_data"),
        reverse("dashboards:open_data_csv"),
        reverse("dashboards:open_data_json"),
    ]
    for period in (q1, q2):
        base = reverse("dashboards:portfolio", args=["economy"])
        urls += [
            f"{base}?period={period.code}",
            f"{base}?period={period.code}&export=csv",
            f"{reverse('dashboards:plan')}?period={period.code}&export=csv",
        ]
    urls += [i.get_absolute_url() for i in indicators]
    return urls


def seen(client: Client, url: str) -> str:
    response = client.get(url)
    if response.status_code == 404:
        return ""
    assert response.status_code == 200, url
    # getvalue() reads a streamed file to its end, and the test client then closes it, as a
    # server would, which deletes the file's spool.
    return response.getvalue().decode()


def table_of(page: str) -> str:
    """The indicators table part of a dashboard page (its last part)."""
    return page.split('id="indicators"')[1]


def values_in(text: str) -> set[int]:
    return {
        v
        for v in (DRAFT, SUBMITTED, APPROVED, PUBLISHED, HIDDEN)
        if str(v) in text or f"{v:,}" in text
    }


@pytest.mark.parametrize(
    ("who", "may_see"),
    [
        ("anonymous", {PUBLISHED}),
        ("councillor", {PUBLISHED, HIDDEN, APPROVED}),
        ("scrutiny", {PUBLISHED, HIDDEN, APPROVED}),
        ("officer", {PUBLISHED, HIDDEN, APPROVED}),  # their own: published, hidden, approved
        ("other_officer", {PUBLISHED, SUBMITTED, DRAFT}),  # their own drafts and submissions
        ("team", {PUBLISHED, HIDDEN, APPROVED, SUBMITTED, DRAFT}),
    ],
)
def test_each_role_sees_exactly_what_it_may_on_every_page_and_download(
    client: Client, world: dict[str, Any], who: str, may_see: set[int]
) -> None:
    if who in ("councillor", "scrutiny"):
        client.force_login(
            make.user(Role.COUNCILLOR if who == "councillor" else Role.SCRUTINY_MEMBER)
        )
    elif who != "anonymous":
        client.force_login(world[who])
    shown: set[int] = set()
    for url in pages(world):
        text = seen(client, url)
        found = values_in(text)
        if url.startswith(reverse("dashboards:open_data")):
            assert found <= {PUBLISHED}, f"open data holds only published public readings: {url}"
        shown |= found
    assert shown == may_see


def test_anonymous_visitors_cannot_open_a_non_public_indicator(client: Client, world) -> None:
    hidden = world["indicators"][1]
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_summary_and_counts_come_from_the_status_rules(client: Client, world) -> None:
    client.force_login(world["team"])
    q2 = world["q2"]
    dashboard = dashboard_build(
        scores=Score.objects.filter(audience="workflow"),
        indicators=Indicator.objects.all(),
        period=q2,
    )
    expected = summary_sentence(
        count_rag(r.rag for r in dashboard.rows()),
        count_directions(r.direction for r in dashboard.rows()),
        len(dashboard.missing),
    )
    assert dashboard.summary == expected
    page = seen(client, f"{reverse('dashboards:plan')}?period={q2.code}")
    assert expected in page
    assert expected.startswith("Of 5 indicators, ")


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"q": "draft"}, {"Draft measure"}),
        ({"q": "measure published"}, {"Published measure"}),
        ({"rag": "no_data"}, {"Published measure", "Internal measure"}),
        ({"rag": "no_target"}, {"Approved measure", "Submitted measure", "Draft measure"}),
        (
            {"direction": "not_comparable"},
            {
                "Published measure",
                "Internal measure",
                "Approved measure",
                "Submitted measure",
                "Draft measure",
            },
        ),
    ],
)
def test_the_filters_narrow_the_table_and_its_export(client: Client, world, query, titles) -> None:
    client.force_login(world["team"])
    params = {"period": world["q2"].code, **query}
    page = table_of(
        seen(
            client,
            reverse("dashboards:plan") + "?" + "&".join(f"{k}={v}" for k, v in params.items()),
        )
    )
    all_titles = {i.title for i in world["indicators"]}
    assert {t for t in all_titles if t in page} == titles
    export = client.get(reverse("dashboards:plan"), {**params, "export": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert {t for t in all_titles if t in export} == titles
    assert export.count("\n") == len(titles) + 1


def test_filters_by_block_theme_and_portfolio(client: Client, world) -> None:
    client.force_login(world["team"])
    plan = Ambition.objects.get().plan
    theme_kind = PlanBlockKind.objects.create(
        plan=plan,
        slug="cross_cutting_theme",
        singular="Cross-cutting theme",
        plural="Cross-cutting themes",
        cuts_across=True,
        position=2,
    )
    other_block = Ambition.objects.create(
        plan=plan,
        slug="fair",
        code="FI",
        kind=theme_kind,
        title="Fair",
        position=2,
    )
    themed = world["indicators"][0]
    themed.themes.add(other_block)
    elsewhere = make.indicator(title="Elsewhere measure", lead_portfolio=make.portfolio("finance"))
    base = {"period": world["q2"].code}
    by_theme = table_of(
        seen(
            client, reverse("dashboards:plan") + f"?period={base['period']}&theme={other_block.pk}"
        )
    )
    assert "Published measure" in by_theme and "Draft measure" not in by_theme
    by_portfolio = table_of(
        seen(
            client,
            reverse("dashboards:plan")
            + f"?period={base['period']}&portfolio={elsewhere.lead_portfolio_id}",
        )
    )
    assert "Elsewhere measure" in by_portfolio and "Draft measure" not in by_portfolio
    by_block = table_of(
        seen(
            client, reverse("dashboards:plan") + f"?period={base['period']}&block={other_block.pk}"
        )
    )
    assert "Elsewhere measure" not in by_block and "Draft measure" not in by_block


def test_the_xlsx_export_holds_the_same_rows(client: Client, world) -> None:
    client.force_login(world["team"])
    response = client.get(
        reverse("dashboards:portfolio", args=["economy"]),
        {"period": world["q2"].code, "export": "xlsx"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("indicator_code", "indicator_title", "block")
    assert {row[1] for row in rows[1:]} == {i.title for i in world["indicators"]}
    assert APPROVED in {row[5] for row in rows[1:]}


def test_missing_returns_and_the_deadline_are_shown(client: Client, world) -> None:
    client.force_login(world["team"])
    page = seen(client, f"{reverse('dashboards:plan')}?period={world['q2'].code}")
    assert "Returns for 2025/26 Q2 are due on" in page
    assert "3 still missing" in page  # published and hidden have no Q2 reading; one is a draft


def test_open_data_documents_its_columns_and_holds_them(client: Client, world) -> None:
    page = seen(client, reverse("dashboards:open_data"))
    document = json.loads(seen(client, reverse("dashboards:open_data_json")))
    names = [column["name"] for column in document["columns"]]
    assert all(f"<code>{name}</code>" in page for name in names)
    assert len(document["rows"]) == 1
    row = document["rows"][0]
    assert list(row) == names
    # Numbers are JSON numbers.
    assert (row["value"], row["period"], row["synthetic"]) == (PUBLISHED, "2025-26-Q1", "no")
    csv_text = seen(client, reverse("dashboards:open_data_csv"))
    assert csv_text.lstrip("\ufeff").splitlines()[0] == ",".join(names)


def test_open_data_csv_and_json_hold_the_same_rows_in_plan_order(client: Client) -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    second = make.indicator(owner=officer, position=2, title="Second measure")
    first = make.indicator(owner=officer, position=1, title="First measure")
    make.target(first, q1, "50")
    make.target(first, q2, "50")
    for period, values in ((q1, {first: "60", second: "7"}), (q2, {first: "40", second: "8"})):
        for indicator, value in values.items():
            reading = reading_submit(
                reading=make.draft(indicator, period, value, officer, commentary="=HYPERLINK()"),
                by=officer,
                expected_version=1,
            )
            reading_approve(reading=reading, by=team, expected_version=2)
        period_close(period=period, by=team)
        period_publish(period=period, by=team)

    rows = json.loads(seen(client, reverse("dashboards:open_data_json")))["rows"]
    assert [
        (r["indicator_title"], r["period"], r["value"], r["target"], r["rag"]) for r in rows
    ] == [
        ("First measure", "2025-26-Q1", 60, 50, "green"),
        ("First measure", "2025-26-Q2", 40, 50, "red"),
        ("Second measure", "2025-26-Q1", 7, None, "no_target"),
        ("Second measure", "2025-26-Q2", 8, None, "no_target"),
    ]
    table = list(csv.DictReader(io.StringIO(seen(client, reverse("dashboards:open_data_csv")))))
    assert [(r["\ufeffindicator_code"], r["period"], r["value"]) for r in table] == [
        (r["indicator_code"], r["period"], str(r["value"])) for r in rows
    ]
    assert {r["commentary"] for r in table} == {"'=HYPERLINK()"}  # cannot run as a formula


def test_the_indicator_page_shows_a_chart_with_text_and_table(client: Client, world) -> None:
    published = world["indicators"][0]
    page = seen(client, published.get_absolute_url())
    assert 'data-chart="chart-' in page and 'type="application/json"' in page
    assert "vendor/plotly/plotly.min.js" in page and "cdn" not in page.lower()
    assert "2025/26 Q1" in page and "History of this reading" in page
    assert "by " + world["officer"].username not in page  # no officer names for the public


def _scale(extra: int, officer: User, period: ReportingPeriod) -> None:
    for _ in range(extra):
        make.draft(make.indicator(owner=officer), period, "5", officer)


@pytest.mark.parametrize(
    "url_name", ["dashboards:plan", "dashboards:portfolio", "indicator", "open_data_csv"]
)
def test_query_counts_do_not_grow_with_indicators_or_readings(
    client: Client, world, url_name: str
) -> None:
    client.force_login(world["team"])
    q2 = world["q2"]
    urls = {
        "dashboards:plan": f"{reverse('dashboards:plan')}?period={q2.code}",
        "dashboards:portfolio": reverse("dashboards:portfolio", args=["economy"])
        + f"?period={q2.code}",
        "indicator": world["indicators"][0].get_absolute_url(),
        "open_data_csv": reverse("dashboards:open_data_csv"),
    }
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dashboards.open_data import open_data_withdraw

    open_data_withdraw()  # the open data files are built by the request, both times
    with CaptureQueriesContext(connection) as small:
        assert seen(client, urls[url_name])
    _scale(20, world["officer"], q2)
    q3 = make.quarter(2025, 3)
    for indicator in Indicator.objects.all()[:10]:
        if indicator.owner_id:
            Reading.objects.create(indicator=indicator, period=q3, value=Decimal(1))
    open_data_withdraw()
    with CaptureQueriesContext(connection) as large:
        assert seen(client, urls[url_name])
    assert len(large.captured_queries) == len(small.captured_queries), url_name


def test_the_period_can_be_chosen_and_an_unknown_one_is_not_found(client: Client, world) -> None:
    client.force_login(world["team"])
    assert seen(client, f"{reverse('dashboards:plan')}?period=2025-26-Q1").count(
        "Performance in 2025/26 Q1"
    )
    assert client.get(reverse("dashboards:plan"), {"period": "1999-00-Q1"}).status_code == 404
    assert client.get(reverse("dashboards:plan"), {"export": "pdf"}).status_code == 404


def test_with_no_period_opened_the_dashboard_says_nothing_is_published(client: Client) -> None:
    make.indicator()
    make.quarter(state="not_open")
    page = seen(client, reverse("dashboards:plan"))
    assert "No performance figures have been published yet" in page
    assert "Indicators by status" not in page


def test_a_recorded_comparator_is_drawn_on_the_chart(client: Client, world) -> None:
    from measures.models import Comparator

    published = world["indicators"][0]
    Comparator.objects.create(
        indicator=published, period=world["q1"], label="England average", value=Decimal(6000)
    )
    page = seen(client, published.get_absolute_url())
    assert "England average" in page.split('data-chart="')[1]


def test_the_dashboard_judges_milestones_by_their_updates_never_by_the_plans_word(
    client: Client, plan: Any
) -> None:
    from datetime import date

    from ambitions.models import Milestone, Scheme

    period = make.quarter(2025, 2)  # ends 30 September 2025; the plan's periods exist unopened
    period.state = "open"
    period.save()
    scheme = Scheme.objects.filter(focus_area__ambition__code="A1").first()
    assert scheme is not None
    for position, (title, due, state) in enumerate(
        (
            ("Slipped step", date(2026, 3, 31), "slipped"),
            ("Overdue step", date(2025, 6, 30), "on_track"),
            ("Later step", date(2027, 3, 31), "planned"),
        ),
        start=90,
    ):
        Milestone.objects.create(
            scheme=scheme, title=title, due_date=due, status=state, position=position
        )

    client.force_login(make.user(Role.COUNCILLOR))  # the quarter is open, not yet published
    page = seen(client, reverse("dashboards:plan"))
    section = page.split('id="milestones"')[1].split('id="indicators"')[0]
    block_page = seen(client, scheme.focus_area.ambition.get_absolute_url())

    def row_of(html: str, title: str) -> str:
        return html.split(f"{title}</td>")[1].split("</tr>")[0]

    # Nobody has reported on them: past its date it is overdue, in words; the plan's own
    # "slipped" is not an update, so that step is neither listed nor tagged anywhere.
    assert "No update · Overdue" in row_of(section, "Overdue step")
    assert "Slipped step" not in section and "Later step" not in section
    assert "Slipped step" in block_page and 'govuk-tag--red">Slipped' not in block_page
    # The row's scheme (its first cell, before the title) links to the scheme's page.
    before_title = section.split("Overdue step</td>")[0].rsplit("<tr", 1)[1]
    scheme_page = reverse("dashboards:scheme", args=[plan.slug, scheme.slug])
    assert f'href="{scheme_page}"' in before_title


def test_a_build_that_fails_part_way_closes_its_spool_files(client: Client, monkeypatch) -> None:
    import tempfile

    from dashboards import open_data

    opened: list[Any] = []
    real = tempfile.TemporaryFile

    def spool() -> Any:
        opened.append(real())
        return opened[-1]

    def broken() -> Any:
        yield {"indicator_code": "A1"}
        raise RuntimeError("the database went away")

    monkeypatch.setattr(open_data.tempfile, "TemporaryFile", spool)
    monkeypatch.setattr(open_data, "records", broken)
    for name in ("dashboards:open_data_csv", "dashboards:open_data_json"):
        with pytest.raises(RuntimeError, match="went away"):
            client.get(reverse(name))
    assert opened and all(file.closed for file in opened)
    assert open_data.release_current() is None  # nothing half-built is served


def test_year_to_date_and_annual_indicators_are_judged_against_the_year_s_target() -> None:
    """The dashboard loads only its window's targets: the year's must be among them."""

    officer = make.user(Role.OFFICER)
    q4 = make.quarter(2025, 4)
    year = make.year(2025)
    cumulative = make.indicator(owner=officer, cumulative=True)
    annual = make.indicator(owner=officer, frequency="annual")
    make.target(cumulative, year, "100")
    make.target(annual, year, "10")
    Reading.objects.create(indicator=cumulative, period=q4, value=Decimal(120))
    Reading.objects.create(indicator=annual, period=year, value=Decimal(4))

    dashboard = dashboard_build(
        scores=Score.objects.filter(audience="workflow"),
        indicators=Indicator.objects.all(),
        period=q4,
    )

    rows = {row.indicator: row for row in dashboard.rows()}
    assert (rows[cumulative].target_value, rows[cumulative].rag) == (Decimal(100), Rag.GREEN)
    assert (rows[annual].target_value, rows[annual].rag) == (Decimal(10), Rag.RED)


def test_the_public_is_offered_published_periods_only(client: Client, world) -> None:
    """q1 is published, q2 open: the public is neither offered q2 nor shown it by its code, so
    it is never told an open quarter's figures are all missing; members and the team are."""
    page = seen(client, reverse("dashboards:plan"))
    assert 'value="2025-26-Q1"' in page and 'value="2025-26-Q2"' not in page
    assert client.get(reverse("dashboards:plan"), {"period": "2025-26-Q2"}).status_code == 404
    portfolio = world["indicators"][0].lead_portfolio.slug
    public_portfolio = client.get(
        reverse("dashboards:portfolio", args=[portfolio]), {"period": "2025-26-Q2"}
    )
    assert public_portfolio.status_code == 404
    for role in (Role.COUNCILLOR, Role.OFFICER, Role.PERFORMANCE_TEAM):
        member = Client()
        member.force_login(make.user(role))
        page = seen(member, reverse("dashboards:plan"))
        assert 'value="2025-26-Q1"' in page and 'value="2025-26-Q2"' in page, role
