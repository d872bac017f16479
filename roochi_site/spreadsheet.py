"""CSV files that spreadsheet programs open as people expect: a UTF-8 byte-order mark
(so that accents read right), dates in the site's time zone to the minute, and cells a
visitor typed never run as formulas (CSV injection)."""

from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

BYTE_ORDER_MARK = "\ufeff"


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: a moment in local time without seconds, and a
    value starting with a formula character prefixed with an apostrophe."""
    if callable(value):
        value = value()
    if isinstance(value, datetime):
        value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def csv_response(filename: str) -> HttpResponse:
    """An attachment to write CSV rows into, starting with the byte-order mark."""
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    response.write(BYTE_ORDER_MARK)
    return response
