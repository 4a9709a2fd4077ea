"""Open data: every case, as CSV, GeoJSON or Parquet, streamed, without personal data.

Left out on purpose: the reporter's name, phone and e-mail (kept in ReporterContact, never
read here), every timeline note (staff-only ones included), photos (faces, plates) and the
idempotency key. Personal data typed into the description or address (phone numbers, national
ID numbers, e-mail addresses, licence plates) is masked with pracha.audit's
`mask_personal_data`. Rows are read in id order, a few thousand at a time: memory stays flat
however many cases there are. Columns: docs/open-data.md.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Exists, OuterRef, QuerySet

from pracha import csvsafe
from pracha.agencies.models import Agency
from pracha.cases.categories import codes_by_case
from pracha.cases.models import Case, Category
from pracha.insights.store.facts import local_zone
from pracha.insights.store.query import Filters
from pracha.masking.personal_data import mask_personal_data
from pracha.states import CLOSED_STATES, State

CHUNK = 2000
COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("ticket_id", pa.string()),
    ("reported_at", pa.string()),
    ("updated_at", pa.string()),
    ("closed_at", pa.string()),
    ("state", pa.string()),
    ("state_th", pa.string()),
    ("status", pa.string()),
    ("categories", pa.string()),
    ("categories_th", pa.string()),
    ("description", pa.string()),
    ("address", pa.string()),
    ("subdistrict", pa.string()),
    ("district", pa.string()),
    ("province", pa.string()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("agency", pa.string()),
    ("agency_th", pa.string()),
    ("stars", pa.int8()),
    ("reopen_count", pa.int32()),
    ("me_too_count", pa.int32()),
    ("forward_count", pa.int32()),
    ("hours_to_close", pa.float64()),
    ("source", pa.string()),
)
NAMES = tuple(name for name, _ in COLUMNS)
FIELDS = (
    "id", "ticket_id", "created_at", "updated_at", "closed_at", "state", "description",
    "address", "subdistrict", "district", "province", "lat", "lon", "agency_id", "stars",
    "reopen_count", "me_too_count", "forward_count", "source",
)  # fmt: skip
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class Selection:
    filters: Filters
    first: datetime | None = None
    last: datetime | None = None  # exclusive


def selection(filters: Filters, first_day: Any = None, last_day: Any = None) -> Selection:
    zone = local_zone()
    first = datetime.combine(first_day, time.min, zone) if first_day else None
    last = datetime.combine(last_day + timedelta(days=1), time.min, zone) if last_day else None
    return Selection(filters, first, last)


def _cases(sel: Selection) -> QuerySet[Case]:
    cases = Case.objects.all()
    f = sel.filters
    if sel.first:
        cases = cases.filter(created_at__gte=sel.first)
    if sel.last:
        cases = cases.filter(created_at__lt=sel.last)
    if f.state:
        cases = cases.filter(state=f.state)
    if f.district is not None:
        cases = cases.filter(district=f.district)
    if f.agency is not None:  # 0: no agency (agency_id=None is the same IS NULL)
        cases = (
            cases.filter(agency_id=f.agency) if f.agency else cases.filter(agency_id__isnull=True)
        )
    if f.category:
        through = Case.categories.through.objects.filter(case_id=OuterRef("pk"))
        if f.category == "-":
            cases = cases.exclude(Exists(through))
        else:
            cases = cases.filter(Exists(through.filter(category__code=f.category)))
    return cases


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(local_zone()).isoformat(timespec="seconds") if moment else None


def records(sel: Selection) -> Iterator[list[dict[str, Any]]]:
    """Chunks of export rows, in ticket order of storage (id), never all at once."""
    agencies = {
        pk: (code, th) for pk, code, th in Agency.objects.values_list("pk", "code", "name_th")
    }
    names = dict(Category.objects.values_list("code", "name_th"))
    base = _cases(sel).order_by("pk").values(*FIELDS)
    last = 0
    while True:
        chunk = list(base.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]["id"]
        codes = codes_by_case(c["id"] for c in chunk)
        yield [_row(c, codes.get(c["id"], []), agencies, names) for c in chunk]


def _row(c: dict[str, Any], codes: list[str], agencies: dict, names: dict) -> dict[str, Any]:
    closed = c["state"] in CLOSED_STATES
    hours = None
    if closed and c["closed_at"]:
        hours = round(max(0.0, (c["closed_at"] - c["created_at"]).total_seconds() / 3600), 2)
    agency = agencies.get(c["agency_id"], (None, None))
    try:
        state_th = State(c["state"]).label
    except ValueError:
        state_th = c["state"]
    return {
        "ticket_id": c["ticket_id"],
        "reported_at": _iso(c["created_at"]),
        "updated_at": _iso(c["updated_at"]),
        "closed_at": _iso(c["closed_at"]) if closed else None,
        "state": c["state"],
        "state_th": state_th,
        "status": "closed" if closed else "open",
        "categories": "|".join(codes),
        "categories_th": "|".join(names.get(code, code) for code in codes),
        "description": mask_personal_data(c["description"]),
        "address": mask_personal_data(c["address"]),
        "subdistrict": c["subdistrict"],
        "district": c["district"],
        "province": c["province"],
        "lat": round(c["lat"], 6) if c["lat"] is not None else None,
        "lon": round(c["lon"], 6) if c["lon"] is not None else None,
        "agency": agency[0],
        "agency_th": agency[1],
        "stars": c["stars"],
        "reopen_count": c["reopen_count"],
        "me_too_count": c["me_too_count"],
        "forward_count": c["forward_count"],
        "hours_to_close": hours,
        "source": c["source"],
    }


def as_csv(sel: Selection, *, bom: bool = False) -> Iterator[bytes]:
    """Text cells a spreadsheet would run as formulas are neutralised (pracha.csvsafe);
    `bom` starts the file with a byte-order mark so that Excel reads the Thai as UTF-8."""
    buffer = io.StringIO()
    if bom:
        buffer.write(csvsafe.BOM)
    writer = csvsafe.writer(buffer, lineterminator="\n")
    writer.writerow(NAMES)
    for chunk in records(sel):
        for row in chunk:
            writer.writerow(["" if row[n] is None else row[n] for n in NAMES])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode()


def as_geojson(sel: Selection) -> Iterator[bytes]:
    yield b'{"type": "FeatureCollection", "features": ['
    first = True
    for chunk in records(sel):
        parts = []
        for row in chunk:
            geometry = None
            if row["lat"] is not None and row["lon"] is not None:
                geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
            feature = {"type": "Feature", "id": row["ticket_id"], "geometry": geometry,
                       "properties": row}  # fmt: skip
            parts.append(json.dumps(feature, ensure_ascii=False))
        text = ",\n".join(parts)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]}\n"


class _Sink(io.RawIOBase):
    """A write-only file that hands over what was written so far."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.position

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


SCHEMA = pa.schema(list(COLUMNS))


ROW_GROUP = 50_000


def as_parquet(sel: Selection) -> Iterator[bytes]:
    """Row groups of 50,000 cases; bytes leave as soon as each group is written."""
    sink = _Sink()
    writer = pq.ParquetWriter(sink, SCHEMA, compression="zstd")
    pending: list[dict[str, Any]] = []
    try:
        for chunk in records(sel):
            pending.extend(chunk)
            if len(pending) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(pending, schema=SCHEMA))
                pending = []
                yield sink.take()
        if pending or not writer.is_open:
            writer.write_table(pa.Table.from_pylist(pending, schema=SCHEMA))
    finally:
        writer.close()
    yield sink.take()


# Callable[...]: only as_csv takes `bom`.
WRITERS: dict[str, Callable[..., Iterator[bytes]]] = {
    "csv": as_csv,
    "geojson": as_geojson,
    "parquet": as_parquet,
}
