"""Labelled examples for training and evaluation, read with the importer's parsers.

Every Traffy export the importer understands can be a source of examples. Only tickets whose
labels resolve to the 24 categories count; a ticket with no label at all (`{}` in the 2022
dump, about 52,000 rows) is unlabelled, not "none of the 24", so it is left out rather than
taught as a negative for every category.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pracha.taxonomy.categories import category_code, category_codes, taxonomy_rows
from pracha.traffy.formats import Record
from pracha.traffy.reader import ImportFileError, TraffyFile
from pracha.triage.models import TriageCorrection


def all_codes() -> tuple[str, ...]:
    """The 24 category codes in taxonomy order: the columns of every score matrix."""
    return tuple(row["code"] for row in taxonomy_rows())


def canonical_names() -> frozenset[str]:
    return frozenset(row["name_th"] for row in taxonomy_rows())


class DataError(Exception):
    """Training or evaluation data that cannot be used; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class Example:
    ticket_id: str
    text: str
    codes: tuple[str, ...]
    created_at: datetime | None
    source: str


@dataclass
class Source:
    """One file read into examples, with what was left out and why."""

    name: str
    examples: list[Example] = field(default_factory=list)
    rows: int = 0
    unlabelled: int = 0  # no label, or only labels outside the 24 categories
    unreadable: int = 0
    label_count: int = 0
    renamed_label_count: int = 0  # labels that are a category under another (later) name

    @property
    def current_taxonomy(self) -> bool:
        """True when the file labels with the 24 categories (2022-23), not the later scheme.

        The 2023-11 and 2024 exports use a newer, coarser taxonomy: new names for some
        categories ("ไฟฟ้า", "ขยะ", "เสียง"), "อื่นๆ" for others, and no drains, canal or bridge,
        so a canal report there is labelled "others" and would teach the model that it is not
        about a canal. Such a file is recognised by its share of renamed labels.
        """
        return self.label_count > 0 and self.renamed_label_count <= 0.02 * self.label_count


def _count_labels(source: Source, labels: Sequence[str], canonical: frozenset[str]) -> None:
    source.label_count += len(labels)
    source.renamed_label_count += sum(
        1 for label in labels if label not in canonical and category_code(label) is not None
    )


def _example(record: Record, source: str) -> Example | None:
    codes, _unknown = category_codes(list(record.labels))
    if not codes or not record.description.strip():
        return None
    return Example(record.ticket_id, record.description, tuple(codes), record.created_at, source)


def read_traffy(path: Path, limit: int | None = None) -> Source:
    """Labelled examples of one Traffy export (any format the importer reads).

    `limit` stops after that many labelled examples (quick models for tests).
    """
    canonical = canonical_names()
    source = Source(path.name)
    try:
        with TraffyFile(path) as export:
            for item in export:
                source.rows += 1
                if not isinstance(item, Record):
                    source.unreadable += 1
                    continue
                _count_labels(source, item.labels, canonical)
                example = _example(item, path.name)
                if example is None:
                    source.unlabelled += 1
                else:
                    source.examples.append(example)
                    if limit is not None and len(source.examples) >= limit:
                        break
    except ImportFileError as exc:
        raise DataError(str(exc)) from exc
    return source


RELABELLED_TICKETS = "tickets.csv"
RELABELLED_TAGS = "assessments_formatted.csv"


def read_relabelled(folder: Path) -> Source:
    """The volunteers' re-labelled tickets: tickets.csv (id,content) + assessments_formatted.csv.

    Tags outside the 24 categories ("อื่นๆ", free custom tags) are ignored; the custom tags
    are kept only when one names a category (e.g. "แสงสว่าง").
    """
    tickets_path, tags_path = folder / RELABELLED_TICKETS, folder / RELABELLED_TAGS
    for path in (tickets_path, tags_path):
        if not path.is_file():
            raise DataError(f"{path}: not found (the relabelled set needs {path.name})")
    try:
        with tickets_path.open(encoding="utf-8-sig", newline="") as fh:
            texts = {row["id"].strip(): row["content"] for row in csv.DictReader(fh)}
        with tags_path.open(encoding="utf-8-sig", newline="") as fh:
            assessments = list(csv.DictReader(fh))
    except (KeyError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{folder}: not the relabelled set's format ({exc})") from exc
    source = Source(folder.name)
    canonical = canonical_names()
    for row in assessments:
        source.rows += 1
        tags = [row.get(f"defaultTag{i}", "") or "" for i in range(1, 6)]
        tags = [tag for tag in tags if tag.strip() not in {"", "-"}]
        _count_labels(source, tags, canonical)  # the custom tags are free text: not counted
        codes, _unknown = category_codes(tags + _custom_tags(row.get("customTags", "")))
        text = texts.get((row.get("ticketId") or "").strip(), "")
        if not codes or not text.strip():
            source.unlabelled += 1
            continue
        ticket = f"relabelled-{row['ticketId'].strip()}"
        source.examples.append(Example(ticket, text, tuple(codes), None, folder.name))
    return source


def _custom_tags(text: str) -> list[str]:
    try:
        tags = json.loads(text) if text.strip() else []
    except json.JSONDecodeError:
        return []
    return [tag for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else []


def default_sources(data_dir: Path) -> list[Path]:
    """The Traffy exports shipped in data/traffy/, in name order."""
    folder = data_dir / "traffy"
    paths = sorted(p for p in folder.glob("*.csv*") if p.is_file()) if folder.is_dir() else []
    if not paths:
        raise DataError(f"{folder}: no Traffy exports (*.csv, *.csv.gz) to learn from")
    return paths


def read_corrections() -> Source:
    """Officers' corrections stored in the database, as examples labelled by the officer.

    Needs the database; an installation without one (or not migrated yet) has none.
    """
    from django.db import DatabaseError

    source = Source("officer corrections")
    known = set(all_codes())
    try:
        rows = list(
            TriageCorrection.objects.order_by("created_at", "pk").values_list(
                "case__ticket_id", "text", "corrected", "created_at"
            )
        )
    except DatabaseError:
        return source
    latest: dict[str, Example] = {}  # a case corrected twice: the last word counts
    for ticket_id, text, corrected, created_at in rows:
        source.rows += 1
        codes = tuple(sorted(c for c in corrected or [] if c in known))
        if not codes or not text.strip():
            source.unlabelled += 1
            continue
        latest[ticket_id] = Example(ticket_id, text, codes, created_at, source.name)
    source.examples = list(latest.values())
    return source


def time_ordered(examples: Iterable[Example]) -> list[Example]:
    """Oldest first; ties (and examples without a time) keep their input order."""
    return sorted(examples, key=lambda e: (e.created_at is None, e.created_at or datetime.min))


def deduplicated(examples: Iterable[Example], exclude_texts: set[str]) -> list[Example]:
    """Drop repeats of a ticket id and texts that also appear in `exclude_texts` (held out)."""
    seen: set[str] = set()
    kept: list[Example] = []
    for example in examples:
        key = normalised_text(example.text)
        if example.ticket_id in seen or key in exclude_texts:
            continue
        seen.add(example.ticket_id)
        kept.append(example)
    return kept


def normalised_text(text: str) -> str:
    return " ".join(text.split()).casefold()
