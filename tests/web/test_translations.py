"""The committed Thai and English catalogues are complete and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "src" / "pracha" / "locale"


def entries(po: Path) -> list[tuple[str, str]]:
    """(msgid, translation) pairs of a .po file (plural entries: the first form)."""
    text = po.read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            found.append(("FUZZY", ""))
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            join = lambda raw: "".join(re.findall(r'"(.*)"', raw))  # noqa: E731
            found.append((join(msgid.group(1)), join(msgstr.group(1))))
    return found


def test_every_thai_message_is_translated() -> None:
    missing = [
        msgid for msgid, text in entries(LOCALE / "th/LC_MESSAGES/django.po") if msgid and not text
    ]
    assert missing == []


def test_the_compiled_catalogues_are_committed_and_current() -> None:
    for language in ("th", "en"):
        po = LOCALE / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"run `pracha compilemessages` for {language}"
        assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is older than {po}"


@pytest.mark.django_db
def test_switching_language_with_the_header_form() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/report/"})
    assert response.status_code == 302 and response["Location"] == "/report/"
    page = client.get("/report/").content.decode()
    assert '<html lang="en">' in page
    assert "Report a problem" in page
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert '<html lang="th">' in client.get("/").content.decode()


def test_one_english_word_with_two_meanings_gets_two_thai_ones() -> None:
    """The project catalogue overrides the apps' ones, so a word that means two things is
    told apart by its context: a consultation's "Open" and "Closed" are about listening,
    the dashboard's "Open" column counts unfinished cases."""
    with translation.override("th"):
        assert translation.pgettext("consultation period", "Open") == "เปิดรับฟัง"
        assert translation.pgettext("consultation", "Closed") == "ปิดรับฟังแล้ว"
        assert translation.gettext("Open") == "ยังไม่เสร็จ"  # the dashboard's column
        assert translation.pgettext("test finished at", "Finished") == "ทำเสร็จเมื่อ"
        assert translation.gettext("Finished") == "เสร็จแล้ว"  # the public cases' filter
