"""The approval queue: what each row shows to sanity-check a figure, its filters, its notes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from measures.models import Indicator, Reading, ReportingPeriod
from measures.performance import RAG_LABELS, Rag
from measures.selectors import Change, EarlierFigure, change_from_earlier
from measures.services import reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db
QUEUE = reverse("measures:approvals")


def submitted(
    indicator: Indicator, period: ReportingPeriod, value: str, by: User, **extra: Any
) -> Reading:
    reading = make.draft(indicator, period, value, by, **extra)
    return reading_submit(reading=reading, by=by, expected_version=reading.version)


@pytest.fixture
def team(client: Client) -> User:
    person = make.user(Role.PERFORMANCE_TEAM)
    client.force_login(person)
    return person


def row_of(page: str, reading: Reading) -> str:
    start = page.index(f'id="row-{reading.pk}"')
    return page[start : page.index("</tr>", start)]


def test_each_row_shows_target_status_previous_commentary_and_corrective_action(
    client: Client, team: User
) -> None:
    officer = make.user(Role.OFFICER)
    q1, q2 = make.quarter(2025, 1, state="closed"), make.quarter(2025, 2)
    indicator = make.indicator(
        owner=officer, unit="percentage", decimal_places=1, polarity="lower_is_better"
    )
    Reading.objects.create(indicator=indicator, period=q1, value=Decimal("7.9"), status="approved")
    make.target(indicator, q2, "8.5", tolerance="1")
    reading = submitted(
        indicator,
        q2,
        "79.4",
        officer,
        commentary="Claimant rate up",
        corrective_action="Jobs fair in May",
    )
    row = row_of(client.get(QUEUE).content.decode(), reading)
    assert "79.4%" in row
    assert "8.5%" in row  # the target
    assert RAG_LABELS[Rag.RED] in row  # its status, in words (the judgement is measures.rag's)
    assert "7.9%" in row and str(q1) in row  # the figure before, and when
    assert "Claimant rate up" in row and "Jobs fair in May" in row
    assert f"Much higher than {q1} (7.9%)" in row


def test_a_figure_close_to_the_one_before_is_not_flagged(client: Client, team: User) -> None:
    officer = make.user(Role.OFFICER)
    q1, q2 = make.quarter(2025, 1, state="closed"), make.quarter(2025, 2)
    indicator = make.indicator(owner=officer, unit="percentage", decimal_places=1)
    Reading.objects.create(indicator=indicator, period=q1, value=Decimal("7.9"), status="approved")
    reading = submitted(indicator, q2, "15.0", officer)
    row = row_of(client.get(QUEUE).content.decode(), reading)
    assert "Much " not in row and "7.9%" in row
    assert "No target" in row


@pytest.mark.parametrize(
    ("unit", "before", "now", "expected"),
    [
        ("percentage", "7.9", "79.4", Change.HIGHER),
        ("percentage", "50", "40", None),  # exactly 10 points: not far
        ("percentage", "50", "39.9", Change.LOWER),
        ("percentage_points", "1", "12", Change.HIGHER),
        ("count", "100", "150", None),  # exactly half as much again: not far
        ("count", "100", "151", Change.HIGHER),
        ("count", "100", "49", Change.LOWER),
        ("count", "0", "3", Change.HIGHER),
        ("yes_no", "0", "1", None),
    ],
)
def test_far_from_the_figure_before_is_defined_in_one_place(
    unit: str, before: str, now: str, expected: Change | None
) -> None:
    indicator = make.indicator(unit=unit)
    period = make.quarter()
    reading = Reading(indicator=indicator, period=period, value=Decimal(now))
    assert change_from_earlier(reading, EarlierFigure(period, Decimal(before))) == expected


def test_a_cumulative_figure_is_not_compared_with_the_quarter_before() -> None:
    indicator = make.indicator(cumulative=True)
    period = make.quarter()
    reading = Reading(indicator=indicator, period=period, value=Decimal(500))
    assert change_from_earlier(reading, EarlierFigure(period, Decimal(100))) is None
    assert change_from_earlier(reading, None) is None


def test_the_queue_filters_by_portfolio_and_by_who_submitted(client: Client, team: User) -> None:
    period = make.quarter()
    olivia = make.user(Role.OFFICER, username="olivia")
    olivia.first_name, olivia.last_name = "Olivia", "Owens"
    olivia.save()
    peter = make.user(Role.OFFICER, username="peter")
    housing = make.portfolio("housing")
    theirs = submitted(make.indicator(owner=olivia, title="Olivia economy"), period, "1", olivia)
    hers_housing = submitted(
        make.indicator(owner=olivia, title="Olivia housing", lead_portfolio=housing),
        period,
        "2",
        olivia,
    )
    his = submitted(make.indicator(owner=peter, title="Peter economy"), period, "3", peter)

    page = client.get(QUEUE).content.decode()
    assert "Olivia Owens" in page  # people are chosen by name
    by_portfolio = client.get(QUEUE, {"portfolio": housing.pk}).content.decode()
    assert "Olivia housing" in by_portfolio
    assert "Olivia economy" not in by_portfolio and "Peter economy" not in by_portfolio
    by_officer = client.get(QUEUE, {"officer": peter.pk}).content.decode()
    assert "Peter economy" in by_officer and "Olivia" not in by_officer.split("<table")[1]
    both = client.get(QUEUE, {"officer": olivia.pk, "portfolio": make.portfolio().pk})
    assert "1 submitted reading" in both.content.decode()

    # Approving from a filtered page keeps the filter, and decides only what it shows.
    response = client.post(
        f"{QUEUE}?officer={peter.pk}",
        {"reading": [his.pk, theirs.pk], "action": "approve", "note": ""},
    )
    assert response.status_code == 200
    assert "no longer waiting for approval" in response.content.decode()
    assert set(Reading.objects.values_list("status", flat=True)) == {"submitted"}
    response = client.post(
        f"{QUEUE}?officer={peter.pk}", {"reading": [his.pk], "action": "approve", "note": ""}
    )
    assert response["Location"] == f"{QUEUE}?officer={peter.pk}"
    assert dict(Reading.objects.values_list("pk", "status")) == {
        theirs.pk: "submitted",
        hers_housing.pk: "submitted",
        his.pk: "approved",
    }


def test_each_returned_reading_gets_its_own_note_or_else_the_shared_one(
    client: Client, team: User
) -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    first, second, third = (
        submitted(make.indicator(owner=officer), period, str(n), officer) for n in (1, 2, 3)
    )
    response = client.post(
        QUEUE,
        {
            "reading": [first.pk, second.pk, third.pk],
            "action": "return",
            f"note-{first.pk}": "Q2 figure entered as Q1's",
            f"note-{second.pk}": "",
            "note": "Please add commentary",
        },
    )
    assert response.status_code == 302
    notes = dict(Reading.objects.values_list("pk", "return_note"))
    assert notes == {
        first.pk: "Q2 figure entered as Q1's",
        second.pk: "Please add commentary",
        third.pk: "Please add commentary",
    }
    assert set(Reading.objects.values_list("status", flat=True)) == {"returned"}


def test_a_return_without_a_note_is_refused_at_its_row_keeping_every_tick_and_note(
    client: Client, team: User
) -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    noted, bare, unticked = (
        submitted(make.indicator(owner=officer), period, str(n), officer) for n in (1, 2, 3)
    )
    response = client.post(
        QUEUE,
        {
            "reading": [noted.pk, bare.pk],
            "action": "return",
            f"note-{noted.pk}": "Wrong quarter",
            "note": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem: nothing was changed" in page
    assert f'href="#note-{bare.pk}"' in page
    assert "Say what the officer needs to change" in row_of(page, bare)
    assert set(Reading.objects.values_list("status", flat=True)) == {"submitted"}
    assert f'value="{noted.pk}" checked' in page and f'value="{bare.pk}" checked' in page
    assert f'value="{unticked.pk}" checked' not in page
    assert ">Wrong quarter</textarea>" in row_of(page, noted)


def test_the_select_all_control_is_a_progressive_enhancement_allowed_by_the_csp(
    client: Client, team: User
) -> None:
    officer = make.user(Role.OFFICER)
    submitted(make.indicator(owner=officer), make.quarter(), "1", officer)
    response = client.get(QUEUE)
    page = response.content.decode()
    assert '<div class="govuk-checkboxes govuk-checkboxes--small" data-select-all hidden>' in page
    assert 'src="/static/js/select_all.js"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = Path(settings.BASE_DIR, "static", "js", "select_all.js").read_text()
    assert "data-select-all" in script


def test_the_queue_costs_the_same_queries_however_many_readings_wait(
    client: Client, team: User, django_assert_max_num_queries: Any
) -> None:
    officer = make.user(Role.OFFICER)
    q1, q2 = make.quarter(2025, 1, state="closed"), make.quarter(2025, 2)

    def add(count: int) -> None:
        for n in range(count):
            indicator = make.indicator(owner=officer)
            make.target(indicator, q2, "10")
            Reading.objects.create(indicator=indicator, period=q1, value=Decimal(n))
            submitted(indicator, q2, str(n + 1), officer, commentary="c", corrective_action="a")

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few)):
        page = client.get(QUEUE).content.decode()
    assert "12 submitted readings" in page
    # The session and user (3), the queue with its targets and trajectories (3), the milestone
    # updates waiting (1), the figures before (2), the plan for the page's frame (1), the
    # three filters' choices (6), the session's save (3).
    with django_assert_max_num_queries(19):
        client.get(QUEUE)
