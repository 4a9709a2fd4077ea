"""The category taxonomy: loaded from taxonomy.csv, resolved from codes, names and aliases."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from pracha.thaitext import normalise_thai

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.csv")


@cache
def taxonomy_rows() -> tuple[dict[str, str], ...]:
    with TAXONOMY_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _lookup() -> dict[str, str]:
    """Every accepted spelling (code, Thai name, English name, alias), folded -> code."""
    table: dict[str, str] = {}
    for row in taxonomy_rows():
        names = [row["code"], row["name_th"], row["name_en"], *row["aliases"].split("|")]
        for name in names:
            if name.strip():
                table[_fold(name)] = row["code"]
    return table


def _fold(name: str) -> str:
    return normalise_thai(name).casefold()


def category_code(name: str) -> str | None:
    """The code for a category given by code, Thai or English name or alias; None if unknown."""
    return _lookup().get(_fold(name))


def category_codes(names: list[str]) -> tuple[list[str], list[str]]:
    """Resolve names to codes (deduplicated, in order); also return the ones not recognised."""
    codes: list[str] = []
    unknown: list[str] = []
    for name in names:
        code = category_code(name)
        if code is None:
            if name.strip():
                unknown.append(name)
        elif code not in codes:
            codes.append(code)
    return codes, unknown
