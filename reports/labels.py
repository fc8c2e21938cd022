"""The report's fixed words, and the status counts every format lists in the same order."""

from __future__ import annotations

from measures.performance import RAG_LABELS, RAG_SYMBOLS, Rag, StatusCounts

REPORT_NAME = "Quarterly performance report"
SYNTHETIC_NOTICE = "This report contains synthetic demonstration data, not real figures."
NO_READINGS = "No readings"
NOT_ENOUGH_DATA = "Not enough data for a trend"
RAG_ORDER = (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NO_TARGET, Rag.NO_DATA)


def rag_counts(counts: StatusCounts) -> list[tuple[Rag, str, str, int]]:
    """(status, symbol, label, count) for each RAG status, in the order green to no data."""
    return [
        (rag, RAG_SYMBOLS[rag], RAG_LABELS[rag], getattr(counts, rag.value)) for rag in RAG_ORDER
    ]
