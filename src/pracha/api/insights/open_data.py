"""GET /open-data/cases.csv, .geojson and .parquet: every case, streamed, no personal data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router

from pracha.api.insights.schemas import ERRORS
from pracha.cases.errors import InvalidInput
from pracha.insights.opendata.export import FORMATS, WRITERS, selection
from pracha.insights.reports.params import parse_day, parse_filters

router = Router(tags=["open data"])

DESCRIPTION = (
    "Every case (or those reported from `from` to `to`, filtered), without reporter contact, "
    "timeline notes or photos; personal data in the text masked. Stable ids: `ticket_id`. "
    "Columns are described in docs/open-data.md. The same files come from `pracha export`. "
    "CSV text cells that a spreadsheet would run as a formula start with a single quote; "
    "`bom=1` (CSV only) starts the file with a UTF-8 byte-order mark so Excel shows Thai "
    "correctly (`pracha export --bom`)."
)


def _stream(
    fmt: str,
    first: str | None,
    last: str | None,
    category: str | None,
    district: str | None,
    agency: str | None,
    state: str | None,
    bom: str | None = None,
) -> StreamingHttpResponse:
    first_day, last_day = parse_day(first, "from"), parse_day(last, "to")
    if first_day and last_day and first_day > last_day:
        raise InvalidInput("from must not be after to", field="from")
    sel = selection(parse_filters(category, district, agency, state), first_day, last_day)
    if bom not in (None, "", "0", "1"):
        raise InvalidInput("bom must be 1 (start with a byte-order mark) or 0", field="bom")
    if bom == "1" and fmt != "csv":
        raise InvalidInput("bom=1 is only for cases.csv", field="bom")
    chunks = WRITERS[fmt](sel, bom=True) if bom == "1" else WRITERS[fmt](sel)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="pracha-cases.{fmt}"'
    return response


def _operation(fmt: str) -> Callable[..., StreamingHttpResponse]:
    def view(
        request: HttpRequest,
        from_: str | None = Query(None, alias="from"),
        to: str | None = None,
        category: str | None = None,
        district: str | None = None,
        agency: str | None = None,
        state: str | None = None,
        bom: str | None = None,
    ) -> StreamingHttpResponse:
        return _stream(fmt, from_, to, category, district, agency, state, bom)

    view.__name__ = f"open_data_{fmt}"
    return view


for _fmt in FORMATS:
    router.get(
        f"/open-data/cases.{_fmt}",
        response={200: None, **ERRORS},
        summary=f"All cases as {_fmt.upper() if _fmt != 'geojson' else 'GeoJSON'}",
        description=DESCRIPTION,
    )(_operation(_fmt))
