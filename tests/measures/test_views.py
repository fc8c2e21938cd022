"""The officer and performance-team pages, as each role uses them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.roles import Role
from measures.models import Reading
from measures.services import reading_return, reading_submit
from tests import factories as make

pytestmark = pytest.mark.django_db
RETURNS = reverse("measures:returns")


def signed_in(client: Client, role: Role) -> tuple[Client, User]:
    person = make.user(role)
    client.force_login(person)
    return client, person


def row_data(code: str, value: str, version: int = 0, **extra: str) -> dict[str, str]:
    data = {
        f"{code}-value": value,
        f"{code}-numerator": "",
        f"{code}-denominator": "",
        f"{code}-data_quality": "provisional",
        f"{code}-commentary": "",
        f"{code}-corrective_action": "",
        f"{code}-version": str(version),
    }
    data.update({f"{code}-{k}": v for k, v in extra.items()})
    return data


@pytest.mark.parametrize(
    "url",
    [
        RETURNS,
        reverse("measures:approvals"),
        reverse("measures:periods"),
        reverse("measures:completion"),
        reverse("measures:upload"),
    ],
)
def test_anonymous_visitors_are_asked_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "url",
    [reverse("measures:approvals"), reverse("measures:periods"), reverse("measures:completion")],
)
def test_officers_cannot_open_the_performance_teams_pages(client: Client, url: str) -> None:
    signed_in(client, Role.OFFICER)
    assert client.get(url).status_code == 403


def test_a_councillor_cannot_open_my_returns(client: Client) -> None:
    signed_in(client, Role.COUNCILLOR)
    assert client.get(RETURNS).status_code == 403


def test_my_returns_lists_only_the_officers_own_indicators(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    period = make.quarter()
    mine = make.indicator(owner=officer, title="Homes delivered")
    delegated = make.indicator(owner=make.user(Role.OFFICER), title="Delegated measure")
    delegated.delegates.add(officer)
    make.indicator(owner=make.user(Role.OFFICER), title="Someone else's measure")
    make.indicator(owner=officer, title="An annual measure", frequency="annual")
    page = client.get(RETURNS).content.decode()
    assert f"My returns for {period}" in page
    assert mine.title in page and "Delegated measure" in page
    assert "Someone else" not in page and "An annual measure" not in page


def test_an_error_is_shown_next_to_its_field_and_nothing_is_saved(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    make.quarter()
    good, bad = (
        make.indicator(owner=officer),
        make.indicator(owner=officer, unit="percentage", decimal_places=1),
    )
    data = {**row_data(good.code, "12"), **row_data(bad.code, "120"), "action": "save"}
    response = client.post(RETURNS, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{bad.code}-value"' in page
    assert "Enter a percentage between 0 and 100" in page
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in page
    assert not Reading.objects.exists()  # the good row was not saved either
    # Corrected, both ticked, checked and submitted: both rows saved and submitted.
    data[f"{bad.code}-value"] = "45.5"
    data["action"] = "submit"
    response = client.post(RETURNS, {**data, "chosen": [good.code, bad.code]})
    assert response.status_code == 302
    versions = {f"version-{r.pk}": r.version for r in Reading.objects.all()}
    assert client.post(response["Location"], versions).status_code == 302
    assert sorted(Reading.objects.values_list("value", "status")) == [
        (Decimal("12"), "submitted"),
        (Decimal("45.5"), "submitted"),
    ]


def test_a_number_typed_with_commas_or_a_percent_sign_is_understood(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    make.quarter()
    indicator = make.indicator(owner=officer)
    client.post(RETURNS, {**row_data(indicator.code, "1,500"), "action": "save"})
    assert Reading.objects.get().value == Decimal(1500)


def test_text_where_a_number_belongs_gets_a_specific_message(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    make.quarter()
    indicator = make.indicator(owner=officer)
    page = client.post(
        RETURNS, {**row_data(indicator.code, "about 12"), "action": "save"}
    ).content.decode()
    assert "The value must be a number, like 12 or 12.5" in page
    assert not Reading.objects.exists()


def test_a_stale_form_gets_a_conflict_message_and_the_newer_value_survives(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=officer)
    make.draft(indicator, period, "10", officer)
    client.post(RETURNS, {**row_data(indicator.code, "11", version=1), "action": "save"})
    page = client.post(
        RETURNS, {**row_data(indicator.code, "99", version=1), "action": "save"}
    ).content.decode()
    assert "changed by someone else" in page
    assert Reading.objects.get().value == Decimal(11)


def test_the_performance_team_approves_and_returns_in_bulk(client: Client) -> None:
    officer = make.user(Role.OFFICER)
    period = make.quarter()
    readings = [
        reading_submit(
            reading=make.draft(make.indicator(owner=officer), period, str(n), officer),
            by=officer,
            expected_version=1,
        )
        for n in (1, 2, 3)
    ]
    client, _ = signed_in(client, Role.PERFORMANCE_TEAM)
    page = client.get(reverse("measures:approvals")).content.decode()
    assert "3 submitted readings" in page
    response = client.post(
        reverse("measures:approvals"),
        {
            "reading": [readings[0].pk, readings[1].pk],
            "action": "approve",
            "note": "",
            f"version-{readings[0].pk}": "2",
            f"version-{readings[1].pk}": "2",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("measures:approvals"), {"reading": [readings[2].pk], "action": "return", "note": ""}
    )
    assert "Say what the officer needs to change" in response.content.decode()
    client.post(
        reverse("measures:approvals"),
        {"reading": [readings[2].pk], "action": "return", "note": "Wrong quarter"},
    )
    assert sorted(Reading.objects.values_list("status", flat=True)) == [
        "approved",
        "approved",
        "returned",
    ]


def test_periods_are_opened_closed_and_published_from_their_page(client: Client) -> None:
    period = make.quarter(state="not_open")
    client, _ = signed_in(client, Role.PERFORMANCE_TEAM)
    url = reverse("measures:periods")
    assert client.post(url, {"period": period.code, "action": "open"}).status_code == 302
    for move, state in [("open", "open"), ("close", "closed"), ("publish", "published")]:
        if move != "open":  # closing and publishing are confirmed on a page of their own
            confirm = reverse("measures:period_move", args=[period.code, move])
            assert client.post(confirm).status_code == 302
        period.refresh_from_db()
        assert period.state == state
    response = client.post(url, {"period": period.code, "action": "open"}, follow=True)
    assert "cannot be open" in response.content.decode()


def test_completion_shows_who_has_not_reported(client: Client) -> None:
    period = make.quarter()
    officer = make.user(Role.OFFICER, username="olivia")
    reported, missing = make.indicator(owner=officer), make.indicator(owner=officer)
    make.draft(reported, period, "3", officer)
    client, _ = signed_in(client, Role.PERFORMANCE_TEAM)
    page = client.get(reverse("measures:completion"), {"period": period.code}).content.decode()
    assert f'<td class="govuk-table__cell">{missing.code}</td>' in page and "olivia" in page
    assert f'<td class="govuk-table__cell">{reported.code}</td>' not in page


def test_the_indicator_page_shows_anonymous_visitors_published_readings_only(
    client: Client,
) -> None:
    officer, team = make.user(Role.OFFICER), make.user(Role.PERFORMANCE_TEAM)
    published_period, open_period = make.quarter(2025, 1), make.quarter(2025, 2)
    indicator = make.indicator(owner=officer)
    reading = reading_submit(
        reading=make.draft(indicator, published_period, "41", officer),
        by=officer,
        expected_version=1,
    )
    from measures.services import period_close, period_publish, reading_approve

    reading_approve(reading=reading, by=team, expected_version=2)
    period_close(period=published_period, by=team)
    period_publish(period=published_period, by=team)
    # The draft's value and commentary are strings no id, date or asset on the page can
    # contain by chance, so their absence proves the draft was withheld.
    make.draft(indicator, open_period, "987654", officer, commentary="Unpublished-draft-note")
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert ">41<" in page
    assert "987654" not in page and "987,654" not in page
    assert "Unpublished-draft-note" not in page


def test_my_returns_compares_with_the_right_earlier_value_and_target() -> None:
    """A quarterly figure with the quarter before; a year-to-date one with the same quarter a
    year before and, at Q4, with the year's target; never with a later period's."""

    from measures.selectors import returns_for

    officer = make.user(Role.OFFICER)
    plain = make.indicator(owner=officer)
    cumulative = make.indicator(owner=officer, cumulative=True)
    last_year_q4 = make.quarter(2024, 4, state="published")
    q3, q4 = make.quarter(2025, 3, state="published"), make.quarter(2025, 4)
    year = make.year(2025)
    for indicator in (plain, cumulative):
        for period, value in ((last_year_q4, "40"), (q3, "30")):
            Reading.objects.create(indicator=indicator, period=period, value=Decimal(value))
        Reading.objects.create(indicator=indicator, period=year, value=Decimal("99"))
    Reading.objects.create(indicator=plain, period=q4, value=Decimal("50"))
    make.target(cumulative, year, "120")
    make.target(plain, q3, "35")

    def shown(row: Any) -> tuple[object, ...]:
        """(value, previous value, previous period, target) of a row, None where absent."""
        previous, reading, target = row.previous, row.reading, row.target
        return (
            reading and reading.value,
            previous and previous.value,
            previous and previous.period,
            target and target.value,
        )

    rows = {row.indicator: row for row in returns_for(user=officer, period=q4)}
    assert shown(rows[plain]) == (Decimal(50), Decimal(30), q3, None)
    assert shown(rows[cumulative]) == (None, Decimal(40), last_year_q4, Decimal(120))
    earlier = {row.indicator: row for row in returns_for(user=officer, period=q3)}
    assert shown(earlier[plain])[2] == last_year_q4  # not the later Q4
    assert earlier[cumulative].previous is None  # no Q3 a year before


def test_my_returns_says_how_far_it_has_got_and_flags_what_was_returned(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    team = make.user(Role.PERFORMANCE_TEAM)
    period = make.quarter()
    handed, returned, drafted, _ = (
        make.indicator(owner=officer, title=f"Measure {n}") for n in range(4)
    )
    reading_submit(reading=make.draft(handed, period, "3", officer), by=officer, expected_version=1)
    sent_back = reading_submit(
        reading=make.draft(returned, period, "70", officer), by=officer, expected_version=1
    )
    reading_return(
        reading=sent_back, by=team, note="70 is far above last quarter's 7", expected_version=2
    )
    make.draft(drafted, period, "5", officer)
    page = client.get(RETURNS).content.decode()
    assert "3 of 4 entered, 1 submitted" in page
    assert "1 reading returned to you" in page
    banner = page[page.index("govuk-notification-banner") : page.index("returns-progress")]
    assert f'href="#row-{returned.code}"' in banner
    assert "70 is far above last quarter&#x27;s 7" in banner
    assert handed.code not in banner and drafted.code not in banner


def test_no_banner_when_nothing_was_returned(client: Client) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    make.quarter()
    make.indicator(owner=officer)
    page = client.get(RETURNS).content.decode()
    assert "returned to you" not in page and "0 of 1 entered, 0 submitted" in page


def test_a_synthetic_reading_changed_by_a_person_stops_being_labelled_synthetic(
    client: Client,
) -> None:
    client, officer = signed_in(client, Role.OFFICER)
    period = make.quarter()
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, period, "5", officer)
    Reading.objects.filter(pk=reading.pk).update(is_synthetic=True)
    unchanged = client.post(RETURNS, {**row_data(indicator.code, "5", version=1), "action": "save"})
    assert unchanged.status_code == 302
    assert Reading.objects.get(pk=reading.pk).is_synthetic  # nothing changed: still the demo's
    client.post(RETURNS, {**row_data(indicator.code, "6", version=1), "action": "save"})
    saved = Reading.objects.get(pk=reading.pk)
    assert (saved.value, saved.is_synthetic) == (Decimal(6), False)
    event = saved.events.latest("version")
    assert event.changes["is_synthetic"] == [True, False]
