"""Random interleavings of save, submit, approve, return and upload by several people on one
reading, each acting on the version their page last showed them: nothing anyone was told was
saved ever vanishes without a later, told, successful save by someone who had seen it, and each
change is one event."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.roles import Role
from core.spreadsheet_reader import RawRow
from measures import services
from measures.models import Reading
from measures.services import ReadingConflict, ReadingInput, uploads
from tests import factories as make

pytestmark = pytest.mark.django_db
ACTORS = ("owner", "delegate", "team_a", "team_b")
REFUSED = (ReadingConflict, ValidationError, PermissionDenied, uploads.UploadRefused)
steps = st.lists(
    st.tuples(
        st.sampled_from(["reload", "save", "submit", "approve", "return", "upload"]),
        st.sampled_from(ACTORS),
        st.integers(min_value=0, max_value=4),
    ),
    min_size=1,
    max_size=25,
)


@dataclass
class World:
    """What each person's page last showed, and what people have been told."""

    seen: dict[str, int]  # the version on each person's page (0: there was no reading)
    told_saved: list[Decimal]  # every value someone was told was saved, in order
    changes: int = 0  # successful operations that changed the reading


def _version() -> int:
    reading = Reading.objects.first()
    return reading.version if reading else 0


def _act(op: str, who: str, value: int, people: dict, indicator, period, world: World) -> None:
    person, seen = people[who], world.seen[who]
    reading = Reading.objects.select_related("indicator", "period").first()
    before = _version()
    if op == "reload":
        world.seen[who] = before
        return
    if op == "save":
        services.reading_save(
            indicator=indicator,
            period=period,
            data=ReadingInput(value=Decimal(value)),
            by=person,
            expected_version=seen,
        )
        world.told_saved.append(Decimal(value))
    elif op == "upload":
        cells = {"indicator_code": indicator.code, "period": period.code, "value": str(value)}
        key = f"{indicator.code}|{period.code}"
        uploads.upload_confirm(rows=[RawRow(2, cells)], by=person, versions={key: seen})
        world.told_saved.append(Decimal(value))
    elif reading is None:
        return  # nothing to submit, approve or return yet
    elif op == "submit":
        services.reading_submit(reading=reading, by=person, expected_version=seen)
    elif op == "approve":
        services.reading_approve(reading=reading, by=person, expected_version=seen)
    elif op == "return":
        services.reading_return(reading=reading, by=person, note="Check", expected_version=seen)
    after = _version()
    if after != before:
        # A change succeeded: the person must have been looking at the latest version, or
        # they have overwritten something they never saw (the lost update).
        assert seen == before, f"{who} changed version {before} from a page showing {seen}"
    world.changes += after != before
    world.seen[who] = after  # a person sees the page again after their own action


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=steps)
def test_no_told_save_is_lost_and_every_change_is_one_event(script) -> None:
    with transaction.atomic():
        owner, delegate = make.user(Role.OFFICER), make.user(Role.OFFICER)
        people = {
            "owner": owner,
            "delegate": delegate,
            "team_a": make.user(Role.PERFORMANCE_TEAM),
            "team_b": make.user(Role.PERFORMANCE_TEAM),
        }
        period = make.quarter()
        indicator = make.indicator(owner=owner)
        indicator.delegates.add(delegate)
        world = World(seen=dict.fromkeys(ACTORS, 0), told_saved=[])
        for op, who, value in script:
            try:
                with transaction.atomic():
                    _act(op, who, value, people, indicator, period, world)
            except REFUSED:
                pass  # refused with a message, and nothing saved: checked below
            reading = Reading.objects.first()
            if world.told_saved:
                assert reading is not None and reading.value == world.told_saved[-1]
            else:
                assert reading is None
            versions = list(reading.events.values_list("version", flat=True)) if reading else []
            assert versions == list(range(1, world.changes + 1))
            assert (reading.version if reading else 0) == world.changes
        transaction.set_rollback(True)
