"""My returns: the milestones an officer owes an update on, beside their indicators, saved,
checked and submitted with them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from ambitions.models import Milestone
from core.roles import Role
from measures.models import MilestoneUpdate, Reading, ReportingPeriod
from measures.services.milestones import (
    MilestoneInput,
    milestone_update_approve,
    milestone_update_return,
    milestone_update_save,
    milestone_update_submit,
)
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
    return make.quarter(2025, 2)


def ref(milestone: Milestone) -> str:
    return f"MS-{milestone.pk}"


def milestone_data(milestone: Milestone, version: int = 0, **fields: str) -> dict[str, str]:
    """One milestone's row as the page sends it: on track with a note, unless told otherwise."""
    values = {
        "delivery_status": "on_track",
        "progress_note": "Contractor on site.",
        "revised_date": "",
        "reason": "",
        "corrective_action": "",
        "version": str(version),
        **fields,
    }
    return {f"{ref(milestone)}-{name}": value for name, value in values.items()}


def tick(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index(">", start)]


def confirm(client: Client, check_url: str) -> Any:
    """Press the check page's button, sending the versions it shows."""
    page = client.get(check_url).content.decode()
    shown = {
        **{f"version-{r.pk}": r.version for r in Reading.objects.all()},
        **{f"milestone-version-{u.pk}": u.version for u in MilestoneUpdate.objects.all()},
    }
    return client.post(check_url, {k: str(v) for k, v in shown.items() if f'name="{k}"' in page})


def test_an_officer_sees_only_the_milestones_they_owe_an_update_on(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    own = make.milestone(officer, title="Scheme complete")
    led = make.milestone(scheme_owner=officer, title="Planning granted")
    delegated = make.milestone(make.user(Role.OFFICER), title="Site cleared")
    delegated.delegates.add(officer)
    make.milestone(make.user(Role.OFFICER), title="Someone else's milestone")
    make.milestone(officer, title="Done before the plan", status=Milestone.Status.COMPLETE)
    page = client.get(RETURNS).content.decode()
    assert ">Milestones</h2>" in page
    for milestone in (own, led, delegated):
        assert milestone.title in page and milestone.scheme.name in page
        assert f'name="{ref(milestone)}-version" value="0"' in page
    assert "Someone else" not in page and "Done before the plan" not in page
    assert "Due September 2025" in page


def test_an_officer_saves_a_milestone_draft_with_a_revised_date(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(officer)
    data = milestone_data(
        milestone,
        delivery_status="slipped",
        revised_date="31/3/2026",
        reason="Steel delivery late",
        corrective_action="Second supplier engaged",
    )
    response = client.post(RETURNS, {**data, "action": "save"})
    assert response.status_code == 302
    update = MilestoneUpdate.objects.get()
    assert (update.delivery_status, update.revised_date, update.status, update.version) == (
        "slipped",
        date(2026, 3, 31),
        "draft",
        1,
    )
    assert (update.reason, update.submitted_by) == ("Steel delivery late", None)
    page = client.get(response["Location"]).content.decode()
    assert "0 reading(s) and 1 milestone update(s) saved as drafts" in page
    assert f'name="{ref(milestone)}-version" value="1"' in page
    assert 'value="31 3 2026"' in page  # the revised date, as the form asks for one


@pytest.mark.parametrize("typed", ["31/13/2025", "soon", "30/9/25", "2025-02-30"])
def test_a_revised_date_that_is_not_a_date_is_refused_and_nothing_of_the_page_is_saved(
    client: Client, officer: User, period: ReportingPeriod, typed: str
) -> None:
    indicator = make.indicator(owner=officer)
    milestone = make.milestone(officer)
    data = {
        **row_data(indicator.code, "12"),
        **milestone_data(milestone, revised_date=typed),
        "action": "save",
    }
    response = client.post(RETURNS, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the revised date as a date, for example 30 9 2025" in page
    assert f'href="#id_{ref(milestone)}-revised_date"' in page
    assert f'id="id_{ref(milestone)}-revised_date-error"' in page
    assert f'value="{typed}"' in page  # what they typed is kept to put right
    assert not MilestoneUpdate.objects.exists()
    assert not Reading.objects.exists()


def test_a_refused_milestone_row_undoes_the_readings_of_the_same_save(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicator = make.indicator(owner=officer)
    milestone = make.milestone(officer)
    data = {
        **row_data(indicator.code, "12"),
        **milestone_data(milestone, delivery_status="", progress_note="Going well"),
        "action": "save",
    }
    page = client.post(RETURNS, data).content.decode()
    assert "Choose one of: complete, on track" in page  # the service's own message
    assert f'href="#id_{ref(milestone)}-delivery_status"' in page
    assert not Reading.objects.exists() and not MilestoneUpdate.objects.exists()


def test_a_milestone_row_left_as_shown_is_not_saved(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    earlier = make.quarter(2025, 1)
    milestone = make.milestone(officer)
    update = make.milestone_draft(milestone, earlier, officer, progress_note="Designs agreed")
    milestone_update_submit(update=update, by=officer, expected_version=1)
    team = make.user(Role.PERFORMANCE_TEAM)
    milestone_update_approve(update=update, by=team, expected_version=2)
    url = f"{RETURNS}?period={period.code}"
    page = client.get(url).content.decode()
    assert "Designs agreed" in page  # last quarter's carried forward to start from
    assert f"On track ({earlier})" in page
    as_shown = milestone_data(milestone, progress_note="Designs agreed")
    assert client.post(url, {**as_shown, "action": "save"}).status_code == 302
    assert MilestoneUpdate.objects.count() == 1  # only last quarter's


def test_slipped_without_a_reason_cannot_be_submitted_and_says_so_beside_the_field(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(officer)
    data = {
        **milestone_data(milestone, delivery_status="slipped"),
        "action": "submit",
        "chosen": [ref(milestone)],
    }
    response = client.post(RETURNS, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "It is slipped: say why" in page
    assert f'href="#id_{ref(milestone)}-reason"' in page
    assert f'href="#id_{ref(milestone)}-corrective_action"' in page
    assert not MilestoneUpdate.objects.exists()
    assert "checked" in tick(page, f"chosen-{ref(milestone)}")  # the tick is kept

    client.post(RETURNS, {**milestone_data(milestone, delivery_status="slipped"), "action": "save"})
    draft = client.get(RETURNS).content.decode()
    assert "Not ready to submit yet: It is slipped: say why." in draft
    assert "checked" not in tick(draft, f"chosen-{ref(milestone)}")
    check = client.get(f"{CHECK}?period={period.code}&milestone={ref(milestone)}")
    assert "It is slipped: say why" in check.content.decode()
    assert "for approval</button>" not in check.content.decode()


def test_an_officer_submits_a_reading_and_a_milestone_update_together(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicator = make.indicator(owner=officer, title="Homes delivered")
    milestone = make.milestone(officer, title="Scheme complete")
    other = make.milestone(officer, title="Not this one")
    data = {
        **row_data(indicator.code, "40"),
        **milestone_data(
            milestone,
            delivery_status="at_risk",
            reason="Costs",
            corrective_action="Value engineering",
        ),
        **milestone_data(other),
        "action": "submit",
        "chosen": [indicator.code, ref(milestone)],
    }
    response = client.post(RETURNS, data)
    assert response.status_code == 302
    assert response["Location"].startswith(CHECK)
    check = client.get(response["Location"]).content.decode()
    assert "Check your readings and milestone updates before you submit them" in check
    assert "Scheme complete" in check and "Value engineering" in check
    assert "Not this one" not in check
    assert "Submit 1 reading and 1 milestone update for approval" in check

    done = confirm(client, response["Location"])
    assert done.status_code == 302
    assert (
        "1 reading and 1 milestone update submitted"
        in client.get(done["Location"]).content.decode()
    )
    statuses = dict(MilestoneUpdate.objects.values_list("milestone__title", "status"))
    assert statuses == {"Scheme complete": "submitted", "Not this one": "draft"}
    submitted = MilestoneUpdate.objects.get(milestone=milestone)
    assert submitted.submitted_by == officer
    assert Reading.objects.get().status == "submitted"
    page = client.get(RETURNS).content.decode()
    assert f'name="{ref(milestone)}-version"' not in page  # read only now
    assert "Submitted updates cannot be changed unless the performance team returns them" in page


def test_a_stale_milestone_row_gets_the_conflict_message_and_the_newer_update_survives(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicator = make.indicator(owner=officer)
    milestone = make.milestone(officer)
    delegate = make.user(Role.OFFICER)
    milestone.delegates.add(delegate)
    make.milestone_draft(milestone, period, officer, progress_note="Mine")
    milestone_update_save(
        milestone=milestone,
        period=period,
        data=MilestoneInput("at_risk", "The delegate's", reason="Costs"),
        by=delegate,
        expected_version=1,
    )
    data = {
        **row_data(indicator.code, "5"),
        **milestone_data(milestone, version=1, progress_note="Mine, changed"),
        "action": "save",
    }
    page = client.post(RETURNS, data).content.decode()
    assert "was changed by someone else while you were editing it" in page
    assert f'href="#row-{ref(milestone)}"' in page
    update = MilestoneUpdate.objects.get()
    assert (update.progress_note, update.version) == ("The delegate's", 2)
    assert not Reading.objects.exists()  # the reading of the same save was not kept either


def test_a_milestone_update_changed_between_check_and_confirm_is_refused(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    indicator = make.indicator(owner=officer)
    reading = make.draft(indicator, period, "7", officer)
    milestone = make.milestone(officer)
    update = make.milestone_draft(milestone, period, officer)
    url = f"{CHECK}?period={period.code}&indicator={indicator.code}&milestone={ref(milestone)}"
    shown = {f"version-{reading.pk}": "1", f"milestone-version-{update.pk}": "1"}
    make.milestone_draft(milestone, period, officer, progress_note="Changed in another window")
    page = client.post(url, shown).content.decode()
    assert "nothing has been submitted" in page
    assert "it was changed after you checked it" in page
    assert f'href="#milestone-{ref(milestone)}"' in page
    assert Reading.objects.get().status == "draft"  # the reading was not sent either
    assert MilestoneUpdate.objects.get().status == "draft"


def test_a_returned_update_shows_the_note_and_can_be_put_right(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(officer, title="Scheme complete")
    update = make.milestone_draft(milestone, period, officer)
    milestone_update_submit(update=update, by=officer, expected_version=1)
    team = make.user(Role.PERFORMANCE_TEAM)
    milestone_update_return(update=update, by=team, note="Say which phase", expected_version=2)
    page = client.get(RETURNS).content.decode()
    assert "1 milestone update returned to you" in page
    assert "Returned because</dt>" in page and "Say which phase" in page
    data = milestone_data(milestone, version=3, progress_note="Phase 2 on site")
    assert client.post(RETURNS, {**data, "action": "save"}).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.progress_note, update.version) == ("draft", "Phase 2 on site", 4)


def test_the_performance_team_sees_every_owed_milestone(
    client: Client, period: ReportingPeriod
) -> None:
    first = make.milestone(make.user(Role.OFFICER), title="First officer milestone")
    second = make.milestone(scheme_owner=make.user(Role.OFFICER), title="Second officer milestone")
    its_officer = make.user(Role.OFFICER)
    officers_draft = make.milestone(its_officer, title="Drafted by its officer")
    make.milestone_draft(officers_draft, period, its_officer)
    client.force_login(make.user(Role.PERFORMANCE_TEAM))
    page = client.get(RETURNS).content.decode()
    for milestone in (first, second, officers_draft):
        assert milestone.title in page
    assert f'id="chosen-{ref(first)}"' in page
    assert f'id="chosen-{ref(officers_draft)}"' not in page  # only its officer submits it


def test_a_councillor_cannot_open_my_returns_or_its_check_page(
    client: Client, period: ReportingPeriod
) -> None:
    client.force_login(make.user(Role.COUNCILLOR))
    milestone = make.milestone()
    assert client.get(RETURNS).status_code == 403
    response = client.post(RETURNS, {**milestone_data(milestone), "action": "save"})
    assert response.status_code == 403
    assert client.get(f"{CHECK}?period={period.code}&milestone={ref(milestone)}").status_code == 403
    assert not MilestoneUpdate.objects.exists()


def test_an_officer_with_milestones_but_no_indicators_still_gets_the_form(
    client: Client, officer: User, period: ReportingPeriod
) -> None:
    milestone = make.milestone(officer)
    page = client.get(RETURNS).content.decode()
    assert "You have no indicators to report" in page
    assert f'name="{ref(milestone)}-delivery_status"' in page and "Save as draft" in page
    response = client.post(RETURNS, {**milestone_data(milestone), "action": "save"})
    assert response.status_code == 302
    assert MilestoneUpdate.objects.get().progress_note == "Contractor on site."
