"""Handing indicators over in bulk, as owner or delegate, and ending delegations: all or
nothing, with who, when and why kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from measures.models import Indicator, OwnershipChange
from measures.permissions import can_edit_indicator
from measures.services.ownership import delegations_end, indicators_hand_over
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
    assert done == 3
    for indicator in people["mine"]:
        indicator.refresh_from_db()
        assert indicator.owner == jane and can_edit_indicator(sam, indicator)
    changes = OwnershipChange.objects.filter(kind=OwnershipChange.Kind.DELEGATE_ADDED)
    assert changes.count() == 3
    assert {(c.after, c.changed_by, c.reason) for c in changes} == {
        (sam, team, "On leave until 3 March")
    }
    # Again: nothing new to give, so nothing more recorded.
    assert (
        indicators_hand_over(from_user=jane, to_user=sam, as_delegate=True, reason="x", by=team)
        == 0
    )

    ended = delegations_end(delegate=sam, owner=jane, reason="Back from leave", by=team)
    assert ended == 3 and not sam.delegated_indicators.exists()
    assert can_edit_indicator(sam, people["theirs"])  # his own are untouched
    assert OwnershipChange.objects.filter(kind=OwnershipChange.Kind.DELEGATE_REMOVED).count() == 3


def test_a_new_owner_takes_them_all_and_the_old_owner_keeps_none(people: dict) -> None:
    jane, sam, team = people["jane"], people["sam"], people["team"]
    sam.delegated_indicators.add(people["mine"][0])
    assert (
        indicators_hand_over(
            from_user=jane, to_user=sam, as_delegate=False, reason="Moved team", by=team
        )
        == 3
    )
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
    with pytest.raises(ValidationError, match="owns no indicators"):
        indicators_hand_over(
            from_user=nobody, to_user=people["sam"], as_delegate=True, reason="x", by=people["team"]
        )
    with pytest.raises(ValidationError, match="is not a delegate on any"):
        delegations_end(delegate=people["sam"], owner=people["jane"], reason="x", by=people["team"])
