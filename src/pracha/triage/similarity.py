"""How alike two reports read: cosine similarity of their character trigrams.

Thai runs words together, so characters carry what a word tokeniser would have to guess;
three characters are about a syllable. Spaces and punctuation are dropped, so "ไฟดับ ทั้งซอย"
and "ไฟดับทั้งซอย" are the same text; digits stay, so "ซอย 42" and "ซอย 7" differ.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

N = 3
MAX_CHARS = 1000  # long enough for any report; bounds the work on a pasted essay
_NOT_TEXT = re.compile(r"[^\w]|_", re.UNICODE)


def trigrams(text: str) -> Counter[str]:
    cleaned = _NOT_TEXT.sub("", unicodedata.normalize("NFC", text[:MAX_CHARS]).casefold())
    if len(cleaned) < N:
        return Counter([cleaned]) if cleaned else Counter()
    return Counter(cleaned[i : i + N] for i in range(len(cleaned) - N + 1))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) to 1 (the same text)."""
    return cosine(trigrams(a), trigrams(b))
