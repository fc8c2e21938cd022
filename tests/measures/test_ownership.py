"""Handing indicators, schemes and milestones over in bulk, as owner or delegate, and ending
delegations: all or nothing, with who, when and why kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ambitions.models import Milestone, Scheme
from core.roles import Role
from measures.models import DeliveryOwnershipChange, Indicator, OwnershipChange
from measures.permissions import can_edit_indicator, can_edit_milestone
from measures.services.ownership import WorkCount, delegations_end, indicators_hand_over
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, object]:
    jane, sam = make.user(Role.OFFICER, "jane"), make.user(Role.OFFICER, "sam")
    team = make.user(Role.PERFORMANCE_TEAM, "priya")
    mine = [make.indicator(jane) for _ in range(3)]
    theirs = make.indicator(sam)
    return {"jane": jane, "sam": sam, "team": team, "mine": mine, "theirs": theirs}


def test_a_delegate_can_enter_all_of_janes_indicators_while_she_is_away(people: dict) -> None:
    jane, sam, team = people["jane"], people["sam"], people["team"]
    done = indicators_hand_over(
        from_user=jane, to_user=sam, as_delegate=True, reason="On leave until 3 March", by=team
    )
    assert done == WorkCount(indicators=3)
    for indicator in people["mine"]:
        indicator.refresh_from_db()
        assert indicator.owner == jane and can_edit_indicator(sam, indicator)
    changes = OwnershipChange.objects.filter(kind=OwnershipChange.Kind.DELEGATE_ADDED)
    assert changes.count() == 3
    assert {(c.after, c.changed_by, c.reason) for c in changes} == {
        (sam, team, "On leave until 3 March")
    }
    # Again: nothing new to give, so nothing more recorded.
    again = indicators_hand_over(from_user=jane, to_user=sam, as_delegate=True, reason="x", by=team)
    assert again.total == 0

    ended = delegations_end(delegate=sam, owner=jane, reason="Back from leave", by=team)
    assert ended == WorkCount(indicators=3) and not sam.delegated_indicators.exists()
    assert can_edit_indicator(sam, people["theirs"])  # his own are untouched
    assert OwnershipChange.objects.filter(kind=OwnershipChange.Kind.DELEGATE_REMOVED).count() == 3


def test_a_new_owner_takes_them_all_and_the_old_owner_keeps_none(people: dict) -> None:
    jane, sam, team = people["jane"], people["sam"], people["team"]
    sam.delegated_indicators.add(people["mine"][0])
    done = indicators_hand_over(
        from_user=jane, to_user=sam, as_delegate=False, reason="Moved team", by=team
    )
    assert done == WorkCount(indicators=3)
    assert set(Indicator.objects.filter(owner=sam)) == {*people["mine"], people["theirs"]}
    assert not Indicator.objects.filter(owner=jane).exists()
    assert not sam.delegated_indicators.exists()  # owning them, he needs no delegation
    change = OwnershipChange.objects.filter(kind=OwnershipChange.Kind.OWNER).first()
    assert change is not None and change.before == jane and change.after == sam


@pytest.mark.parametrize(
    ("to", "reason", "message"),
    [
        ("jane", "x", "already have them"),
        ("councillor", "x", "cannot enter readings: give them the Officer role first"),
        ("sam", "   ", "Say why"),
    ],
)
def test_it_refuses_what_cannot_be_done_and_changes_nothing(
    people: dict, to: str, reason: str, message: str
) -> None:
    target = people.get(to) or make.user(Role.COUNCILLOR, to)
    with pytest.raises(ValidationError, match=message):
        indicators_hand_over(
            from_user=people["jane"],
            to_user=target,
            as_delegate=False,
            reason=reason,
            by=people["team"],
        )
    assert Indicator.objects.filter(owner=people["jane"]).count() == 3
    assert not OwnershipChange.objects.exists()


def test_only_the_performance_team_hands_indicators_over(people: dict) -> None:
    with pytest.raises(PermissionDenied):
        indicators_hand_over(
            from_user=people["jane"],
            to_user=people["sam"],
            as_delegate=True,
            reason="x",
            by=people["sam"],
        )
    assert not people["sam"].delegated_indicators.exists()


def test_someone_with_nothing_to_hand_over_is_told_so(people: dict) -> None:
    nobody = make.user(Role.OFFICER, "nobody")
    with pytest.raises(ValidationError, match="owns no indicators, schemes or milestones"):
        indicators_hand_over(
            from_user=nobody, to_user=people["sam"], as_delegate=True, reason="x", by=people["team"]
        )
    with pytest.raises(ValidationError, match="is not a delegate on any"):
        delegations_end(delegate=people["sam"], owner=people["jane"], reason="x", by=people["team"])


@pytest.fixture
def delivery(people: dict) -> dict[str, object]:
    """Jane leads a scheme (its milestone has no owner of its own) and owns a milestone of a
    scheme Lee leads."""
    lee = make.user(Role.OFFICER, "lee")
    followed = make.milestone(scheme_owner=people["jane"])
    own = make.milestone(people["jane"], scheme_owner=lee)
    return {**people, "lee": lee, "followed": followed, "own": own, "scheme": followed.scheme}


def test_a_delegate_gives_the_updates_of_janes_schemes_and_milestones_too(delivery: dict) -> None:
    jane, sam, team = delivery["jane"], delivery["sam"], delivery["team"]
    followed, own = delivery["followed"], delivery["own"]
    assert not can_edit_milestone(sam, followed) and not can_edit_milestone(sam, own)

    done = indicators_hand_over(
        from_user=jane, to_user=sam, as_delegate=True, reason="On leave until 3 March", by=team
    )

    assert done == WorkCount(indicators=3, schemes=1, milestones=1)
    assert done.in_words() == "3 indicators, 1 scheme and 1 milestone"
    assert can_edit_milestone(sam, followed) and can_edit_milestone(sam, own)
    assert Scheme.objects.get(pk=delivery["scheme"].pk).owner == jane
    assert Milestone.objects.get(pk=own.pk).owner == jane
    added = DeliveryOwnershipChange.objects.filter(kind=DeliveryOwnershipChange.Kind.DELEGATE_ADDED)
    assert {(c.scheme_id, c.milestone_id) for c in added} == {
        (delivery["scheme"].pk, None),
        (None, own.pk),
    }
    assert {(c.after, c.changed_by, c.reason) for c in added} == {
        (sam, team, "On leave until 3 March")
    }


def test_ending_a_delegation_ends_it_on_janes_schemes_and_milestones(delivery: dict) -> None:
    jane, sam, team = delivery["jane"], delivery["sam"], delivery["team"]
    followed, own = delivery["followed"], delivery["own"]
    # A delegation on a milestone that is Jane's because she leads its scheme ends too.
    followed.delegates.add(sam)
    indicators_hand_over(from_user=jane, to_user=sam, as_delegate=True, reason="Leave", by=team)

    ended = delegations_end(delegate=sam, owner=jane, reason="Back from leave", by=team)

    assert ended == WorkCount(indicators=3, schemes=1, milestones=2)
    assert not can_edit_milestone(sam, followed) and not can_edit_milestone(sam, own)
    removed = DeliveryOwnershipChange.objects.filter(
        kind=DeliveryOwnershipChange.Kind.DELEGATE_REMOVED
    )
    assert {(c.scheme_id, c.milestone_id, c.before, c.reason) for c in removed} == {
        (delivery["scheme"].pk, None, sam, "Back from leave"),
        (None, followed.pk, sam, "Back from leave"),
        (None, own.pk, sam, "Back from leave"),
    }


def test_a_new_owner_takes_janes_schemes_and_milestones(delivery: dict) -> None:
    jane, sam, team = delivery["jane"], delivery["sam"], delivery["team"]
    scheme, own = delivery["scheme"], delivery["own"]
    scheme.delegates.add(sam)

    done = indicators_hand_over(
        from_user=jane, to_user=sam, as_delegate=False, reason="Moved team", by=team
    )

    assert done == WorkCount(indicators=3, schemes=1, milestones=1)
    scheme.refresh_from_db()
    own.refresh_from_db()
    assert scheme.owner == sam and own.owner == sam
    assert Milestone.objects.get(pk=delivery["followed"].pk).owner is None  # follows its scheme
    assert not sam.delegated_schemes.exists()  # leading it, he needs no delegation
    kinds = DeliveryOwnershipChange.Kind
    recorded = {
        (c.kind, c.scheme_id, c.milestone_id, c.before, c.after)
        for c in DeliveryOwnershipChange.objects.all()
    }
    assert recorded == {
        (kinds.OWNER, scheme.pk, None, jane, sam),
        (kinds.OWNER, None, own.pk, jane, sam),
        (kinds.DELEGATE_REMOVED, scheme.pk, None, sam, None),
    }


def test_someone_who_owns_only_schemes_can_hand_them_over(people: dict) -> None:
    lead, sam = make.user(Role.OFFICER, "lead"), people["sam"]
    milestone = make.milestone(scheme_owner=lead)
    done = indicators_hand_over(
        from_user=lead, to_user=sam, as_delegate=False, reason="Retired", by=people["team"]
    )
    assert done == WorkCount(schemes=1)
    assert Scheme.objects.get(pk=milestone.scheme_id).owner == sam


@pytest.mark.parametrize("to", ["councillor", "switched_off"])
def test_a_refused_hand_over_leaves_schemes_and_milestones_as_they_were(
    delivery: dict, to: str
) -> None:
    target = make.user(Role.COUNCILLOR if to == "councillor" else Role.OFFICER, to)
    if to == "switched_off":
        target.is_active = False
        target.save()
    message = "give them the Officer role first" if to == "councillor" else "is switched off"
    with pytest.raises(ValidationError, match=message):
        indicators_hand_over(
            from_user=delivery["jane"],
            to_user=target,
            as_delegate=False,
            reason="Moved team",
            by=delivery["team"],
        )
    assert Scheme.objects.get(pk=delivery["scheme"].pk).owner == delivery["jane"]
    assert Milestone.objects.get(pk=delivery["own"].pk).owner == delivery["jane"]
    assert not DeliveryOwnershipChange.objects.exists() and not OwnershipChange.objects.exists()
