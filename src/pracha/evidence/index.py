"""Finding stored photos whose pHash lies within r bits of a new one (multi-index hashing).

The 64-bit hash is cut into four 16-bit bands, each the first column of a covering index on
PhotoHash. If two hashes differ in at most r bits, one of the four bands differs in at most
floor(r / 4) bits (pigeonhole). So the query asks, per band, for every 16-bit value within a
few bits of the new hash's band: four indexed `IN` lookups joined by UNION ALL, read from the
indexes alone; the exact distance of each candidate is then verified in Python. The same SQL
runs on SQLite and PostgreSQL.

How many bits per band are probed is the trade-off: 1 bit (17 values per band) finds every
hash within 7 bits, and a hash 8 to 11 bits away whenever one of its bands is within 1 bit of
the query's, which is nearly always so for a copy (bench/photo_check.py: the same share of
copies found as exact search); `exact=True` probes floor(r / 4) bits (137 values per band for
r = 8..11), finding every hash within r, with 8 times the candidates. At 1,000,000 stored
hashes a lookup reads about a thousand index entries per hash instead of every row
(bench/photo_check.py times it beside a full scan).

Norouzi, Punjani and Fleet, "Fast search in Hamming space with multi-index hashing",
CVPR 2012.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import combinations

from django.db import connection

from pracha.evidence.hashing import distance, to_unsigned

BANDS = 4
BAND_BITS = 16
MAX_RADIUS = 4 * 3 - 1  # 11: two bits per band (137 values); beyond, the lookups balloon
PROBE_BITS = 1  # bits per band probed unless exact: exact within 7 bits, most matches beyond


def bands(value: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands of a 64-bit hash, most significant first."""
    v = to_unsigned(value)
    return ((v >> 48) & 0xFFFF, (v >> 32) & 0xFFFF, (v >> 16) & 0xFFFF, v & 0xFFFF)


@cache
def _flips(bits: int) -> tuple[int, ...]:
    """Every 16-bit mask with at most `bits` bits set."""
    masks = [0]
    for k in range(1, bits + 1):
        for chosen in combinations(range(BAND_BITS), k):
            masks.append(sum(1 << b for b in chosen))
    return tuple(masks)


def band_variants(band: int, bits: int) -> list[int]:
    return [band ^ mask for mask in _flips(bits)]


@dataclass(frozen=True)
class Near:
    photo_id: int
    case_id: int
    phash: int
    bits: int
    mirrored: bool


def near(
    hashes: list[int],
    radius: int,
    *,
    exclude_case: int | None = None,
    detailed_only: bool = True,
    exact: bool = False,
) -> list[Near]:
    """Stored photos within `radius` bits of any of `hashes` (the second and later ones count
    as mirror images), closest first, one entry per photo. Every one within 7 bits (within
    `radius` with `exact`), and most of those further (see the module's docstring)."""
    radius = max(0, min(radius, MAX_RADIUS))
    per_band = radius // BANDS if exact else min(radius // BANDS, PROBE_BITS)
    best: dict[int, Near] = {}
    for position, query in enumerate(hashes):
        for photo_id, case_id, stored in _candidates(query, per_band, detailed_only):
            if case_id == exclude_case:
                continue
            bits = distance(query, stored)
            if bits <= radius and (photo_id not in best or bits < best[photo_id].bits):
                best[photo_id] = Near(photo_id, case_id, stored, bits, position > 0)
    return sorted(best.values(), key=lambda n: (n.bits, n.photo_id))


def _candidates(query: int, per_band: int, detailed_only: bool) -> list[tuple[int, int, int]]:
    parts: list[str] = []
    params: list[int] = []
    extra = " AND low_detail = %s" if detailed_only else ""
    for number, band in enumerate(bands(query)):
        values = band_variants(band, per_band)
        marks = ", ".join(["%s"] * len(values))
        parts.append(
            f"SELECT photo_id, case_id, phash FROM evidence_photohash "
            f"WHERE band{number} IN ({marks}){extra}"
        )
        params.extend(values)
        if detailed_only:
            params.append(False)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def scan(hashes: list[int], radius: int) -> list[tuple[int, int]]:
    """The same question answered by reading every row (the benchmark's baseline)."""
    found: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT photo_id, phash FROM evidence_photohash")
        while rows := cursor.fetchmany(10_000):
            for photo_id, stored in rows:
                bits = min(distance(q, stored) for q in hashes)
                if bits <= radius:
                    found.append((photo_id, bits))
    return sorted(found, key=lambda f: (f[1], f[0]))
