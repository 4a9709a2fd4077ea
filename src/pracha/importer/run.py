"""Importing one file: read records, write them in batches, count what happened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

from pracha.importer.load import Loader
from pracha.traffy.formats import Record
from pracha.traffy.reader import BadRow, ImportFileError, TraffyFile

DEFAULT_BATCH_SIZE = 2000


@dataclass
class FileStats:
    name: str
    format: str
    read: int = 0  # CSV records, header and blank lines not counted
    imported: int = 0
    present: int = 0  # skipped: the ticket id is already stored
    bad: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def add(self, other: FileStats) -> None:
        self.read += other.read
        self.imported += other.imported
        self.present += other.present
        self.bad += other.bad
        self.seconds += other.seconds


def import_file(
    source: TraffyFile,
    loader: Loader,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_bad: Callable[[BadRow], None] = lambda bad: None,
    on_batch: Callable[[FileStats], None] = lambda stats: None,
) -> FileStats:
    stats = FileStats(source.name, source.format.name)
    started = perf_counter()
    batch: list[Record] = []

    def flush() -> None:
        if batch:
            result = loader.write(batch)
            stats.imported += result.imported
            stats.present += result.present
            batch.clear()
        stats.seconds = perf_counter() - started
        on_batch(stats)

    try:
        for item in source:
            stats.read += 1
            if isinstance(item, BadRow):
                stats.bad += 1
                on_bad(item)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
    except ImportFileError:
        flush()  # keep what was read before the damage
        raise
    flush()
    return stats
