"""Who leads each scheme and owns each milestone: set by the performance team through one
service, all or nothing, with a reason whenever someone loses one, each change kept; and the
page that lists them and changes one scheme's people at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from ambitions.models import Milestone, Plan, Scheme
from core.roles import Role
from measures.models import DeliveryOwnershipChange
from measures.permissions import can_edit_milestone
from measures.services.milestone_owners import (
    Owners,
    milestone_field,
    milestone_owners_set,
    people_seen,
    scheme_owners_set,
)
from tests import factories as make

pytestmark = pytest.mark.django_db

Kind = DeliveryOwnershipChange.Kind
URL = "measures:milestone_owners"


@pytest.fixture
def team() -> User:
    return make.user(Role.PERFORMANCE_TEAM, "priya")


@pytest.fixture
def jane() -> User:
    return make.user(Role.OFFICER, "jane")


@pytest.fixture
def sam() -> User:
    return make.user(Role.OFFICER, "sam")


@pytest.fixture
def milestone() -> Milestone:
    return make.milestone(title="Planning approved")


def _recorded() -> set[tuple[str, int | None, int | None, int | None, int | None]]:
    return {
        (c.kind, c.scheme_id, c.milestone_id, c.before_id, c.after_id)
        for c in DeliveryOwnershipChange.objects.all()
    }


def test_a_first_lead_officer_needs_no_reason_and_is_recorded(
    milestone: Milestone, jane: User, sam: User, team: User
) -> None:
    scheme = milestone.scheme
    done = scheme_owners_set(scheme=scheme, lead=Owners(jane, frozenset({sam})), reason="", by=team)
    assert done == 2
    scheme.refresh_from_db()
    assert scheme.owner == jane and set(scheme.delegates.all()) == {sam}
    # The milestone has no owner of its own, so it is the lead officer's to update.
    assert can_edit_milestone(jane, milestone) and can_edit_milestone(sam, milestone)
    assert _recorded() == {
        (Kind.OWNER, scheme.pk, None, None, jane.pk),
        (Kind.DELEGATE_ADDED, scheme.pk, None, None, sam.pk),
    }
    assert {c.changed_by for c in DeliveryOwnershipChange.objects.all()} == {team}


def test_replacing_a_lead_officer_needs_a_reason_naming_who_loses_it(
    jane: User, sam: User, team: User
) -> None:
    milestone = make.milestone(scheme_owner=jane)
    scheme = milestone.scheme
    with pytest.raises(ValidationError) as refused:
        scheme_owners_set(scheme=scheme, lead=Owners(sam), reason="  ", by=team)
    assert "Say why jane is no longer the lead officer of" in str(refused.value.message_dict)
    assert Scheme.objects.get(pk=scheme.pk).owner == jane
    assert not DeliveryOwnershipChange.objects.exists()

    scheme_owners_set(scheme=scheme, lead=Owners(sam), reason="Moved team", by=team)
    assert Scheme.objects.get(pk=scheme.pk).owner == sam
    change = DeliveryOwnershipChange.objects.get()
    assert (change.before, change.after, change.reason) == (jane, sam, "Moved team")


def test_a_milestone_owner_can_be_set_and_cleared_back_to_the_scheme_lead(
    jane: User, sam: User, team: User
) -> None:
    milestone = make.milestone(scheme_owner=jane)
    # Jane, its scheme's lead officer, gives its updates until then: she loses it.
    with pytest.raises(ValidationError, match="Say why jane no longer owns the milestone"):
        milestone_owners_set(milestone=milestone, owners=Owners(sam), reason="", by=team)
    done = milestone_owners_set(milestone=milestone, owners=Owners(sam), reason="Sam's", by=team)
    assert done == 1
    milestone.refresh_from_db()
    assert milestone.owner == sam and not can_edit_milestone(jane, milestone)

    with pytest.raises(ValidationError, match="Say why sam no longer owns the milestone"):
        milestone_owners_set(milestone=milestone, owners=Owners(None), reason="", by=team)
    milestone_owners_set(milestone=milestone, owners=Owners(None), reason="Left", by=team)
    milestone.refresh_from_db()
    assert milestone.owner is None and can_edit_milestone(jane, milestone)
    assert _recorded() == {
        (Kind.OWNER, None, milestone.pk, None, sam.pk),
        (Kind.OWNER, None, milestone.pk, sam.pk, None),
    }


def test_a_milestone_of_a_scheme_with_no_lead_is_given_without_a_reason(
    milestone: Milestone, sam: User, team: User
) -> None:
    assert milestone_owners_set(milestone=milestone, owners=Owners(sam), reason="", by=team) == 1
    # Naming its lead officer as its owner changes who it belongs to in name only.
    scheme_owners_set(scheme=milestone.scheme, lead=Owners(sam), reason="", by=team)
    assert milestone_owners_set(milestone=milestone, owners=Owners(None), reason="", by=team) == 1
    assert Milestone.objects.get(pk=milestone.pk).owner is None


def test_removing_a_delegate_needs_a_reason(milestone: Milestone, sam: User, team: User) -> None:
    milestone.delegates.add(sam)
    with pytest.raises(ValidationError, match="sam is no longer a delegate"):
        milestone_owners_set(milestone=milestone, owners=Owners(None), reason="", by=team)
    assert set(milestone.delegates.all()) == {sam}
    milestone_owners_set(milestone=milestone, owners=Owners(None), reason="Back", by=team)
    assert not milestone.delegates.exists()
    assert _recorded() == {(Kind.DELEGATE_REMOVED, None, milestone.pk, sam.pk, None)}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COUNCILLOR, Role.SCRUTINY_MEMBER, None])
def test_only_the_performance_team_sets_owners(
    milestone: Milestone, jane: User, role: Role | None
) -> None:
    with pytest.raises(PermissionDenied):
        scheme_owners_set(
            scheme=milestone.scheme, lead=Owners(jane), reason="x", by=make.user(role)
        )
    assert Scheme.objects.get(pk=milestone.scheme_id).owner is None
    assert not DeliveryOwnershipChange.objects.exists()


def test_only_active_officers_or_the_team_can_be_given_one(
    milestone: Milestone, team: User
) -> None:
    councillor = make.user(Role.COUNCILLOR, "chris")
    gone = make.user(Role.OFFICER, "gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as refused:
        scheme_owners_set(
            scheme=milestone.scheme,
            lead=Owners(councillor, frozenset({gone})),
            reason="",
            by=team,
        )
    problems = refused.value.message_dict
    assert problems["owner"] == [
        "chris cannot give milestone updates: give them the Officer role first"
    ]
    assert problems["delegates"] == [
        "gone's account is switched off: choose someone who still works here"
    ]
    assert not DeliveryOwnershipChange.objects.exists()
    # The performance team can own one.
    assert scheme_owners_set(scheme=milestone.scheme, lead=Owners(team), reason="", by=team) == 1


def test_it_is_all_or_nothing_across_the_scheme_and_its_milestones(
    jane: User, sam: User, team: User
) -> None:
    first = make.milestone(scheme_owner=jane)
    second = Milestone.objects.create(scheme=first.scheme, title="Opened", position=2)
    councillor = make.user(Role.COUNCILLOR, "chris")
    with pytest.raises(ValidationError) as refused:
        scheme_owners_set(
            scheme=first.scheme,
            lead=Owners(jane, frozenset({sam})),
            milestones={first.pk: Owners(sam), second.pk: Owners(councillor)},
            reason="",
            by=team,
        )
    # Every problem at once: the person not allowed, and the reason Jane's milestone needs.
    assert set(refused.value.message_dict) == {milestone_field(second.pk, "owner"), "reason"}
    assert not first.scheme.delegates.exists()
    assert Milestone.objects.get(pk=first.pk).owner is None
    assert not DeliveryOwnershipChange.objects.exists()


def test_a_new_owner_stops_being_a_delegate_of_the_same_thing(
    milestone: Milestone, sam: User, team: User
) -> None:
    scheme = milestone.scheme
    scheme.delegates.add(sam)
    scheme_owners_set(scheme=scheme, lead=Owners(sam, frozenset({sam})), reason="", by=team)
    assert Scheme.objects.get(pk=scheme.pk).owner == sam and not scheme.delegates.exists()
    assert _recorded() == {
        (Kind.OWNER, scheme.pk, None, None, sam.pk),
        (Kind.DELEGATE_REMOVED, scheme.pk, None, sam.pk, None),
    }


def test_nothing_different_records_nothing(milestone: Milestone, jane: User, team: User) -> None:
    scheme_owners_set(scheme=milestone.scheme, lead=Owners(jane), reason="", by=team)
    again = scheme_owners_set(
        scheme=milestone.scheme,
        lead=Owners(jane),
        milestones={milestone.pk: Owners(None)},
        reason="",
        by=team,
    )
    assert again == 0 and DeliveryOwnershipChange.objects.count() == 1


def test_a_milestone_of_another_scheme_is_refused(
    milestone: Milestone, jane: User, team: User
) -> None:
    other = make.milestone()
    with pytest.raises(ValidationError, match="is not one of"):
        scheme_owners_set(
            scheme=milestone.scheme,
            lead=Owners(jane),
            milestones={other.pk: Owners(jane)},
            reason="",
            by=team,
        )
    assert Scheme.objects.get(pk=milestone.scheme_id).owner is None


def test_a_change_made_since_the_form_was_shown_is_not_overwritten(
    milestone: Milestone, jane: User, sam: User, team: User
) -> None:
    scheme = milestone.scheme
    seen = people_seen(scheme, [milestone])
    scheme_owners_set(scheme=scheme, lead=Owners(jane), reason="", by=team)
    with pytest.raises(ValidationError, match="Someone else changed who leads"):
        scheme_owners_set(scheme=scheme, lead=Owners(sam), reason="x", by=team, seen=seen)
    assert Scheme.objects.get(pk=scheme.pk).owner == jane


# The page.


@pytest.fixture
def stockport(shared_plan: Plan) -> Plan:
    return shared_plan


def test_the_page_lists_every_scheme_of_the_plan_with_its_people(
    client: Client, stockport: Plan, team: User, jane: User, django_assert_max_num_queries: Any
) -> None:
    schemes = Scheme.objects.filter(focus_area__ambition__plan=stockport)
    led = schemes.filter(milestones__isnull=False).first()
    assert led is not None
    led.owner = jane
    led.save()
    client.force_login(team)
    with django_assert_max_num_queries(12):
        answer = client.get(reverse(URL))
    assert answer.status_code == 200
    html = answer.content.decode()
    for scheme in schemes:
        assert f'id="scheme-{scheme.pk}"' in html
    block = html[html.index(f'id="scheme-{led.pk}"') :][:3000]
    assert "Lead officer: jane" in block
    assert "Owner: (scheme's lead officer)" in block
    assert "Lead officer: none yet" in html


def test_the_page_is_for_the_performance_team(client: Client, milestone: Milestone) -> None:
    for role in (Role.OFFICER, Role.COUNCILLOR, Role.SCRUTINY_MEMBER):
        client.force_login(make.user(role))
        assert client.get(reverse(URL)).status_code == 403
        assert client.post(reverse(URL), {"scheme": milestone.scheme_id}).status_code == 403
    client.logout()
    assert client.get(reverse(URL)).status_code == 302
    assert Scheme.objects.get(pk=milestone.scheme_id).owner is None


def _form(scheme: Scheme, milestones: list[Milestone], **fields: Any) -> dict[str, Any]:
    """What the page's form posts when nothing is changed, with `fields` changed."""
    data: dict[str, Any] = {
        "scheme": scheme.pk,
        "seen": people_seen(scheme, milestones),
        "owner": scheme.owner_id or "",
        "add_delegate": "",
        "reason": "",
    }
    for m in milestones:
        data[milestone_field(m.pk, "owner")] = m.owner_id or ""
        data[milestone_field(m.pk, "add_delegate")] = ""
    data.update(fields)
    return data


def test_the_team_opens_a_schemes_form_and_changes_its_people(
    client: Client, stockport: Plan, team: User, jane: User, sam: User
) -> None:
    milestone = Milestone.objects.filter(scheme__focus_area__ambition__plan=stockport).first()
    assert milestone is not None
    scheme = milestone.scheme
    milestones = list(scheme.milestones.all())
    client.force_login(team)
    page = client.get(reverse(URL), {"scheme": scheme.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Change the people of {scheme.name}" in html and 'name="owner"' in html
    assert f'name="{milestone_field(milestone.pk, "owner")}"' in html

    answer = client.post(
        reverse(URL),
        _form(
            scheme,
            milestones,
            owner=jane.pk,
            add_delegate=sam.pk,
            **{milestone_field(milestone.pk, "owner"): sam.pk},
        ),
    )

    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#scheme-{scheme.pk}")
    scheme.refresh_from_db()
    milestone.refresh_from_db()
    assert scheme.owner == jane and set(scheme.delegates.all()) == {sam}
    assert milestone.owner == sam
    assert DeliveryOwnershipChange.objects.count() == 3
    after = client.get(answer["Location"]).content.decode()
    assert f"{scheme.name}: 3 changes to its people saved." in after
    assert "Lead officer: jane" in after


def test_errors_are_beside_their_field_and_nothing_is_saved(
    client: Client, milestone: Milestone, team: User, jane: User
) -> None:
    scheme = milestone.scheme
    scheme.owner = jane
    scheme.save()
    councillor = make.user(Role.COUNCILLOR, "chris")
    client.force_login(team)
    data = _form(scheme, [milestone], owner="")
    url = reverse(URL)

    # Taking Jane off needs a reason; the error is beside the reason field.
    answer = client.post(url, data)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "There is a problem" in html and 'href="#id_reason"' in html
    assert "Say why jane is no longer the lead officer" in html

    # Someone the list does not offer is refused by the form, beside the field.
    data = _form(scheme, [milestone], **{milestone_field(milestone.pk, "owner"): councillor.pk})
    answer = client.post(url, data)
    assert answer.status_code == 400
    field_id = f"id_{milestone_field(milestone.pk, 'owner')}"
    assert f'href="#{field_id}"' in answer.content.decode()
    assert "Choose a person from the list" in answer.content.decode()

    scheme.refresh_from_db()
    milestone.refresh_from_db()
    assert scheme.owner == jane and milestone.owner is None
    assert not DeliveryOwnershipChange.objects.exists()


def test_the_team_page_links_to_it_and_counts_schemes_with_no_lead(
    client: Client, stockport: Plan, team: User
) -> None:
    client.force_login(team)
    html = client.get(reverse("measures:team")).content.decode()
    assert reverse(URL) in html
    assert "no lead officer yet" in html


def test_a_lead_who_was_switched_off_stays_until_replaced(
    client: Client, team: User, jane: User, sam: User
) -> None:
    milestone = make.milestone(scheme_owner=jane)
    milestone.delegates.add(sam)
    scheme = milestone.scheme
    jane.is_active = False
    jane.save()
    client.force_login(team)
    html = client.get(reverse(URL), {"scheme": scheme.pk}).content.decode()
    assert "jane (cannot be given it now)" in html
    assert f'name="{milestone_field(milestone.pk, "remove_delegates")}"' in html
    # Saving without changing her is allowed; ending Sam's delegation is saved.
    data = _form(scheme, [milestone], reason="Back from leave")
    data[milestone_field(milestone.pk, "remove_delegates")] = [sam.pk]
    answer = client.post(reverse(URL), data)
    assert answer.status_code == 302
    assert Scheme.objects.get(pk=scheme.pk).owner == jane and not milestone.delegates.exists()
    assert _recorded() == {(Kind.DELEGATE_REMOVED, None, milestone.pk, sam.pk, None)}


def test_a_scheme_not_in_the_plan_in_force_is_not_found(client: Client, team: User) -> None:
    client.force_login(team)
    make.milestone()
    assert client.get(reverse(URL), {"scheme": "999999"}).status_code == 404
    assert client.post(reverse(URL), {"scheme": "x"}).status_code == 404


def test_a_save_refused_because_someone_changed_the_people_shows_them_as_they_are_now(
    client: Client, stockport: Plan, team: User, jane: User, sam: User
) -> None:
    """Found in review: the refused page used to show the posted choices with a fresh check,
    so pressing Save again undid the other person's change unseen."""
    milestone = Milestone.objects.filter(scheme__focus_area__ambition__plan=stockport).first()
    assert milestone is not None
    scheme = milestone.scheme
    milestones = list(scheme.milestones.all())
    shown = _form(scheme, milestones, owner=jane.pk)  # the page as one person saw it
    scheme_owners_set(scheme=scheme, lead=Owners(sam), reason="", by=team)  # someone else
    client.force_login(team)
    refused = client.post(reverse(URL), shown)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Someone else changed who leads" in html
    assert f'<option value="{sam.pk}" selected' in html
    assert f'<option value="{jane.pk}" selected' not in html
    scheme.refresh_from_db()
    assert scheme.owner == sam
