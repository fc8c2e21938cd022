"""The people pages: the performance team sees everyone's roles and what they own (indicators,
schemes and milestones), hands it over with a reason, and sees who changed what; errors say
what to fix."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInIdentity
from ambitions.models import Milestone, Scheme
from core.roles import Role
from measures.models import DeliveryOwnershipChange, Indicator, OwnershipChange
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_the_people_page_lists_roles_and_what_each_person_owns(client: Client) -> None:
    jane = make.user(Role.OFFICER, "jane")
    make.indicator(jane), make.indicator(jane)
    sso = make.user(Role.COUNCILLOR, "chris")
    SignInIdentity.objects.create(
        user=sso, issuer="https://idp.example/", subject="s-1", last_signed_in=timezone.now()
    )
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    html = client.get(reverse("accounts:people")).content.decode()
    row = (
        html[html.index(">jane<") :][:900] if ">jane<" in html else html[html.index("jane") :][:900]
    )
    assert "Officer" in row and ">2<" in row.replace(" ", "")
    chris = html[html.index("chris") :][:900]
    assert "Council account" in chris


def test_it_hands_janes_indicators_to_sam_and_shows_the_history(client: Client) -> None:
    jane, sam = make.user(Role.OFFICER, "jane"), make.user(Role.OFFICER, "sam")
    owned = [make.indicator(jane) for _ in range(2)]
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    url = reverse("accounts:person", args=[jane.pk])
    answer = client.post(
        url,
        {
            "action": "hand_over",
            "to_user": sam.pk,
            "as_delegate": "yes",
            "reason": "On leave until March",
        },
    )
    assert answer.status_code == 302
    assert set(sam.delegated_indicators.all()) == set(owned)
    page = client.get(url).content.decode()
    assert "is now a delegate of 2 indicators" in page
    assert "Delegate added" in page and "On leave until March" in page and "priya" in page


def test_a_hand_over_with_no_reason_or_person_says_what_to_fix_and_changes_nothing(
    client: Client,
) -> None:
    jane = make.user(Role.OFFICER, "jane")
    make.indicator(jane)
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    answer = client.post(
        reverse("accounts:person", args=[jane.pk]), {"action": "hand_over", "reason": " "}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "There is a problem" in html
    assert "Choose who to give them to" in html and 'href="#id_to_user"' in html
    assert "Choose whether they become a delegate or the owner" in html
    assert (
        Indicator.objects.filter(owner=jane).count() == 1 and not OwnershipChange.objects.exists()
    )


def test_the_people_pages_are_for_the_performance_team(client: Client) -> None:
    jane = make.user(Role.OFFICER, "jane")
    client.force_login(jane)
    assert client.get(reverse("accounts:people")).status_code == 403
    assert (
        client.post(reverse("accounts:person", args=[jane.pk]), {"action": "hand_over"}).status_code
        == 403
    )
    client.logout()
    assert client.get(reverse("accounts:people")).status_code == 302


def test_a_hand_over_to_someone_not_offered_is_refused_and_changes_nothing(client: Client) -> None:
    jane, councillor = make.user(Role.OFFICER, "jane"), make.user(Role.COUNCILLOR, "chris")
    make.indicator(jane)
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    # A councillor is not offered, so a crafted post naming one is refused by the form.
    answer = client.post(
        reverse("accounts:person", args=[jane.pk]),
        {"action": "hand_over", "to_user": councillor.pk, "as_delegate": "no", "reason": "x"},
    )
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode()
    assert Indicator.objects.get().owner == jane


def test_handing_over_for_someone_who_owns_nothing_says_so(client: Client) -> None:
    nobody, sam = make.user(Role.OFFICER, "nobody"), make.user(Role.OFFICER, "sam")
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    answer = client.post(
        reverse("accounts:person", args=[nobody.pk]),
        {"action": "hand_over", "to_user": sam.pk, "as_delegate": "yes", "reason": "Leave"},
    )
    assert answer.status_code == 400
    told = "nobody owns no indicators, schemes or milestones to hand over"
    assert told in answer.content.decode()
    assert not OwnershipChange.objects.exists()


def test_the_person_page_shows_the_schemes_they_lead_and_milestones_they_own(
    client: Client,
) -> None:
    jane, lee = make.user(Role.OFFICER, "jane"), make.user(Role.OFFICER, "lee")
    led = make.milestone(scheme_owner=jane, title="Planning approved")
    own = make.milestone(jane, scheme_owner=lee, title="Site cleared")
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))

    html = client.get(reverse("accounts:person", args=[jane.pk])).content.decode()

    assert "Schemes they lead (1)" in html and led.scheme.name in html
    assert "Milestones they own (1)" in html and "Site cleared" in html
    assert own.scheme.name in html
    # The hand-over is offered, though she owns no indicators, and says what goes.
    assert "Give all of them to someone else" in html
    assert "All 0 indicators, 1 scheme and 1 milestone go together" in html
    people = client.get(reverse("accounts:people")).content.decode()
    row = people[people.index(">jane<") :][:1200]
    assert ">2<" in row.replace(" ", "")  # one scheme and one milestone


def test_it_hands_janes_schemes_and_milestones_to_sam_and_shows_the_history(
    client: Client,
) -> None:
    jane, sam = make.user(Role.OFFICER, "jane"), make.user(Role.OFFICER, "sam")
    make.indicator(jane)
    led = make.milestone(scheme_owner=jane)
    own = make.milestone(jane, scheme_owner=make.user(Role.OFFICER, "lee"))
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    url = reverse("accounts:person", args=[jane.pk])

    answer = client.post(
        url, {"action": "hand_over", "to_user": sam.pk, "as_delegate": "no", "reason": "Moved"}
    )

    assert answer.status_code == 302
    assert Scheme.objects.get(pk=led.scheme_id).owner == sam
    assert Milestone.objects.get(pk=own.pk).owner == sam
    assert DeliveryOwnershipChange.objects.filter(before=jane, after=sam).count() == 2
    page = client.get(url).content.decode()
    assert "is now the owner of 1 indicator, 1 scheme and 1 milestone jane owns" in page
    assert "Scheme: " + led.scheme.name in page and "Milestone: " + own.title in page
    sams = client.get(reverse("accounts:person", args=[sam.pk])).content.decode()
    assert "Schemes they lead (1)" in sams and "Milestones they own (1)" in sams


def test_ending_a_delegation_on_janes_work_covers_her_schemes(client: Client) -> None:
    jane, sam = make.user(Role.OFFICER, "jane"), make.user(Role.OFFICER, "sam")
    led = make.milestone(scheme_owner=jane)
    led.scheme.delegates.add(sam)
    client.force_login(make.user(Role.PERFORMANCE_TEAM, "priya"))
    url = reverse("accounts:person", args=[sam.pk])
    assert "Scheme: " + led.scheme.name in client.get(url).content.decode()

    answer = client.post(url, {"action": "end_delegation", "owner": jane.pk, "reason": "Back"})

    assert answer.status_code == 302
    assert not sam.delegated_schemes.exists()
    page = client.get(url).content.decode()
    assert "sam is no longer a delegate on 1 scheme of jane&#x27;s." in page
    assert DeliveryOwnershipChange.objects.get().reason == "Back"
