"""The officer's returns for an open period as a spreadsheet in the upload format, filled in
so far: download, fill in, upload."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from core.downloads import spreadsheet_response
from core.formatting import plain_decimal
from measures import selectors
from measures.models import ReportingPeriod
from measures.services.uploads import COLUMNS
from measures.views.common import chosen_open_period, me, officers


@officers
def returns_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The user's returns for a period in the upload format, filled in so far."""
    period = chosen_open_period(request)
    if period is None:
        raise Http404("No period is open for returns.")
    rows = selectors.returns_for(user=me(request), period=period)
    return spreadsheet_response(
        [_export_row(row, period) for row in rows],
        COLUMNS,
        fmt=fmt,
        name=f"returns-{period.code}",
        sheet_title=f"Returns {period.code}",
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
