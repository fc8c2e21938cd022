"""Any change to the project's data, however it is made (a service, the admin, load_plan, the
shell), bumps the data version that cached pages are keyed on."""

from __future__ import annotations

from typing import Any

from core import versioning

# The apps whose rows pages show (sessions, sign-in attempts and the like are not data).
DATA_APPS = frozenset({"ambitions", "portfolios", "measures", "reports"})


def data_changed(sender: Any, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in DATA_APPS and not kwargs.get("raw"):
        versioning.bump()
