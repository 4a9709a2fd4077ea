"""Triage of a whole Traffy export, without a database: one output row per input row.

Every format the importer reads is accepted. Rows are read in order, classified in chunks
(one matrix product per chunk), located with the shipped boundary files and routed with a
rule list; a row that cannot be read still gets its output row, with the reason in `error`,
so the output lines up with the input row for row.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pracha import csvsafe
from pracha.agencies.routing import Decision, Rule
from pracha.geo.bounds import CoordinateError
from pracha.geo.index import AreaIndex
from pracha.traffy.formats import Record
from pracha.traffy.reader import BadRow, TraffyFile
from pracha.triage.classifier import Classifier, Prediction
from pracha.triage.pipeline import Place, TriageResult, category_names, triage

COLUMNS = (
    "ticket_id",
    "categories",
    "scores",
    "district",
    "subdistrict",
    "agency",
    "needs_review",
    "province",
    "agency_code",
    "near_boundary",
    "routed_by",
    "model_version",
    "error",
    # Appended, as column order is a contract: the id as Pracha stores it ("2023-GHA47R"),
    # while `ticket_id` echoes the input's id cell exactly ("GHA47R").
    "stored_ticket_id",
    # Specialists invited beside the responsible agency (names, comma-separated).
    "co_agencies",
)
CHUNK = 2000


@dataclass
class BatchReport:
    rows: int = 0
    errors: int = 0
    needs_review: int = 0
    seconds: float = 0.0
    file_format: str = ""


def place_of(record: Record, index: AreaIndex) -> tuple[Place, str]:
    """The record's place from its point (else from its address) and any problem with it."""
    from_address = (
        Place(record.district, record.subdistrict, record.province, False, "address")
        if record.district
        else Place()
    )
    if record.lat is None or record.lon is None:
        return from_address, ""
    try:
        location = index.locate(record.lon, record.lat, record.address, record.district)
        return Place.of(location), ""
    except CoordinateError as exc:
        return from_address, f"point not used: {exc}"


def result_row(record: Record, result: TriageResult, error: str) -> list[str]:
    names = category_names()
    decision = result.decision
    return [
        record.source_ticket_id,
        ",".join(names.get(code, code) for code in result.categories),
        json.dumps(
            {names.get(c, c): round(s, 4) for c, s in result.scores.items()},
            ensure_ascii=False,
        ),
        result.place.district,
        result.place.subdistrict,
        decision.agency_name,
        "true" if result.needs_review else "false",
        result.place.province,
        decision.agency_code,
        "true" if result.place.near_boundary else "false",
        result.routed_by,
        result.model_version,
        error,
        record.ticket_id,
        ",".join(decision.co_agency_names),
    ]


def bad_row(row: BadRow) -> list[str]:
    cells = dict.fromkeys(COLUMNS, "")
    cells["ticket_id"] = row.source_ticket_id  # echoed as given, like a readable row's
    cells["needs_review"] = "true"
    cells["error"] = f"line {row.line}: {row.message}"
    return [cells[column] for column in COLUMNS]


def _chunks(items: Iterator[Record | BadRow], size: int) -> Iterator[list[Record | BadRow]]:
    chunk: list[Record | BadRow] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_batch(
    source: Path,
    target: Path,
    *,
    classifier: Classifier | None,
    index: AreaIndex,
    rules: Sequence[Rule],
    default_agency: tuple[str, str],
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Triage every row of `source` into the CSV `target` (written whole, or not at all)."""
    report = BatchReport()
    started = time.perf_counter()
    default_code, default_name = default_agency
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with (
            TraffyFile(source) as tickets,
            os.fdopen(handle, "w", encoding="utf-8", newline="") as out,
        ):
            report.file_format = tickets.format.name
            writer = csvsafe.writer(out)  # read by people: formulas in cells neutralised
            writer.writerow(COLUMNS)
            for chunk in _chunks(iter(tickets), CHUNK):
                records = [item for item in chunk if isinstance(item, Record)]
                predictions: list[Prediction | None] = (
                    list(classifier.predict([r.description for r in records]))
                    if classifier and records
                    else [None] * len(records)
                )
                predicted = dict(zip(map(id, records), predictions, strict=True))
                for item in chunk:
                    report.rows += 1
                    if isinstance(item, BadRow):
                        report.errors += 1
                        writer.writerow(bad_row(item))
                        continue
                    place, error = place_of(item, index)
                    result = triage(
                        given=(),
                        prediction=predicted[id(item)],
                        model_version=classifier.version if classifier else "",
                        place=place,
                        rules=rules,
                        default_agency=default_name,
                    )
                    if result.decision.rule is None:  # no rule: the default agency holds it
                        result = _to_default(result, default_code, default_name)
                    report.errors += bool(error)
                    report.needs_review += result.needs_review
                    writer.writerow(result_row(item, result, error))
                if progress is not None:
                    progress(report.rows)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    report.seconds = time.perf_counter() - started
    return report


def _to_default(result: TriageResult, code: str, name: str) -> TriageResult:
    from dataclasses import replace

    decision = result.decision
    return replace(result, decision=Decision(None, "", code, name, decision.invites))
