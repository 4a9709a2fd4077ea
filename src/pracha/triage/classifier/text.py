"""Text clean-up and Thai word tokenisation for the classifier.

Thai is written without spaces between words, so words come from PyThaiNLP's dictionary
segmenter in its Rust implementation (nlpo3, ~25,000 reports/s on one core against ~1,000/s
for the pure-Python `newmm`); pythainlp ships the dictionary, so nothing is downloaded.
"""

from __future__ import annotations

import re
import unicodedata

from pythainlp.tokenize.nlpo3 import segment

# Longest text the classifier reads: reports are a few hundred characters; a pasted novel
# must not cost seconds of tokenising in the request that files it.
MAX_CHARS = 2000

_URL = re.compile(r"https?://\S+|www\.\S+")
_DIGITS = re.compile(r"[0-9๐-๙]+")
_REPEAT = re.compile(r"(.)\1{2,}")  # "มากกกกก" -> "มากก": repeated letters are emphasis
_SPACE = re.compile(r"[\s\x00-\x1f\x7f]+")  # control characters too (NUL ends a text below)
_WORD = re.compile(r"\w", re.UNICODE)


def clean(text: str) -> str:
    """Lower-case, NFC, URLs and numbers folded to placeholders, runs of letters shortened."""
    text = unicodedata.normalize("NFC", text[:MAX_CHARS]).lower()
    text = _URL.sub(" url ", text)
    text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1\1", text)
    return _SPACE.sub(" ", text).strip()


def words(cleaned: str) -> list[str]:
    """Word tokens of already-cleaned text; spaces and punctuation dropped."""
    if not cleaned:
        return []
    # safe mode bounds the segmenter's work on long runs with many possible word breaks.
    return [token for token in segment(cleaned, safe_mode=True) if _WORD.search(token)]
