"""The Traffy Fondue export formats: recognised by their header, read into one `Record` each.

format       what                                     coordinates             times
dump         teamchadchart dump (2022, 2023-05)       `coords` "lon,lat"      ISO, +00 (UTC)
dump-lonlat  the dump as copied for 2023-06           `longitude`,`latitude`  m/d/Y, Bangkok
export-2023  2023-11 export with organization_action  `Latitute` holds lon!   d/m/Y, Bangkok
api          API CSV with forwarding notes            "['lon', 'lat']"        ISO, +00 (UTC)
pending      2024 scrape of the waiting queue         none                    Thai, Buddhist era
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pracha.states import CLOSED_STATES, State, state_from_traffy
from pracha.thaitext import normalise_thai
from pracha.tickets import derived_ticket_id
from pracha.traffy import fields
from pracha.traffy.dates import DateError, local_year, parse_thai_datetime, parse_timestamp
from pracha.traffy.fields import FieldError

Row = dict[str, str]
BANGKOK = "กรุงเทพมหานคร"


class RowError(ValueError):
    """A row that cannot be imported; the message says which cell and why."""


@dataclass(slots=True)
class Record:
    """One ticket, whatever format it came in."""

    line: int
    ticket_id: str
    description: str
    labels: tuple[str, ...]
    agency_names: tuple[str, ...]
    note: str
    lat: float | None
    lon: float | None
    address: str
    subdistrict: str
    district: str
    province: str
    state: str
    stars: int | None
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    photos: tuple[tuple[str, str], ...]  # (kind: "before" | "after", as cases.Photo.Kind; url)
    # The id cell exactly as the file has it ("GHA47R"); `ticket_id` is the stored form.
    source_ticket_id: str = ""


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    columns: frozenset[str]  # all must be in the header
    read: Callable[[Row, int], Record]


def _when(row: Row, column: str, order: str) -> datetime | None:
    """An optional timestamp column; when present it must be readable."""
    text = row.get(column, "").strip()
    return _required(row, column, order) if text else None


def _required(row: Row, column: str, order: str) -> datetime:
    text = row.get(column, "").strip()
    if not text:
        raise RowError(f"{column} is empty")
    try:
        return parse_timestamp(text, order=order)
    except DateError as exc:
        raise RowError(f"{column}: {exc}") from exc


def _state(text: str) -> str:
    if not text.strip():
        return State.WAITING.value  # 49 rows of the 2022 dump: read as not yet taken up
    state = state_from_traffy(text)
    if state is None:
        raise RowError(f"unknown state {text.strip()!r}")
    return state.value


def _photos(before: str, after: str) -> tuple[tuple[str, str], ...]:
    found = (("before", before.strip()), ("after", after.strip()))
    return tuple((kind, url) for kind, url in found if url)


@dataclass(frozen=True)
class Common:
    """Cells every format has, already read; `_record` adds ids, times and places."""

    raw_id: str
    description: str
    coords_text: str  # as written, for the derived id of a row without one
    photo: str
    created: datetime
    created_text: str
    last: datetime | None
    finished: datetime | None
    state_text: str
    address: str
    subdistrict: str = ""
    district: str = ""
    province: str = ""


def _record(line: int, common: Common, **values: Any) -> Record:
    description = common.description.strip()
    state = _state(common.state_text)
    year = local_year(common.created)
    try:
        if common.raw_id.strip():
            ticket = fields.ticket_id(common.raw_id, year)
        else:
            # No id in the export: derive one from the content, so a re-import finds it again.
            ticket = derived_ticket_id(
                year, common.created_text.strip(), description, common.coords_text, common.photo
            )
    except FieldError as exc:
        raise RowError(str(exc)) from exc
    moments = (common.created, common.last, common.finished)
    updated = max(moment for moment in moments if moment is not None)
    closed = (common.finished or common.last or common.created) if state in CLOSED_STATES else None
    address = common.address.strip()
    sub, dist, prov = common.subdistrict, common.district, common.province
    if address and not (sub.strip() and dist.strip() and prov.strip()):
        # Exports without place columns (API CSV, 2024 scrape) name them in the address.
        found = fields.places_from_address(address)
        sub, dist, prov = (
            given if given.strip() else parsed
            for given, parsed in zip((sub, dist, prov), found, strict=True)
        )
    return Record(
        line=line,
        ticket_id=ticket,
        source_ticket_id=common.raw_id,
        description=description,
        address=address,
        subdistrict=normalise_thai(sub)[: fields.MAX_PLACE_CHARS],
        district=fields.district(dist),
        province=fields.province(prov),
        state=state,
        created_at=common.created,
        updated_at=updated,
        closed_at=closed,
        **values,
    )


Coords = Callable[[Row], tuple[str, float | None, float | None]]


def _dump(order: str, coords: Coords) -> Callable[[Row, int], Record]:
    """The dump's reader; the 2023 copies differ in date order and coordinate columns."""

    def read(row: Row, line: int) -> Record:
        coords_text, lat, lon = coords(row)
        common = Common(
            raw_id=row["ticket_id"],
            description=row["comment"],
            coords_text=coords_text,
            photo=row["photo"],
            created=_required(row, "timestamp", order),
            created_text=row["timestamp"],
            last=_when(row, "last_activity", order),
            finished=_when(row, "timestamp_finished", order),
            state_text=row["state"],
            address=row["address"],
            subdistrict=row["subdistrict"],
            district=row["district"],
            province=row["province"],
        )
        orgs = row["organization"] + "," + row.get("organization_action", "")
        return _record(
            line,
            common,
            labels=fields.labels(row["type"]),
            agency_names=fields.names(orgs),
            note="",
            lat=lat,
            lon=lon,
            stars=fields.stars(row["star"]),
            reopen_count=fields.count(row["count_reopen"]),
            photos=_photos(row["photo"], row["photo_after"]),
        )

    return read


def _columns(lon_column: str, lat_column: str) -> Coords:
    def coords(row: Row) -> tuple[str, float | None, float | None]:
        lon_text, lat_text = row[lon_column], row[lat_column]
        return f"{lon_text},{lat_text}", *fields.point(lon_text, lat_text)

    return coords


def _pair(row: Row) -> tuple[str, float | None, float | None]:
    return row["coords"], *fields.point_from_pair(row["coords"])


def _read_api(row: Row, line: int) -> Record:
    common = Common(
        raw_id=row["ticket_id"],
        description=row["description"],
        coords_text=row["coords"],
        photo=row["photo_url"],
        created=_required(row, "timestamp", "mdy"),
        created_text=row["timestamp"],
        last=_when(row, "last_activity", "mdy"),
        finished=None,
        state_text=row["state"],
        address=row["address"],
    )
    lat, lon = fields.point_from_pair(row["coords"])
    labels = fields.labels(row["type"]) or fields.labels(row.get("problem_type_abdul", ""))
    return _record(
        line,
        common,
        labels=labels,
        agency_names=fields.names(row["org"]),
        note=row["note"].strip(),
        lat=lat,
        lon=lon,
        stars=fields.stars(row["star"]),
        reopen_count=fields.count(row["count_reopen"]),
        photos=_photos(row["photo_url"], row["after_photo"]),
    )


def _thai_when(row: Row, date_column: str, time_column: str) -> datetime | None:
    if not row[date_column].strip():
        return None
    try:
        return parse_thai_datetime(row[date_column], row[time_column])
    except DateError as exc:
        raise RowError(f"{date_column}/{time_column}: {exc}") from exc


def _read_pending(row: Row, line: int) -> Record:
    created = _thai_when(row, "date", "time")
    if created is None:
        raise RowError("date is empty")
    agencies = fields.names(row["agency"])
    sub, dist, prov = fields.places_from_address(row["address"])
    if not dist and (dist := fields.district_of_offices(agencies)):
        prov = prov or BANGKOK  # a เขต office: Bangkok's districts are the only khet
    common = Common(
        raw_id=row["ticket_id"],
        description=row["description"],
        coords_text="",
        photo="",
        created=created,
        created_text=f"{row['date']} {row['time']}",
        # The scrape's last status change; the "forwarded" columns hold it whatever it was.
        last=_thai_when(row, "ForwardedDate", "ForwardedTime"),
        finished=None,
        state_text=row["status"],
        address=row["address"],
        subdistrict=sub,
        district=dist,
        province=prov,
    )
    return _record(
        line,
        common,
        labels=fields.labels(row["category"]),
        agency_names=agencies,
        note="",
        lat=None,
        lon=None,
        stars=None,
        reopen_count=0,
        photos=(),
    )


_DUMP_COLUMNS = {"ticket_id", "type", "organization", "comment", "photo", "photo_after"}
_DUMP_COLUMNS |= {"address", "subdistrict", "district", "province", "timestamp", "state"}
_DUMP_COLUMNS |= {"star", "count_reopen", "last_activity"}

# Checked in order: the first whose columns are all present wins.
FORMATS = (
    Format(
        "export-2023",
        "2023 export with organization_action (Latitute = longitude, day/month/year)",
        frozenset(_DUMP_COLUMNS | {"organization_action", "Latitute", "Longitude"}),
        # As published, `Latitute` holds the longitude and `Longitude` the latitude.
        _dump("dmy", _columns(lon_column="Latitute", lat_column="Longitude")),
    ),
    Format(
        "dump-lonlat",
        "teamchadchart dump with longitude/latitude columns (month/day/year)",
        frozenset(_DUMP_COLUMNS | {"longitude", "latitude"}),
        _dump("mdy", _columns(lon_column="longitude", lat_column="latitude")),
    ),
    Format(
        "dump",
        "teamchadchart dump (coords lon,lat)",
        frozenset(_DUMP_COLUMNS | {"coords"}),
        _dump("mdy", _pair),
    ),
    Format(
        "api",
        "Traffy API CSV (org, description, note)",
        frozenset(
            {"type", "org", "description", "ticket_id", "coords", "photo_url", "after_photo"}
            | {"address", "timestamp", "star", "count_reopen", "note", "state", "last_activity"}
        ),
        _read_api,
    ),
    Format(
        "pending",
        "2024 scrape of the waiting queue (Buddhist-era Thai dates)",
        frozenset(
            {"ticket_id", "date", "time", "status", "address", "description", "agency"}
            | {"category", "ForwardedDate", "ForwardedTime"}
        ),
        _read_pending,
    ),
)


def detect_format(header: list[str]) -> Format | None:
    columns = set(header)
    for fmt in FORMATS:
        if fmt.columns <= columns:
            return fmt
    return None


def read_row(fmt: Format, header: list[str], cells: list[str], line: int) -> Record:
    """One CSV record -> Record, or RowError saying why it cannot be imported."""
    if len(cells) != len(header):
        raise RowError(f"expected {len(header)} columns, found {len(cells)}")
    if any("\x00" in cell for cell in cells):
        cells = [cell.replace("\x00", "") for cell in cells]  # PostgreSQL refuses NUL in text
    try:
        return fmt.read(dict(zip(header, cells, strict=True)), line)
    except (FieldError, DateError) as exc:
        raise RowError(str(exc)) from exc
