"""Two people writing one milestone's updates at the same moment: one wins or both are kept,
the loser is told, nothing is lost, and the stored scores stay whole (PostgreSQL only: SQLite's
test database is one connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from core.roles import Role
from measures.models import MilestoneScore, MilestoneUpdate, ScoreAudience
from measures.services.milestones import (
    MilestoneInput,
    MilestoneUpdateConflict,
    milestone_update_save,
)
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database is one connection (runs in CI)")


def _at_once(*jobs: Callable[[], str]) -> list[str]:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait()
            outcomes.append(job())
        except MilestoneUpdateConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def _save(milestone, period, person, note: str, version: int) -> Callable[[], str]:
    def job() -> str:
        milestone_update_save(
            milestone=milestone,
            period=period,
            by=person,
            expected_version=version,
            data=MilestoneInput("on_track", note),
        )
        return f"saved {note}"

    return job


def test_two_first_updates_of_one_milestone_at_once_keep_one_and_tell_the_other() -> None:
    owner, delegate = make.user(Role.OFFICER), make.user(Role.OFFICER)
    period = make.quarter()
    milestone = make.milestone(owner=owner)
    milestone.delegates.add(delegate)
    outcomes = _at_once(
        _save(milestone, period, owner, "owner", 0),
        _save(milestone, period, delegate, "delegate", 0),
    )
    assert outcomes[0] == "conflict" and outcomes[1].startswith("saved")
    update = MilestoneUpdate.objects.get()
    assert (update.progress_note, update.version, update.events.count()) == (
        outcomes[1].split()[1],
        1,
        1,
    )


def test_updates_of_two_quarters_at_once_are_both_kept_and_scored() -> None:
    owner = make.user(Role.OFFICER)
    q1, q2 = make.quarter(2025, 1), make.quarter(2025, 2)
    milestone = make.milestone(owner=owner)
    outcomes = _at_once(
        _save(milestone, q1, owner, "first", 0), _save(milestone, q2, owner, "second", 0)
    )
    assert outcomes == ["saved first", "saved second"]
    assert MilestoneUpdate.objects.count() == 2
    workflow = MilestoneScore.objects.filter(milestone=milestone, audience=ScoreAudience.WORKFLOW)
    assert dict(workflow.values_list("period__code", "progress_note")) == {
        q1.code: "first",
        q2.code: "second",
    }
