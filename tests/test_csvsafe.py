"""pracha.csvsafe: the cell neutralisation every CSV for people goes through."""

from __future__ import annotations

import csv
import io

import pytest

from pracha.csvsafe import safe_cell, writer


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+66 81", "'+66 81"),
        ("-", "'-"),
        ("-cmd", "'-cmd"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\n=1"),  # a bare CR would split the row: it becomes a newline
        ("a\r\nb\rc", "a\nb\nc"),
        ("ถนน = หลุม", "ถนน = หลุม"),  # only the first character matters
        ("-12.5", "-12.5"),  # numbers written as text stay numbers
        ("+3", "+3"),
        ("-1e5", "-1e5"),
        (-12.5, -12.5),
        (0, 0),
        (None, None),
        ("", ""),
    ],
)
def test_safe_cell(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_the_writer_neutralises_every_row() -> None:
    out = io.StringIO()
    w = writer(out, lineterminator="\n")
    w.writerow(['=HYPERLINK("http://x")', -1.5, "ok"])
    w.writerows([["@x", "2"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ['\'=HYPERLINK("http://x")', "-1.5", "ok"],
        ["'@x", "2"],
    ]
