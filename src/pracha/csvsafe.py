"""CSV for people: cells a spreadsheet would run as a formula are neutralised, and a BOM.

Citizens write the descriptions that reach open data and dashboards. Excel, LibreOffice and
Google Sheets run a cell starting with `=`, `+`, `-` or `@` (and a leading tab or carriage
return hides one) as a formula: `=HYPERLINK("http://evil", "click")` in a description became
a live link in cases.csv. As OWASP advises, such a text cell gets a leading single quote,
which spreadsheets show as plain text. Numbers are left alone: a negative coordinate or
difference stays a number, whether it arrives as a float or as text like "-3.5".

A UTF-8 byte-order mark (`BOM`) first is what makes Excel read Thai text as UTF-8 instead
of garbling it; machine readers parse it poorly, so it is only for downloads meant for people.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """`value`, with a quote in front if it is text a spreadsheet would run as a formula.

    Carriage returns become newlines: csv quotes a cell only for the characters of its line
    ending, so with "\n" lines a bare "\r" went out unquoted and split the row in readers.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeWriter:
    """csv.writer whose rows pass through `safe_row`: the one way Pracha writes CSV for people."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)
