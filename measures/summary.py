"""The scorecard's counts in words, for the dashboards and the committee report alike: every
count given, the bad with the good (the counting is measures/performance.py's)."""

from __future__ import annotations

from measures.performance import Direction, StatusCounts


def _plural(count: int, singular: str, plural: str) -> str:
    """Return the count with the singular or plural noun, e.g. '1 return' or '2 returns'."""
    return f"{count} {singular if count == 1 else plural}"


def summary_sentence(counts: StatusCounts, directions: dict[Direction, int], missing: int) -> str:
    """Every count in one plain sentence, the bad with the good: how many indicators stand
    where against target, how many moved which way, and how many returns are missing."""
    if missing < 0:
        raise ValueError(f"missing returns must not be negative (got {missing})")
    missing_clause = (
        f"{_plural(missing, 'return', 'returns')} missing" if missing else "no returns missing"
    )
    if counts.total == 0:
        return (
            "No indicators to report."
            if missing == 0
            else f"No indicators to report; {missing_clause}."
        )
    indicators = _plural(counts.total, "indicator", "indicators")
    return (
        f"Of {indicators}, {status_clause(counts)}; {direction_clause(directions)}; "
        f"{missing_clause}."
    )


def status_sentence(counts: StatusCounts) -> str:
    """ "Of 98 indicators, 3 on or better than target, …." (or that there are none)."""
    if counts.total == 0:
        return "No indicators to report."
    return f"Of {_plural(counts.total, 'indicator', 'indicators')}, {status_clause(counts)}."


def status_clause(counts: StatusCounts) -> str:
    """How many indicators stand where against target: on, close and off always (zero
    included), then those without a target or without data, if any."""
    parts = [
        f"{counts.green} on or better than target",
        f"{counts.amber} close to target",
        f"{counts.red} off target",
    ]
    if counts.no_target:
        parts.append(f"{counts.no_target} with no target")
    if counts.no_data:
        parts.append(f"{counts.no_data} with no data")
    return _listed(parts)


def direction_clause(directions: dict[Direction, int]) -> str:
    """How many moved which way on their previous figure, and how many could not be compared."""
    improved = directions.get(Direction.IMPROVED, 0)
    unchanged = directions.get(Direction.NO_CHANGE, 0)
    worsened = directions.get(Direction.WORSENED, 0)
    clause = (
        f"{improved} improved, {unchanged} unchanged and {worsened} worsened on their "
        "previous figure"
    )
    if not_comparable := directions.get(Direction.NOT_COMPARABLE, 0):
        clause += f" ({not_comparable} not comparable)"
    return clause


def _listed(parts: list[str]) -> str:
    """ "a, b and c"."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
