"""What changed since the committee's last report: new exceptions, resolved ones and amended
targets, by comparing this report with what the last one stored (its snapshot, kept with its
fingerprint when it was made)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.formatting import decimal_text
from reports.data import ReportPortfolio
from reports.exceptions import KINDS, ReportException


@dataclass(frozen=True)
class ReportSince:
    """This report against the committee's last one (its period and fingerprint)."""

    period_label: str
    fingerprint: str
    new: tuple[str, ...]  # "A1.M1.1 Apprenticeships started (Indicators)"
    resolved: tuple[str, ...]
    targets: tuple[str, ...]  # "A1.M1.1 Apprenticeships started: target 300 → 320"

    @property
    def nothing(self) -> bool:
        return not (self.new or self.resolved or self.targets)


def snapshot_of(
    exceptions: Sequence[ReportException], portfolios: Sequence[ReportPortfolio]
) -> dict[str, object]:
    """What the next report compares itself with: the exceptions by key (with their titles
    and kinds) and every indicator's target, as text."""
    return {
        "exceptions": {e.key: [e.title, e.kind] for e in exceptions},
        "targets": {
            i.code: [i.title, decimal_text(i.target) if i.target is not None else ""]
            for p in portfolios
            for i in p.indicators
        },
    }


def changes_since(
    *,
    snapshot: Mapping[str, object],
    last: Mapping[str, object],
    period_label: str,
    fingerprint: str,
) -> ReportSince:
    """The differences between this report's snapshot and the last report's."""
    now = _mapping(snapshot, "exceptions")
    before = _mapping(last, "exceptions")
    targets_now, targets_before = _mapping(snapshot, "targets"), _mapping(last, "targets")
    amended = []
    for code, (title, target) in targets_now.items():
        if code in targets_before and targets_before[code][1] != target:
            was = targets_before[code][1] or "none"
            amended.append(f"{code} {title}: target {was} → {target or 'none'}")
    return ReportSince(
        period_label=period_label,
        fingerprint=fingerprint,
        new=tuple(_named(now[key]) for key in now if key not in before),
        resolved=tuple(_named(before[key]) for key in before if key not in now),
        targets=tuple(amended),
    )


def _mapping(snapshot: Mapping[str, object], name: str) -> dict[str, list[str]]:
    found = snapshot.get(name)
    return dict(found) if isinstance(found, dict) else {}


def _named(entry: Sequence[str]) -> str:
    title, kind = entry[0], entry[1]
    return f"{title} ({KINDS[kind][0].lower() if kind in KINDS else kind})"
