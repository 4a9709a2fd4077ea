"""Masking personal data inside public text: Thai phone numbers, national ID numbers (only
those whose check digit is right), e-mail addresses and vehicle licence plates.

`mask_personal_data(text)` is what public pages, the API and open data call; templates use
`{% load privacy %}{{ text|mask_pii }}`. Thai digits (๐-๙) are recognised like 0-9.
The patterns are tuned on data/privacy/masking_*.jsonl
(`pracha privacy evaluate-masking` prints precision and recall).

Disguises are seen through: the text is first folded (NFKC outside the Thai block, every
decimal digit to 0-9, zero-width marks dropped), then digit groups joined by spaces, dashes,
dots or underscores ("0 8 1 2 ...", "081_234_5678", "1.2345.67890.12.1") are read as one
number, and e-mails are also read with spaced or spelled-out "@" and "." ("[at]", "(dot)",
"แอท", "ดอท"). Findings are mapped back to the original text, so only the disguised span is
replaced and every other character stays exactly as the citizen wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from pracha.masking.words import (
    AMBIGUOUS_PROVINCES,
    AT_WORDS,
    COMMON_TWO_CONSONANT_WORDS,
    DOT_WORDS,
    MONTHS,
    PLATE_CUES,
    PROVINCE_SHORT_FORMS,
    PROVINCES,
    STRONG_PLATE_CUES,
    THAI_AT_WORDS,
    THAI_DOT_WORDS,
    UNITS,
)

LABELS = {
    "phone": "[เบอร์โทร]",
    "national_id": "[เลขบัตรประชาชน]",
    "email": "[อีเมล]",
    "plate": "[ทะเบียนรถ]",
}
KINDS = tuple(LABELS)
# Earlier kinds win when two findings overlap.
PRIORITY = {"email": 0, "national_id": 1, "phone": 2, "plate": 3}

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_THAI = "\u0e00-\u0e7f"
_CONSONANT = "[\u0e01-\u0e2e]"

# Not inside a longer number: no digit or '+' before, nor a digit then '.' or ',' (decimals).
_START = r"(?<![\d+])(?<!\d[.,])"
_END = r"(?!\d)(?![.,]\d)"
# One separator between digit groups: a dash or dot (spaces around allowed), or a space.
_SEP = r"(?:[ \t]?[-.][ \t]?|[ \t])?"
_INTL = r"(?:\+66|\(\+66\)|\+ 66)[ \t-]?(?:\(0\)[ \t]?)?"

_PHONE = re.compile(
    _START
    + "(?:"
    + "|".join(
        [
            # mobile: 06/08/09 + 8 digits, grouped 3-3-4, 2-4-4 or 3-7
            rf"0[689]\d{_SEP}\d{{3}}{_SEP}\d{{4}}",
            rf"0[689]{_SEP}\d{{4}}{_SEP}\d{{4}}",
            rf"0[689]\d{_SEP}\d{{7}}",
            # mobile in international form: +66 81 234 5678, 66812345678
            rf"{_INTL}[689]\d{_SEP}\d{{3}}{_SEP}\d{{4}}",
            rf"{_INTL}[689]{_SEP}\d{{4}}{_SEP}\d{{4}}",
            r"66[689]\d{8}",
            # area code in brackets: (081) 234-5678, (02) 123-4567
            rf"\(0[689]\d\)[ \t]?\d{{3}}{_SEP}\d{{4}}",
            rf"\(02\)[ \t]?\d{{3}}{_SEP}\d{{4}}",
            # Bangkok landline 02-123-4567, provincial 053-123-456
            rf"02{_SEP}\d{{3}}{_SEP}\d{{4}}",
            rf"02{_SEP}\d{{7}}",
            rf"0[3-7]\d{_SEP}\d{{3}}{_SEP}\d{{3}}",
            rf"0[3-7]\d{_SEP}\d{{6}}",
            rf"{_INTL}2{_SEP}\d{{3}}{_SEP}\d{{4}}",
            rf"{_INTL}[3-7]\d{_SEP}\d{{3}}{_SEP}\d{{3}}",
        ]
    )
    + ")"
    + _END
)

_ID_SEP = r"[ \t-]?"
_NATIONAL_ID = re.compile(
    rf"{_START}(?<![A-Za-z])[1-8]{_ID_SEP}\d{{4}}{_ID_SEP}\d{{5}}{_ID_SEP}\d{{2}}{_ID_SEP}\d{_END}"
)

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

_PROVINCE = (
    "(?:"
    + "|".join(re.escape(p) for p in sorted([*PROVINCES, *PROVINCE_SHORT_FORMS], key=len)[::-1])
    + ")"
)
_PROVINCE_TAIL = rf"(?P<province>[ \t]*(?:จังหวัด|จ\.)?[ \t]*{_PROVINCE})?"
# Candidates may start anywhere (lookahead), so a plate glued to a cue word is still seen.
_PLATE = re.compile(
    r"(?=(?P<plate>"
    + rf"(?:(?P<lead>[1-9])[ \t]?)?(?P<letters>{_CONSONANT}{{1,3}})"
    + r"(?:"
    + rf"[ \t]*-?[ \t]*(?P<number>\d{{1,4}})(?![\d/:])(?![.,-]\d){_PROVINCE_TAIL}"
    + rf"|[ \t]+(?P<mid_province>{_PROVINCE})[ \t]+(?P<number2>\d{{1,4}})(?![\d/:])(?![.,]\d)"
    + r")))"
)
# Trucks, buses and vans carry numeric plates ("70-1234"); only trusted after a cue word.
_NUMERIC_PLATE = re.compile(
    r"(?<![\d\w.,/-])(?P<plate>[1-9]\d-\d{4})(?![\d/:-])(?![.,]\d)" + _PROVINCE_TAIL
)
_YEAR = re.compile(r"25\d\d|20\d\d|[4-9]\d")
_BUS_WORD = "สาย"
_NEXT_PLATE = re.compile(rf"{_CONSONANT}{{1,3}}[ \t]*-?[ \t]*\d")
_UNIT = re.compile(r"[ \t]*(?:" + "|".join(re.escape(u) for u in UNITS) + ")")

# --- folding disguises -----------------------------------------------------------------------

# Characters kept as they are: ASCII and the Thai block (NFKC would split SARA AM, which the
# plate word lists spell whole). Thai digits are translated beforehand, keeping positions.
_FOREIGN = re.compile(r"[^\x00-\x7f\u0e00-\u0e7f]")
# Look-alikes NFKC leaves alone: invisible marks are dropped, dashes and dots become ASCII.
_LOOKALIKES = {
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u3002\uff61", "."),
}


@dataclass(frozen=True)
class _Folded:
    """The text matched against, and where each of its characters came from."""

    text: str
    origin: list[int] | None  # index in the original of each character; None: the same

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    if char.isdecimal():  # full-width, Arabic-Indic, mathematical ... digits
        return str(unicodedata.decimal(char))
    return unicodedata.normalize("NFKC", char)


def _fold(text: str) -> _Folded:
    """`text` with disguising characters folded; one pass, so linear in its length."""
    plain = text.translate(_THAI_DIGITS)  # same length, so positions carry over
    pieces: list[str] = []
    origin: list[int] = []
    position, same_length = 0, True
    for match in _FOREIGN.finditer(plain):
        at = match.start()
        folded = _fold_char(plain[at])
        if folded == plain[at]:
            continue
        same_length = same_length and len(folded) == 1
        pieces += [plain[position:at], folded]
        origin += [*range(position, at), *[at] * len(folded)]
        position = at + 1
    if not pieces:
        return _Folded(plain, None)
    pieces.append(plain[position:])
    origin += range(position, len(plain))
    return _Folded("".join(pieces), None if same_length else origin)


# --- numbers split into groups ---------------------------------------------------------------

_DIGIT_GROUP = re.compile(r"[0-9]+")
# What may stand between two groups of one number: one or two spaces, or a dash, dot or
# underscore with a space either side at most. Not "/" or ",": dates and prices use them.
_GAP = re.compile(r"[ \t]{1,2}|[ \t]?[-._][ \t]?")
_PHONE_DIGITS = re.compile(r"0[689]\d{8}|0[2-7]\d{7}|66[689]\d{8}|66[2-7]\d{7}")
_ID_GROUPS = [1, 4, 5, 2, 1]
_LONGEST_NUMBER = 13  # a national ID


def _digit_runs(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of two or more digit groups with only a separator between neighbours."""
    run: list[re.Match[str]] = []
    for group in _DIGIT_GROUP.finditer(text):
        if run and _GAP.fullmatch(text, run[-1].end(), group.start()):
            run.append(group)
            continue
        if len(run) > 1:
            yield run
        run = [group]
    if len(run) > 1:
        yield run


def _gap_kind(text: str, left: re.Match[str], right: re.Match[str]) -> str:
    return text[left.end() : right.start()].strip(" \t") or " "


def _uniform_parts(text: str, run: list[re.Match[str]]) -> Iterator[list[re.Match[str]]]:
    """The run itself, and, when its separators differ, each stretch using one separator:
    "บ้าน 45 081_234_5678" holds the number "081_234_5678"."""
    yield run
    kinds = [_gap_kind(text, left, right) for left, right in pairwise(run)]
    if len(set(kinds)) == 1:
        return
    first = 0
    for at in range(1, len(kinds) + 1):
        if at == len(kinds) or kinds[at] != kinds[at - 1]:
            yield run[first : at + 1]
            first = at


def _split_number_kind(text: str, groups: list[re.Match[str]]) -> tuple[str, int] | None:
    """("phone" or "national_id", start) when the groups spell one, else None."""
    if len(groups) > _LONGEST_NUMBER:
        return None
    digits = "".join(g.group() for g in groups)
    sizes = [len(g.group()) for g in groups]
    start, end = groups[0].start(), groups[-1].end()
    if start >= 2 and text[start - 1] in ".," and text[start - 2].isdigit():
        return None  # the tail of a decimal or a price
    if text[end : end + 1] in (".", ",") and text[end + 1 : end + 2].isdigit():
        return None
    spelled = all(size == 1 for size in sizes)
    if len(digits) == _LONGEST_NUMBER and (spelled or sizes == _ID_GROUPS):
        before = text[start - 1 : start]
        if thai_id_is_valid(digits) and not (before.isascii() and before.isalpha()):
            return "national_id", start
        return None
    if not _PHONE_DIGITS.fullmatch(digits):
        return None
    international = digits.startswith("66")
    if text[start - 1 : start] == "+":
        if not international:
            return None  # pass-one rule: a number after "+" is not a Thai 0-number
        start -= 1
    grouped = 2 <= len(sizes) <= 4 and min(sizes[1:]) >= 2  # a lone first group is the 0
    spelled_after_66 = international and sizes[0] == 2 and all(s == 1 for s in sizes[1:])
    return ("phone", start) if spelled or grouped or spelled_after_66 else None


def _split_numbers(text: str) -> list[Found]:
    found = []
    for run in _digit_runs(text):
        for groups in _uniform_parts(text, run):
            kind = _split_number_kind(text, groups)
            if kind is not None:
                found.append(Found(kind[0], kind[1], groups[-1].end(), ""))
    return found


# --- e-mails with spaced or spelled-out "@" and "." ----------------------------------------


def _spelled(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


def _bracketed(words: tuple[str, ...]) -> str:
    return rf"[\[({{<][ \t]{{0,2}}(?i:{_spelled(words)})[ \t]{{0,2}}[\])}}>]"


_SPACES = r"[ \t]{0,3}"
_SPELLED_AT = (
    rf"(?:{_SPACES}(?:@|{_bracketed(AT_WORDS)}|{_spelled(THAI_AT_WORDS)}){_SPACES}"
    r"|[ \t]{1,3}(?i:at)[ \t]{1,3})"
)
_SPELLED_DOT = (
    rf"(?:{_SPACES}(?:\.|{_bracketed(DOT_WORDS)}|{_spelled(THAI_DOT_WORDS)}){_SPACES}"
    r"|[ \t]{1,3}(?i:dot)[ \t]{1,3})"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
_SPELLED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*(?P<at>{_SPELLED_AT})"
    rf"(?P<domain>{_LABEL}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}[A-Za-z]{{2,24}})"
    r"(?![A-Za-z0-9\-])"
)
_NOT_A_PLAIN_DOT = re.compile(rf"(?i:dot)|{_spelled(THAI_DOT_WORDS)}|[\[({{<]")


def _spelled_emails(text: str) -> list[Found]:
    found = []
    for match in _SPELLED_EMAIL.finditer(text):
        plain_at = match["at"].strip(" \t").lower() == "at"
        if plain_at and not _NOT_A_PLAIN_DOT.search(match["domain"]):
            continue  # "at Siam.Square": English prose, unless "dot" is spelled out too
        found.append(Found("email", match.start(), match.end(), ""))
    return found


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int
    text: str


def thai_id_is_valid(number: str) -> bool:
    """A 13-digit Thai national ID whose last digit is the check digit (mod 11)."""
    digits = [int(ch) for ch in number.translate(_THAI_DIGITS) if ch.isdigit()]
    if len(digits) != 13 or digits[0] == 0:
        return False
    total = sum(d * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == digits[12]


def _plate_ok(text: str, match: re.Match[str]) -> tuple[bool, bool]:
    """Whether a candidate is a plate, and whether its province belongs to it."""
    start, letters = match.start("plate"), match["letters"]
    number_end = match.end("number") if match["number"] else match.end("number2")
    if _NEXT_PLATE.match(text, number_end):
        return False, False  # the digit leads the next plate: "รถ 7กฉ 2345"
    province = _province_of(match)
    strong, weak = _cues(text, start)
    prev = text[start - 1] if start else ""
    prev2 = text[start - 2] if start > 1 else ""
    abbreviation = prev == "." and bool(re.match(rf"[{_THAI}]", prev2))  # "ธ.ค. 63"
    clean_left = not prev or not re.match(rf"[{_THAI}A-Za-z0-9]", prev)
    if abbreviation or not (clean_left or weak) or _after_bus_word(text, start):
        return False, False
    glued_right = bool(re.match(rf"[{_THAI}]", text[number_end : number_end + 1]))
    if strong:
        return True, province
    if len(letters) != 2 or glued_right:
        return False, False
    number = match["number"] or match["number2"]
    if letters in MONTHS and _YEAR.fullmatch(number):
        return False, False  # "6พย2562" is a date
    if match["lead"] and match.start("letters") == start + 1:
        return True, province  # "1กข 1234": a digit glued to two letters is a plate
    if letters in COMMON_TWO_CONSONANT_WORDS:
        return False, False
    if match.end("letters") == match.start("number"):
        return False, False  # "จส100", "ปอ48": brand names and bus lines, unless a cue says so
    if province:
        return True, True
    return not _UNIT.match(text, number_end), False


def _after_bus_word(text: str, start: int) -> bool:
    """Whether สาย ("line": "สาย ปอ 8" is a bus) comes just before `start`, spaces between.

    Looks back over the spaces only, never at the text before them: a search of everything
    before each candidate made masking quadratic in the length of the text.
    """
    end = start
    while end > 0 and text[end - 1] in " \t":
        end -= 1
    return text.endswith(_BUS_WORD, 0, end)


def _province_of(match: re.Match[str]) -> bool:
    """A province name after (or inside) the plate, unless it is also an everyday word."""
    groups = match.groupdict()
    name = groups.get("province") or groups.get("mid_province") or ""
    bare = name.strip(" \t")
    if not bare:
        return False
    return not (bare in AMBIGUOUS_PROVINCES and not bare.startswith(("จ.", "จังหวัด")))


def _cues(text: str, start: int) -> tuple[bool, bool]:
    """(a word like ทะเบียน, any vehicle word) just before `start`."""
    before = text[max(0, start - 14) : start].rstrip(" \t:(")
    strong = any(before.endswith(word) for word in STRONG_PLATE_CUES)
    return strong, strong or any(before.endswith(word) for word in PLATE_CUES)


def _plates(text: str) -> list[Found]:
    found = []
    for m in _NUMERIC_PLATE.finditer(text):
        if _cues(text, m.start())[1]:
            end = m.end() if _province_of(m) else m.end("plate")
            found.append(Found("plate", m.start(), end, text[m.start() : end]))
    for match in _PLATE.finditer(text):
        ok, with_province = _plate_ok(text, match)
        if not ok:
            continue
        start = match.start("plate")
        end = match.end("plate") if with_province else match.end("number")
        if match["mid_province"] and not with_province:
            continue
        found.append(Found("plate", start, end, text[start:end]))
    return found


def find_personal_data(text: str) -> list[Found]:
    """Every piece of personal data found, in order, without overlaps."""
    if not text:
        return []
    folded = _fold(text)
    candidates = []
    for found in _candidates(folded.text):
        start, end = folded.original_span(found.start, found.end)
        candidates.append(Found(found.kind, start, end, text[start:end]))
    candidates.sort(key=lambda f: (PRIORITY[f.kind], f.start, -(f.end - f.start)))
    # Chosen findings never overlap, so kept in order of start only the neighbours of a
    # candidate can overlap it (comparing it with every finding was quadratic).
    chosen: list[Found] = []
    starts: list[int] = []
    for found in candidates:
        at = bisect_right(starts, found.start)
        if at and chosen[at - 1].end > found.start:
            continue
        if at < len(chosen) and found.end > chosen[at].start:
            continue
        chosen.insert(at, found)
        starts.insert(at, found.start)
    return chosen


def _candidates(plain: str) -> list[Found]:
    """Possibly overlapping findings in folded text (their `text` is left empty)."""
    candidates = [Found("email", m.start(), m.end(), "") for m in _EMAIL.finditer(plain)]
    candidates += _spelled_emails(plain)
    for match in _NATIONAL_ID.finditer(plain):
        if thai_id_is_valid(match.group()):
            candidates.append(Found("national_id", match.start(), match.end(), ""))
    candidates += [Found("phone", m.start(), m.end(), "") for m in _PHONE.finditer(plain)]
    candidates += _split_numbers(plain)
    candidates += _plates(plain)
    return candidates


def mask_personal_data(text: str | None) -> str:
    """`text` with phone numbers, valid national IDs, e-mails and plates replaced by labels."""
    if not text:
        return text or ""
    return _mask_cached(text) if len(text) <= 2000 else _mask(text)


@lru_cache(maxsize=4096)
def _mask_cached(text: str) -> str:
    return _mask(text)


def _mask(text: str) -> str:
    parts: list[str] = []
    position = 0
    for found in find_personal_data(text):
        parts.append(text[position : found.start])
        parts.append(LABELS[found.kind])
        position = found.end
    parts.append(text[position:])
    return "".join(parts)


def contains_personal_data(text: str | None) -> bool:
    return bool(text) and bool(find_personal_data(text or ""))
