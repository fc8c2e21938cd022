"""The officer's returns for an open period as a spreadsheet in the upload format, filled in
so far: download, fill in, upload. The readings come first; the milestone updates they owe
are a second sheet of the workbook, or rows of their own in the one table of a CSV."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from core.downloads import spreadsheet_response
from core.formatting import plain_decimal
from core.spreadsheet_writer import Sheet
from measures import milestone_returns, selectors
from measures.models import DeliveryStatus, ReportingPeriod
from measures.services.milestone_upload import MILESTONE_COLUMNS, MILESTONE_SHEET
from measures.services.milestones import milestone_ref
from measures.services.uploads import COLUMNS, TABLE_COLUMNS
from measures.views.common import chosen_open_period, me, officers


@officers
def returns_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The user's returns for a period in the upload format, filled in so far."""
    period = chosen_open_period(request)
    if period is None:
        raise Http404("No period is open for returns.")
    readings = [
        _export_row(row, period) for row in selectors.returns_for(user=me(request), period=period)
    ]
    milestones = [
        _milestone_row(row, period)
        for row in milestone_returns.returns_for(user=me(request), period=period)
    ]
    name = f"returns-{period.code}"
    if fmt == "csv":
        return spreadsheet_response([*readings, *milestones], TABLE_COLUMNS, fmt=fmt, name=name)
    return spreadsheet_response(
        readings,
        COLUMNS,
        fmt=fmt,
        name=name,
        sheet_title=f"Returns {period.code}",
        more_sheets=[Sheet(MILESTONE_SHEET, MILESTONE_COLUMNS, milestones)],
    )


def _export_row(row: selectors.ReturnRow, period: ReportingPeriod) -> dict[str, object]:
    reading = row.reading
    return {
        "indicator_code": row.indicator.code,
        "indicator_title": row.indicator.title,
        "period": period.code,
        "value": plain_decimal(reading.value) if reading else None,
        "numerator": plain_decimal(reading.numerator) if reading else None,
        "denominator": plain_decimal(reading.denominator) if reading else None,
        "data_quality": reading.data_quality if reading else "provisional",
        "commentary": reading.commentary if reading else "",
        "corrective_action": reading.corrective_action if reading else "",
    }


def _milestone_row(
    row: milestone_returns.MilestoneReturn, period: ReportingPeriod
) -> dict[str, object]:
    """A milestone's row: what identifies it and its date now, then this period's update so
    far (empty when it is not started, so the file uploads as it is without inventing one)."""
    update = row.update
    return {
        "milestone_ref": milestone_ref(row.milestone),
        "scheme": row.milestone.scheme.name,
        "milestone": row.milestone.title,
        "period": period.code,
        "current_date": row.current_date,
        "delivery_status": DeliveryStatus(update.delivery_status).label if update else "",
        "progress_note": update.progress_note if update else "",
        "revised_date": update.revised_date if update else None,
        "reason": update.reason if update else "",
        "corrective_action": update.corrective_action if update else "",
    }
