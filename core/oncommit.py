"""Work to do once when the current transaction commits, however often it is asked for."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def once_on_commit(key: str, work: Callable[[], None]) -> None:
    """Run `work` after the transaction commits (at once outside one), once per transaction for
    this key. It is flagged on the innermost atomic block that asked: an enclosing or the same
    block's flag means it will run; a flag left on a block rolled back no longer counts (that
    block is gone from the stack, and so is its callback); and running clears it."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        work()
        return
    attribute = f"_once_on_commit_{key}"
    if any(getattr(block, attribute, False) for block in connection.atomic_blocks):
        return
    block = connection.atomic_blocks[-1]
    setattr(block, attribute, True)

    def run() -> None:
        setattr(block, attribute, False)
        work()

    transaction.on_commit(run)
