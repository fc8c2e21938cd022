"""When published data changes, the open data files are built again (once per transaction,
after it commits); when an indicator stops being public, they are withdrawn at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.oncommit import once_on_commit
from dashboards.open_data import open_data_withdraw
from dashboards.tasks import open_data_publish
from measures.models import Indicator, Target, TrajectoryTarget


def _build_once() -> None:
    """Queue one build when the transaction commits, however many changes it holds."""
    once_on_commit("open_data_build", _send)


def _send() -> None:
    open_data_publish.delay()


def period_published(sender: Any, **kwargs: Any) -> None:
    _build_once()


def indicator_changed(sender: Any, instance: Indicator, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if not instance.is_public:
        transaction.on_commit(open_data_withdraw)
    _build_once()


def target_changed(sender: Any, instance: Target | TrajectoryTarget, **kwargs: Any) -> None:
    if (
        not kwargs.get("raw")
        and Indicator.objects.filter(pk=instance.indicator_id, is_public=True).exists()
    ):
        _build_once()
