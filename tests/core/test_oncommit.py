"""Work asked for many times in one transaction runs once, after it commits, and not at all when
the part that asked for it is rolled back."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.oncommit import once_on_commit

pytestmark = pytest.mark.django_db(transaction=True)


def test_asked_for_in_many_committed_savepoints_it_runs_once() -> None:
    ran: list[str] = []
    with transaction.atomic():
        for _ in range(5):
            with transaction.atomic():  # each save in a loader has a savepoint of its own
                once_on_commit("count", lambda: ran.append("x"))
        assert ran == []
    assert ran == ["x"]


def test_asked_for_only_in_a_rolled_back_savepoint_it_does_not_run() -> None:
    ran: list[str] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                once_on_commit("count", lambda: ran.append("x"))
                raise ValueError("refused")
        except ValueError:
            pass
    assert ran == []


def test_rolled_back_then_asked_again_it_runs_once() -> None:
    ran: list[str] = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                once_on_commit("count", lambda: ran.append("x"))
                raise ValueError("refused")
        except ValueError:
            pass
        once_on_commit("count", lambda: ran.append("x"))
        once_on_commit("count", lambda: ran.append("x"))
    assert ran == ["x"]


def test_each_transaction_gets_its_own_run_and_outside_one_it_runs_at_once() -> None:
    ran: list[str] = []
    for _ in range(2):
        with transaction.atomic():
            once_on_commit("count", lambda: ran.append("x"))
    once_on_commit("count", lambda: ran.append("now"))
    assert ran == ["x", "x", "now"]


def test_different_work_is_not_merged() -> None:
    ran: list[str] = []
    with transaction.atomic():
        once_on_commit("a", lambda: ran.append("a"))
        once_on_commit("b", lambda: ran.append("b"))
    assert sorted(ran) == ["a", "b"]
