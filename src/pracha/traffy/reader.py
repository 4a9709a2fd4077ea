"""Opening an export (plain or gzip), recognising its format, and reading it row by row."""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from pracha.traffy.formats import Format, Record, RowError, detect_format, read_row

# Descriptions can be long; the csv module's default 128 KiB cap would reject a real row.
csv.field_size_limit(16 * 1024 * 1024)

GZIP_MAGIC = b"\x1f\x8b"


class ImportFileError(Exception):
    """A file that cannot be imported at all (unreadable, not CSV, unknown header)."""


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int  # the physical line on which the CSV record starts
    message: str
    # The row's id cell as written, when it could be read: `pracha triage` echoes it, so a
    # refused row can still be matched to its input row by id, not only by line.
    source_ticket_id: str = ""


class TraffyFile:
    """An open export. Iterating yields a Record or a BadRow per CSV record, in file order."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        try:
            self.size = self.path.stat().st_size
            self._raw: BinaryIO = self.path.open("rb")
        except OSError as exc:
            raise ImportFileError(f"{self.path}: cannot open ({exc.strerror or exc})") from exc
        try:
            self._text = self._open_text()
            self._csv = csv.reader(self._text)
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        fmt = detect_format(self.header)
        if fmt is None:
            self.close()
            shown = " ".join(",".join(self.header[:8]).split())[:200]
            raise ImportFileError(
                f"{self.path}: not a known Traffy Fondue export (header: {shown}). Known "
                "formats: dump, dump with longitude/latitude, 2023 export, API CSV, 2024 "
                "pending scrape; see data/README.md"
            )
        self.format: Format = fmt

    def _open_text(self) -> io.TextIOWrapper:
        # Sniff the magic number rather than trust the name: `.csv` files that are gzipped
        # (and the reverse) turn up when exports are passed around.
        binary: BinaryIO | gzip.GzipFile = self._raw
        if self._raw.read(2) == GZIP_MAGIC:
            binary = gzip.GzipFile(fileobj=self._raw, mode="rb")
        self._raw.seek(0)
        # utf-8-sig: spreadsheet programs put a byte-order mark before the first column name.
        return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")

    def _read_header(self) -> list[str]:
        try:
            header = next(self._csv)
        except StopIteration:
            raise ImportFileError(f"{self.path}: the file is empty") from None
        except (UnicodeDecodeError, csv.Error, OSError, EOFError, zlib.error) as exc:
            raise ImportFileError(f"{self.path}: not a readable UTF-8 CSV file ({exc})") from exc
        return [column.strip() for column in header]

    def position(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for gzip), for progress."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def __iter__(self) -> Iterator[Record | BadRow]:
        reader = self._csv
        while True:
            start = reader.line_num + 1  # line_num counts lines read so far, header included
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a NUL byte; the reader carries on after it
                yield BadRow(start, f"unreadable CSV: {exc}")
                continue
            except (UnicodeDecodeError, OSError, EOFError, zlib.error) as exc:
                raise ImportFileError(
                    f"{self.name}:{start}: the file is damaged from here on ({exc})"
                ) from exc
            if not cells:
                continue  # a blank line is not a record
            try:
                yield read_row(self.format, self.header, cells, start)
            except RowError as exc:
                yield BadRow(start, str(exc), self._id_cell(cells))

    def _id_cell(self, cells: list[str]) -> str:
        """The `ticket_id` cell of a row (every known format has the column), if present."""
        try:
            return cells[self.header.index("ticket_id")]
        except (ValueError, IndexError):
            return ""

    def close(self) -> None:
        if hasattr(self, "_text"):
            self._text.close()
        self._raw.close()

    def __enter__(self) -> TraffyFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
