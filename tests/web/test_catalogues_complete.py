"""Every .po of the project is complete, and holds every message the code and templates use.

A message without a Thai translation shows English on a Thai page (as "Time lost per hop
(mean)" once did on the dashboard), so an empty or fuzzy `msgstr` fails here, and so does a
`{% translate %}` or `_()` added without running `pracha makemessages`.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

SRC = Path(__file__).resolve().parents[2] / "src" / "pracha"
THAI = re.compile(r"[\u0e00-\u0e7f]")


def catalogues() -> list[Path]:
    return sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


def _unquote(raw: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', raw))


def entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, first msgstr, fuzzy) of each live entry; the header and obsolete (#~) skipped."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        text = "\n".join(lines)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', text, re.M)
        if not (msgid and msgstr):
            continue
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', text, re.M)
        key = _unquote(msgid.group(1))
        if key:
            key = f"{_unquote(context.group(1))}\x04{key}" if context else key
            fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
            found.append((key, _unquote(msgstr.group(1)), fuzzy))
    return found


def untranslated(po: Path) -> list[str]:
    """Thai catalogues: every message needs a translation. English ones: the Thai messages
    (English messages are shown as written)."""
    thai = po.parts[-3] == "th"
    return [
        msgid
        for msgid, text, fuzzy in entries(po)
        if fuzzy or (not text and (thai or THAI.search(msgid)))
    ]


def test_there_are_catalogues() -> None:
    names = {str(po.relative_to(SRC)) for po in catalogues()}
    assert {"locale/th/LC_MESSAGES/django.po", "locale/en/LC_MESSAGES/django.po"} <= names
    assert "insights/locale/th/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_message_is_left_untranslated_or_fuzzy(po: Path) -> None:
    assert untranslated(po) == [], f"translate these in {po} and run compilemessages"


def test_an_empty_or_fuzzy_entry_is_caught(tmp_path: Path) -> None:
    po = tmp_path / "th" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: th\\n"\n\n'
        'msgid "Done"\nmsgstr "เสร็จ"\n\n'
        'msgid "Time lost per hop (mean)"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "%(n)s cases"\nmsgstr "%(n)s เรื่อง"\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    assert untranslated(po) == ["Time lost per hop (mean)", "%(n)s cases"]


@pytest.mark.slow
def test_every_message_in_the_code_is_in_the_catalogues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    """Extract the messages as `pracha makemessages` does, into a copy without catalogues,
    and compare with the committed ones (each app's locale folder gets its own)."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "pracha"
    shutil.copytree(
        SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.po", "*.mo")
    )
    settings.LOCALE_PATHS = [copy / "locale"]  # type: ignore[attr-defined]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["th"], verbosity=0)
    missing = {}
    for committed in catalogues():
        extracted = copy / committed.relative_to(SRC).parent.parent.parent / "th/LC_MESSAGES"
        have = {msgid for msgid, _text, _fuzzy in entries(committed)}
        needed = {msgid for msgid, _text, _fuzzy in entries(extracted / "django.po")}
        if lacking := sorted(needed - have):
            missing[str(committed.relative_to(SRC))] = lacking
    assert missing == {}, "run `pracha makemessages -l th -l en` (from src/pracha) and translate"
