"""Uploading the quarter's ledger extract: read once when it arrives and kept by kind, every
row checked (by row and column) before anything is saved, then saved whole, or nothing,
through finance_figures_save. One file is one quarter: a CSV of one kind, or a workbook with
a sheet per kind (Revenue, Savings, Capital, Reserves)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.spreadsheet_reader import RawRow, UploadError, read_upload
from measures.models import ReportingPeriod
from resources.choices import FinanceKind
from resources.models import FinanceReturn, FinanceUpload
from resources.money import Threshold
from resources.permissions import can_upload_finance
from resources.rules import Figure, duplicate_of, figure_problems, period_problem
from resources.selectors import threshold_for
from resources.services.figures import (
    FiguresRefused,
    finance_figures_save,
    return_statuses,
    version_key,
    versions_now,
)
from resources.upload_format import (
    COLUMNS,
    EVERY_COLUMN,
    SHEET,
    Lookups,
    ParsedRow,
    column_for,
    kind_of_header,
    parse_row,
)

logger = logging.getLogger("stockport_plan.uploads")
NOT_ALLOWED = "Only finance officers and the performance team upload finance figures."


def finance_upload_receive(*, by: User, filename: str, content: bytes) -> FinanceUpload:
    """Keep an uploaded file's rows by kind, with the version of each return it would replace
    as it is now; a file that cannot be read is kept with the reason, for the page to say."""
    if not can_upload_finance(by):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        rows = _read(filename, content)
        versions = _versions_now(rows)
        file_error = ""
    except UploadError as error:
        rows, versions, file_error = {}, {}, error.message
        logger.warning("Rejected finance upload by user %s: %s", by.pk, error.message)
    return FinanceUpload.objects.create(
        uploaded_by=by,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        rows={kind: [[row.number, row.cells] for row in kept] for kind, kept in rows.items()},
        versions=versions,
        file_error=file_error,
    )


@dataclass
class KindPreview:
    """One kind's rows in the file, each with its figure or its errors."""

    kind: str
    rows: list[ParsedRow]
    replaces: FinanceReturn | None = None

    @property
    def label(self) -> str:
        return FinanceKind(self.kind).label

    @property
    def columns(self) -> tuple[str, ...]:
        """The file's columns shown in the preview (the period is said once, above)."""
        return tuple(c for c in COLUMNS[self.kind] if c != "period")

    @property
    def table(self) -> list[tuple[ParsedRow, list[str]]]:
        """Each row with its cells in the columns' order, as the preview shows it."""
        return [(row, [row.cells.get(c, "") for c in self.columns]) for row in self.rows]

    @property
    def figures(self) -> list[Figure]:
        return [row.figure for row in self.rows if row.figure is not None]


@dataclass
class FinancePreview:
    """What confirming the file would save, or why it cannot."""

    period: ReportingPeriod | None
    kinds: list[KindPreview]
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.file_errors + [e for k in self.kinds for row in k.rows for e in row.errors]

    @property
    def lines(self) -> int:
        return sum(len(k.rows) for k in self.kinds)


def finance_upload_preview(*, upload: FinanceUpload, today: date | None = None) -> FinancePreview:
    """Every row's figure and every error, judged by the rules the save uses, saving nothing."""
    today = today or timezone.localdate()
    lookups = Lookups.load()
    kinds = [
        KindPreview(kind, [parse_row(kind, number, cells, lookups) for number, cells in rows])
        for kind, rows in sorted(upload.rows.items(), key=lambda item: list(SHEET).index(item[0]))
    ]
    period, file_errors = _period_of(kinds)
    if period is not None:
        statuses = return_statuses([period])
        threshold = threshold_for(period.financial_year)
        for preview in kinds:
            if reason := period_problem(period, preview.kind, today=today, returns=statuses):
                file_errors.append(f"{preview.label}: {reason}.")
            preview.replaces = FinanceReturn.objects.filter(
                kind=preview.kind, period=period
            ).first()
            _judge(preview, threshold, upload.versions.get(version_key(preview.kind, period), 0))
    return FinancePreview(period, kinds, file_errors)


def finance_upload_confirm(
    *, upload: FinanceUpload, by: User, today: date | None = None
) -> list[FinanceReturn]:
    """Save every kind of the file in one transaction, once; any error saves nothing, and so
    does a return changed by someone else since the file was uploaded."""
    if not can_upload_finance(by) or upload.uploaded_by_id != by.pk:
        raise PermissionDenied(NOT_ALLOWED)
    with transaction.atomic():
        locked = FinanceUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.confirmed_at:
            raise FiguresRefused([f"{locked.filename} was saved already; nothing was saved again."])
        if locked.file_error:
            raise FiguresRefused([locked.file_error])
        preview = finance_upload_preview(upload=locked, today=today)
        if preview.errors or preview.period is None:
            raise FiguresRefused(preview.errors)
        saved = finance_figures_save(
            period=preview.period,
            figures={k.kind: k.figures for k in preview.kinds},
            by=by,
            source=locked.filename,
            expected_versions=locked.versions,
            today=today,
        )
        locked.confirmed_at = timezone.now()
        locked.lines_saved = preview.lines
        locked.save(update_fields=["confirmed_at", "lines_saved"])
    return saved


def _read(filename: str, content: bytes) -> dict[str, list[RawRow]]:
    """The file's rows by kind: a workbook's sheets by their names, else its one table by its
    columns."""

    def read(sheet: str | None) -> list[RawRow]:
        return read_upload(
            filename,
            content,
            columns=EVERY_COLUMN,
            required=(),
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_rows=settings.UPLOAD_MAX_ROWS,
            sheet=sheet,
            rows_required=False,
        )

    rows: dict[str, list[RawRow]] = {}
    if filename.casefold().endswith(".xlsx"):
        for kind, sheet in SHEET.items():
            if found := read(sheet):
                rows[kind] = _of_kind(found, sheet_name=sheet, expected=kind)
    if not rows:
        if not (table := read(None)):
            raise UploadError(
                "The file has a header row but no figures: give one row per line of the "
                "ledger, as in the template."
            )
        rows[_kind_of(table)] = table
    if sum(len(kept) for kept in rows.values()) > settings.UPLOAD_MAX_ROWS:
        raise UploadError(f"At most {settings.UPLOAD_MAX_ROWS:,} lines can be uploaded at once.")
    return rows


def _kind_of(rows: Sequence[RawRow]) -> str:
    kind, reason = kind_of_header(list(rows[0].cells))
    if reason:
        raise UploadError(reason)
    assert kind  # noqa: S101 - no reason means a kind
    return kind


def _of_kind(rows: list[RawRow], *, sheet_name: str, expected: str) -> list[RawRow]:
    kind, reason = kind_of_header(list(rows[0].cells))
    if reason or kind != expected:
        why = reason or f"its columns are the {FinanceKind(str(kind)).label.lower()} format"
        raise UploadError(f"Sheet '{sheet_name}': {why}")
    return rows


def _versions_now(rows: dict[str, list[RawRow]]) -> dict[str, int]:
    codes = {row.cells.get("period", "") for kept in rows.values() for row in kept}
    return versions_now(list(ReportingPeriod.objects.filter(code__in=codes)))


def _period_of(kinds: Sequence[KindPreview]) -> tuple[ReportingPeriod | None, list[str]]:
    """The one quarter the file gives figures for, or why there is none."""
    first: tuple[int, str] | None = None
    for preview in kinds:
        for row in preview.rows:
            code = row.cells.get("period", "").strip()
            if not code:
                row.fail("period", "is empty: give the quarter, like 2026-27-Q2")
            elif first is None:
                first = (row.number, code)
            elif code.casefold() != first[1].casefold():
                row.fail(
                    "period",
                    f"{code} is not {first[1]} (row {first[0]}): one file holds one quarter",
                )
    if first is None:
        return None, [] if any(k.rows for k in kinds) else ["The file has no figures."]
    period = ReportingPeriod.objects.filter(code__iexact=first[1]).first()
    if period is None:
        return None, [
            f"Row {first[0]}, column 'period': there is no reporting period {first[1]!r}; use "
            "a quarter's code, like 2026-27-Q2"
        ]
    return period, []


def _judge(preview: KindPreview, threshold: Threshold, seen_version: int) -> None:
    """The rules' problems with each figure, and repeats, as errors of its row and column."""
    now = preview.replaces.version if preview.replaces else 0
    if now != seen_version and preview.rows:
        preview.rows[0].errors.append(
            f"The {preview.label.lower()} figures were changed by someone else after you "
            "uploaded this file (nothing has been overwritten): upload the file again to see "
            "the figures as they are now"
        )
    seen: dict[tuple[object, ...], int] = {}
    for row in preview.rows:
        if row.figure is None:
            continue
        for name, message in figure_problems(row.figure, threshold):
            row.fail(column_for(preview.kind, name), message)
        if twice := duplicate_of(row.figure, seen, row.number):
            row.errors.append(f"Row {row.number}: {twice}")
        if row.errors:
            row.figure = None
