"""The completion page's figures: per lead portfolio, returns due, entered, submitted and
approved, and who still owes one, counted in the database in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from measures import selectors
from measures.services import reading_approve, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db


def _spread(period, officer, team, how_many: int) -> None:
    """In each of two portfolios: one missing, one draft, one submitted, one approved (and
    `how_many` more missing), plus an annual indicator that is not due in a quarter."""
    for slug in ("economy", "parks"):
        portfolio = make.portfolio(slug)
        missing = [make.indicator(owner=officer, lead_portfolio=portfolio) for _ in range(how_many)]
        assert missing
        make.draft(make.indicator(owner=officer, lead_portfolio=portfolio), period, "1", officer)
        submitted = make.draft(
            make.indicator(owner=officer, lead_portfolio=portfolio), period, "2", officer
        )
        reading_submit(reading=submitted, by=officer, expected_version=1)
        approved = make.draft(
            make.indicator(owner=officer, lead_portfolio=portfolio), period, "3", officer
        )
        reading_submit(reading=approved, by=officer, expected_version=1)
        reading_approve(reading=approved, by=team, expected_version=2)
        make.indicator(owner=officer, lead_portfolio=portfolio, frequency="annual")


def test_each_portfolio_counts_its_own_returns_and_names_the_missing_ones() -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER, "olivia"), make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=2)
    no_lead = make.indicator(owner=None, lead_portfolio=None)
    rows = {
        (row.portfolio.slug if row.portfolio else None): row
        for row in selectors.completion(period=period)
    }
    assert set(rows) == {"economy", "parks", None}
    for slug in ("economy", "parks"):
        row = rows[slug]
        assert (row.due, row.entered, row.submitted, row.approved) == (5, 3, 2, 1)
        assert len(row.missing) == 2
        assert all(i.lead_portfolio == row.portfolio and i.owner == officer for i in row.missing)
    assert [i.code for i in rows[None].missing] == [no_lead.code]
    assert (rows[None].due, rows[None].entered) == (1, 0)


def test_the_count_of_queries_does_not_grow_with_the_indicators() -> None:
    period = make.quarter()
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    _spread(period, officer, team, how_many=1)
    with CaptureQueriesContext(connection) as few:
        selectors.completion(period=period)
    _spread(period, officer, team, how_many=6)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.completion(period=period)
    assert sum(row.due for row in rows) == 2 * ((1 + 3) + (6 + 3))
    # The plans (which indicators the period's plan is judged by), the counts, the missing.
    assert len(many.captured_queries) == len(few.captured_queries) <= 4
