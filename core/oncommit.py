"""Work to do once when the current transaction commits, however often it is asked for."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

KEY = "_once_on_commit_key"


def once_on_commit(key: str, work: Callable[[], None]) -> None:
    """Run `work` after the transaction commits (at once outside one), once per transaction for
    this key, however many savepoints inside it asked. Django keeps the transaction's pending
    callbacks, and drops those of a savepoint rolled back, so the work is skipped only while one
    for the same key is still pending."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        work()
        return
    if any(getattr(pending, KEY, None) == key for _, pending, _ in connection.run_on_commit):
        return

    def run() -> None:
        work()

    setattr(run, KEY, key)
    transaction.on_commit(run)
