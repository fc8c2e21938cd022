"""My returns: choosing which readings to submit, checking them, then submitting exactly those."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from measures.models import Indicator, Reading, ReportingPeriod
from tests import factories as make
from tests.measures.test_views import row_data

pytestmark = pytest.mark.django_db
RETURNS = reverse("measures:returns")
CHECK = reverse("measures:submit_check")


@pytest.fixture
def officer(client: Client) -> User:
    person = make.user(Role.OFFICER)
    client.force_login(person)
    return person


@pytest.fixture
def period() -> ReportingPeriod:
    return make.quarter()


def drafts(officer: User, period: ReportingPeriod, count: int) -> list[Indicator]:
    indicators = [make.indicator(owner=officer, title=f"Measure {n}") for n in range(count)]
    for n, indicator in enumerate(indicators):
        make.draft(indicator, period, str(10 + n), officer)
    return indicators


def page_data(indicators: list[Indicator], **overrides: str) -> dict[str, object]:
    """My returns as the page sends it back, unchanged, with each row at its version."""
    data: dict[str, object] = {}
    for indicator in indicators:
        reading = Reading.objects.filter(indicator=indicator).first()
        value = overrides.get(indicator.code, str(reading.value) if reading else "")
        data.update(row_data(indicator.code, value, version=reading.version if reading else 0))
    return data


def confirm(client: Client, check_url: str) -> Any:
    """Press the check page's button, sending the versions it shows."""
    page = client.get(check_url).content.decode()
    versions = {
        f"version-{r.pk}": str(r.version)
        for r in Reading.objects.all()
        if f'name="version-{r.pk}"' in page
    }
    return client.post(check_url, versions)


def statuses() -> dict[str, str]:
    return dict(Reading.objects.values_list("indicator__code", "status"))


def test_it_submits_only_the_two_readings_ticked_of_six(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicators = drafts(officer, period, 6)
    chosen = [indicators[1].code, indicators[4].code]
    response = client.post(RETURNS, {**page_data(indicators), "action": "submit", "chosen": chosen})
    assert response.status_code == 302
    assert response["Location"].startswith(CHECK)
    assert set(statuses().values()) == {"draft"}  # nothing submitted before the check

    check = client.get(response["Location"]).content.decode()
    assert "Submit 2 readings for approval" in check
    assert indicators[1].title in check and indicators[4].title in check
    for other in (0, 2, 3, 5):
        assert indicators[other].title not in check

    done = confirm(client, response["Location"])
    assert done.status_code == 302
    assert client.get(done["Location"]).content.decode().count("2 readings submitted") == 1
    assert statuses() == {i.code: "submitted" if i.code in chosen else "draft" for i in indicators}


def test_every_ready_reading_is_ticked_by_default_and_one_needing_commentary_is_not(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    ready, red, fresh, handed_in = (make.indicator(owner=officer) for _ in range(4))
    make.draft(ready, period, "60", officer)
    make.target(red, period, "50")
    make.draft(red, period, "10", officer)
    from measures.services import reading_submit

    reading_submit(
        reading=make.draft(handed_in, period, "5", officer), by=officer, expected_version=1
    )
    page = client.get(RETURNS).content.decode()

    def tick(indicator: Indicator) -> str:
        start = page.index(f'id="chosen-{indicator.code}"')
        return page[start : page.index(">", start)]

    assert "checked" in tick(ready) and "checked" in tick(fresh)
    assert "checked" not in tick(red)
    assert "Not ready to submit yet: The value is off target (red)" in page
    assert f'id="chosen-{handed_in.code}"' not in page  # already submitted: nothing to tick


def test_nothing_ticked_is_refused_and_nothing_is_saved(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    [indicator] = drafts(officer, period, 1)
    response = client.post(
        RETURNS, {**page_data([indicator], **{indicator.code: "99"}), "action": "submit"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Tick at least one reading to submit for approval" in page
    assert f'href="#chosen-{indicator.code}"' in page
    reading = Reading.objects.get()
    assert (reading.value, reading.status, reading.version) == (Decimal(10), "draft", 1)
    assert 'value="99"' in page  # what they typed is still there to fix


def test_ticking_only_blank_rows_is_refused_and_nothing_is_saved(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    [entered] = drafts(officer, period, 1)
    blank = make.indicator(owner=officer)
    data = {
        **page_data([entered], **{entered.code: "12"}),
        **row_data(blank.code, ""),
        "action": "submit",
        "chosen": [blank.code],
    }
    page = client.post(RETURNS, data).content.decode()
    assert "The readings and milestone updates you ticked have nothing entered" in page
    assert Reading.objects.get().value == Decimal(10)  # the other row's change not saved either


def test_a_ticked_reading_that_is_not_ready_is_refused_beside_its_row_and_nothing_is_saved(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    fine, red = drafts(officer, period, 2)
    make.target(red, period, "50")
    data = {
        **page_data([fine, red], **{fine.code: "33"}),
        "action": "submit",
        "chosen": [fine.code, red.code],
    }
    response = client.post(RETURNS, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The value is off target (red)" in page
    assert f'href="#id_{red.code}-commentary"' in page
    assert sorted(Reading.objects.values_list("value", "status")) == [
        (Decimal(10), "draft"),
        (Decimal(11), "draft"),
    ]
    for code in (fine.code, red.code):  # the ticks are kept
        start = page.index(f'id="chosen-{code}"')
        assert "checked" in page[start : page.index(">", start)]


def test_the_check_page_shows_commentary_and_corrective_action_and_links_back_to_change(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicator = make.indicator(owner=officer, title="Homes delivered")
    plain = make.indicator(owner=officer, title="Plain measure")
    make.draft(
        indicator,
        period,
        "612",
        officer,
        commentary="Weir Mill completions",
        corrective_action="Chasing the developer",
    )
    make.draft(plain, period, "4", officer)
    url = f"{CHECK}?period={period.code}&indicator={indicator.code}&indicator={plain.code}"
    page = client.get(url).content.decode()
    assert "Check your readings before you submit them" in page
    assert "612" in page and "Weir Mill completions" in page and "Chasing the developer" in page
    assert page.count("Corrective action</dt>") == 1  # only where there is one
    change = f"{RETURNS}?period={period.code}&amp;chosen={indicator.code}&amp;chosen={plain.code}"
    assert f'href="{change}#row-{indicator.code}"' in page
    # Going back keeps the choice: only the two chosen are ticked.
    other = make.indicator(owner=officer)
    back = client.get(f"{RETURNS}?period={period.code}&chosen={plain.code}").content.decode()
    for code, ticked in ((indicator.code, False), (plain.code, True), (other.code, False)):
        start = back.index(f'id="chosen-{code}"')
        assert ("checked" in back[start : back.index(">", start)]) is ticked


def test_a_reading_changed_between_check_and_confirm_is_refused_and_nothing_is_submitted(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    first, second = drafts(officer, period, 2)
    url = f"{CHECK}?period={period.code}&indicator={first.code}&indicator={second.code}"
    shown = {f"version-{r.pk}": str(r.version) for r in Reading.objects.all()}
    delegate = make.user(Role.OFFICER)
    second.delegates.add(delegate)
    make.draft(second, period, "77", delegate)  # someone else, after the check page was shown

    response = client.post(url, shown)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing has been submitted" in page
    assert f"{second.code}: it was changed after you checked it" in page
    assert set(statuses().values()) == {"draft"}  # the unchanged one was not submitted either
    assert "77" in page  # the page now shows what is there to check again
    assert confirm(client, url).status_code == 302
    assert set(statuses().values()) == {"submitted"}


@pytest.mark.parametrize("version", ["", "abc", "-1", "9" * 50])
def test_a_mangled_version_on_confirm_is_refused(
    client: Client, officer: User, period: ReportingPeriod, version: str
) -> None:
    [indicator] = drafts(officer, period, 1)
    reading = Reading.objects.get()
    response = client.post(
        f"{CHECK}?period={period.code}&indicator={indicator.code}",
        {f"version-{reading.pk}": version},
    )
    assert response.status_code == 200
    assert "it was changed after you checked it" in response.content.decode()
    assert Reading.objects.get().status == "draft"


def test_the_check_page_refuses_what_is_not_the_officers_or_not_entered(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    other = make.user(Role.OFFICER)
    someone_elses = make.indicator(owner=other)
    make.draft(someone_elses, period, "3", other)
    empty = make.indicator(owner=officer)
    url = f"{CHECK}?period={period.code}&indicator={someone_elses.code}&indicator={empty.code}"
    page = client.get(url).content.decode()
    assert f"{someone_elses.code} is not one of your returns" in page
    assert f"{empty.code}: nothing has been entered" in page
    assert "for approval</button>" not in page
    assert client.post(url, {}).status_code == 200
    assert statuses() == {someone_elses.code: "draft"}
    nothing = client.get(f"{CHECK}?period={period.code}").content.decode()
    assert "No readings or milestone updates were chosen to submit" in nothing


def test_the_performance_team_is_offered_only_its_own_drafts_and_cannot_force_another(
    client: Client, period: ReportingPeriod
) -> None:
    officer = make.user(Role.OFFICER)
    officers_draft = make.indicator(owner=officer)
    make.draft(officers_draft, period, "5", officer)
    team = make.user(Role.PERFORMANCE_TEAM)
    client.force_login(team)
    own = make.indicator()
    make.draft(own, period, "6", team)
    page = client.get(RETURNS).content.decode()
    assert f'id="chosen-{own.code}"' in page
    assert f'id="chosen-{officers_draft.code}"' not in page

    data = {
        **page_data([officers_draft, own]),
        "action": "submit",
        "chosen": [officers_draft.code, own.code],
    }
    refused = client.post(RETURNS, data).content.decode()
    assert "only they can submit it from their returns" in refused
    check = f"{CHECK}?period={period.code}&indicator={officers_draft.code}"
    assert "only they can submit it" in client.get(check).content.decode()
    assert confirm(client, check).status_code == 200
    assert set(statuses().values()) == {"draft"}


def test_the_ticks_cost_no_query_per_row(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    drafts(officer, period, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(RETURNS).status_code == 200
    red = drafts(officer, period, 8)
    for indicator in red:
        make.target(indicator, period, "50")
    with CaptureQueriesContext(connection) as many:
        page = client.get(RETURNS).content.decode()
    assert page.count("Not ready to submit yet") == 8
    assert len(many) == len(few)
