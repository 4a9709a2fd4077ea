"""The after-photo check on real photos, and the hash lookup at 1,000,000 stored photos.

    .venv/bin/python bench/photo_check.py [--database-url URL] [--hashes N] [--queries N]
                                          [--skip-lookup] [--skip-detection]

Needs scikit-image (`pip install -e '.[bench]'`, which `make bench` does) for its photos.

Photos (all inside installed wheels, nothing is downloaded):
- scikit-image 0.26 `skimage/data/` (BSD-3-Clause package; the images' own terms are in
  skimage.data's docstrings): astronaut (NASA, public domain), camera, chelsea and coffee
  (Stéfan van der Walt and Rachel Michelle Lidsky / the scikit-image team, CC0), coins
  (Greek coins, Pompeii, public domain), hubble_deep_field (NASA, public domain), ihc
  (immunohistochemistry, public domain), moon (public domain), motorcycle_left/right (a
  stereo pair from the Middlebury 2014 stereo data set, free for research), retina (Häggström,
  CC0), rocket (SpaceX, CC0), cell (CC0), clock_motion, brick, grass, gravel (textures, CC0).
- scikit-learn `sklearn/datasets/images/`: china.jpg (danielbuechele) and flower.jpg
  (vultilion), Flickr, CC BY 2.0.

What is measured, with the project's defaults (PRACHA_PHOTO_MATCH_BITS=10):
- "same as before": an after-photo against its case's before photo, as the check compares
  them (pracha.evidence.hashing.same_scene: whole frames within 10 bits, or every turn of the
  after-photo and of its mirror against every window of the before photo within 8);
- "index": the lookup among all stored photos (reused_from_case): pHash of the photo or of its
  mirror within the radius of the stored pHash.
Copies: JPEG quality 20-90, PNG, HEIC, resized 25%-150%, brightness 0.7-1.3, contrast
0.8-1.2. Crops: 2-10% of width and height cut off, split at random between sides (5 draws
each). Turns: 1-5 degrees either way, cut to the largest upright rectangle (a phone's
"straighten"), alone and after a 5% crop. Also mirror images and copies with a screenshot
border or a timestamp strip.
Different photos: every pair of the photos and of their quarters (each quarter of a photo of
384 pixels or more is a scene of its own; a photo is not paired with its own quarters, nor
the stereo pair with itself), both ways round.
Genuine re-takes: no public set of real "before/after from the same spot" pairs ships with a
package, so they are approximated: the real stereo pair (motorcycle_left/right: the same
scene from a viewpoint a few centimetres apart), and for every photo 5 synthetic re-takes: a
new framing (a window of 70-85% of the frame, moved 5-15% off centre, rescaled), turned 1-4
degrees, exposure changed by up to 15%, sensor noise (sigma 4), and the fixed part of the
scene changed (a patch of 10-20% of the frame replaced by smooth asphalt-like grey). This
tells how often an honest officer who stood where the reporter stood would be flagged; real
pilot pairs from Bangkok would tell it better.
Featureless photos (low detail) are never flagged by hash; they are counted apart.

Lookup: N synthetic 64-bit pHashes (default 1,000,000; uniform at random, plus 10% near
copies of others, as real collections repeat photos) stored in evidence_photohash with its
four band indexes, on a fresh SQLite database or the (empty) PostgreSQL database named; the
rows point at no real photos (foreign keys are off while loading). Q queries (half of them
with a stored near copy) time pracha.evidence.index.near() for a hash and its mirror, as the
check runs it (1 bit probed per band), and exact (2 bits per band), beside a full scan:
every row read and compared (and, on PostgreSQL, the comparison done in SQL with bit_count,
the fastest full scan there is).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from PIL import Image, ImageEnhance, ImageFilter, ImageOps  # noqa: E402

from pracha.evidence import hashing  # noqa: E402
from pracha.evidence.hashing import Hashes, closest, distance, hash_image, same_scene  # noqa: E402
from pracha.evidence.index import PROBE_BITS, bands  # noqa: E402

LIMIT = 10
SKIMAGE_PHOTOS = [
    "astronaut.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
    "hubble_deep_field.jpg", "ihc.png", "moon.png", "motorcycle_left.png", "retina.jpg",
    "rocket.jpg", "cell.png", "clock_motion.png", "brick.png", "grass.png", "gravel.png",
]  # fmt: skip
SKLEARN_PHOTOS = ["china.jpg", "flower.jpg"]


# --- photos and edits ---------------------------------------------------------------------


def photos() -> dict[str, Image.Image]:
    try:
        import skimage
    except ImportError:
        sys.exit("bench/photo_check.py needs scikit-image: pip install -e '.[bench]'")
    import sklearn

    sk = Path(skimage.__file__).parent / "data"
    sl = Path(sklearn.__file__).parent / "datasets" / "images"
    found = {n.split(".")[0]: Image.open(sk / n).convert("RGB") for n in SKIMAGE_PHOTOS}
    found |= {n.split(".")[0]: Image.open(sl / n).convert("RGB") for n in SKLEARN_PHOTOS}
    return found


def reencode(image: Image.Image, fmt: str, **options: object) -> Image.Image:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    decoded = Image.open(io.BytesIO(out.getvalue()))
    decoded.load()
    return decoded.convert("RGB")


def crop(image: Image.Image, share: float, rng: random.Random) -> Image.Image:
    w, h = image.size
    dx, dy = int(w * share), int(h * share)
    left, top = rng.randint(0, dx), rng.randint(0, dy)
    return image.crop((left, top, w - (dx - left), h - (dy - top)))


def copies(image: Image.Image) -> list[Image.Image]:
    import pillow_heif

    pillow_heif.register_heif_opener()
    w, h = image.size
    out = [reencode(image, "JPEG", quality=q) for q in (20, 35, 50, 70, 90)]
    out += [reencode(image, "PNG"), reencode(image, "HEIF", quality=50)]
    out += [image.resize((max(8, int(w * s)), max(8, int(h * s)))) for s in (0.25, 0.5, 0.75, 1.5)]
    out += [ImageEnhance.Brightness(image).enhance(f) for f in (0.7, 0.85, 1.15, 1.3)]
    out += [ImageEnhance.Contrast(image).enhance(f) for f in (0.8, 1.2)]
    return out


def crops_and_turns(image: Image.Image, rng: random.Random) -> list[Image.Image]:
    out = [crop(image, share, rng) for share in (0.02, 0.05, 0.08, 0.10) for _ in range(5)]
    for degrees in (1, 2, 3, 4, 5):
        for sign in (1, -1):
            out.append(hashing.turned(image, sign * degrees))
    out += [hashing.turned(crop(image, 0.05, rng), rng.choice((-3, -2, 2, 3))) for _ in range(5)]
    return out


def framed(image: Image.Image) -> list[Image.Image]:
    from PIL import ImageDraw

    border = ImageOps.expand(image, border=max(8, image.width // 16), fill="white")
    strip = Image.new("RGB", (image.width, image.height + 32), "black")
    strip.paste(image, (0, 0))
    ImageDraw.Draw(strip).text((8, image.height + 8), "2024-05-01 10:42", fill="white")
    return [border, strip]


def retakes(image: Image.Image, rng: random.Random, n: int = 5) -> list[Image.Image]:
    """New shots from about the same spot after the fix (see the module's docstring)."""
    w, h = image.size
    out = []
    for _ in range(n):
        scale = rng.uniform(0.70, 0.85)
        cw, ch = w * scale, h * scale
        cx = (w - cw) / 2 + rng.choice((-1, 1)) * rng.uniform(0.05, 0.15) * w
        cy = (h - ch) / 2 + rng.uniform(-0.05, 0.05) * h
        cx, cy = min(max(cx, 0), w - cw), min(max(cy, 0), h - ch)
        shot = image.crop((round(cx), round(cy), round(cx + cw), round(cy + ch))).resize((w, h))
        shot = hashing.turned(shot, rng.choice((-1, 1)) * rng.uniform(1, 4))
        shot = ImageEnhance.Brightness(shot).enhance(rng.uniform(0.85, 1.15))
        sw, sh = shot.size
        pw, ph = int(sw * rng.uniform(0.3, 0.45)), int(sh * rng.uniform(0.3, 0.45))
        px, py = rng.randint(0, sw - pw), rng.randint(0, sh - ph)
        grey = rng.randint(70, 130)
        patch = Image.effect_noise((pw, ph), 12).point(lambda v, g=grey: g + (v - 128) // 4)
        shot.paste(patch.convert("RGB").filter(ImageFilter.GaussianBlur(2)), (px, py))
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 4, (sh, sw, 1))
        pixels = np.asarray(shot, dtype=np.float64) + noise
        out.append(Image.fromarray(pixels.clip(0, 255).astype("uint8")))
    return out


def quarters(image: Image.Image) -> list[Image.Image]:
    w, h = image.size
    if min(w, h) < 384:
        return []
    return [image.crop((x, y, x + w // 2, y + h // 2)) for x in (0, w // 2) for y in (0, h // 2)]


# --- decisions ----------------------------------------------------------------------------


def same_as_before(after: Hashes, before: Hashes) -> bool:
    if after.low_detail or before.low_detail:
        return False
    return same_scene(
        after.phash, after.phash_mirror, after.turns, before.phash, before.windows, LIMIT
    )[0]


def in_index(after: Hashes, before: Hashes) -> bool:
    """What the index lookup finds: within the radius, with one band within PROBE_BITS."""
    if after.low_detail or before.low_detail:
        return False
    stored = bands(before.phash)
    return any(
        distance(query, before.phash) <= LIMIT
        and any(distance(a, b) <= PROBE_BITS for a, b in zip(bands(query), stored, strict=True))
        for query in (after.phash, after.phash_mirror)
    )


def rate(
    pairs: Iterable[tuple[Hashes, Hashes]], rule: Callable[[Hashes, Hashes], bool]
) -> tuple[int, int]:
    pairs = list(pairs)
    return sum(rule(a, b) for a, b in pairs), len(pairs)


def line(name: str, hits: tuple[int, int], goal: str) -> str:
    found, total = hits
    share = found / total if total else float("nan")
    return f"  {name:<62} {found:>6,} / {total:<6,} = {share:7.2%}   goal {goal}"


def detection() -> None:
    started = time.perf_counter()
    rng = random.Random(2026)
    images = photos()
    base = {name: hash_image(img) for name, img in images.items()}
    low = sorted(n for n, h in base.items() if h.low_detail)
    detailed = [n for n in images if n not in low]
    print(f"photos: {len(images)} ({len(low)} featureless, never flagged: {', '.join(low)})")

    def pairs(make: Callable[[Image.Image], list[Image.Image]]) -> list[tuple[Hashes, Hashes]]:
        return [(hash_image(edit), base[n]) for n in detailed for edit in make(images[n])]

    groups = {
        "copies (re-encoded, resized, brighter...)": (pairs(copies), ">= 99%"),
        "crops up to 10% and turns up to 5 degrees": (
            pairs(lambda im: crops_and_turns(im, rng)),
            ">= 80%",
        ),
        "mirror images": (pairs(lambda im: [ImageOps.mirror(im)]), "-"),
        "screenshot border, timestamp strip": (pairs(framed), ">= 95%"),
    }
    print("\ndetected (flagged), same as before | index lookup:")
    for name, (found, goal) in groups.items():
        print(line(f"{name}: same as before", rate(found, same_as_before), goal))
        print(line(f"{name}: index", rate(found, in_index), "-"))

    # Different photos: the photos and their quarters, all ordered pairs but relatives.
    scenes: list[tuple[str, Hashes]] = [(n, base[n]) for n in images]
    for n, img in images.items():
        scenes += [(n, hash_image(q)) for q in quarters(img)]
    family = {"motorcycle_left": "motorcycle"}
    different = [
        (a, b)
        for i, (na, a) in enumerate(scenes)
        for j, (nb, b) in enumerate(scenes)
        if i != j and family.get(na, na) != family.get(nb, nb)
    ]
    print("\nfalse positives:")
    print(line("different photos: same as before", rate(different, same_as_before), "<= 0.1%"))
    print(line("different photos: index", rate(different, in_index), "<= 0.1%"))

    stereo_left = base["motorcycle_left"]
    import skimage

    right = Image.open(Path(skimage.__file__).parent / "data" / "motorcycle_right.png")
    stereo = [(hash_image(right.convert("RGB")), stereo_left)]
    synthetic = pairs(lambda im: retakes(im, rng))
    print(
        line(
            "genuine re-takes (synthetic): same as before", rate(synthetic, same_as_before), "<= 5%"
        )
    )
    print(line("genuine re-takes (synthetic): index", rate(synthetic, in_index), "-"))
    both = stereo[0]
    print(
        f"  real stereo pair (motorcycle left/right): {distance(both[0].phash, both[1].phash)}"
        f" bits by pHash, {closest(both[0].turns, both[1].windows)[0]} by windows: flagged "
        f"{same_as_before(*both)} (the trap: a genuine re-take a few bits away)"
    )
    hashed = time.perf_counter() - started
    print(f"\ndetection part: {hashed:.1f} s")
    t0 = time.perf_counter()
    for _ in range(20):
        hash_image(images["china"])
    print(f"hashing one 640 x 427 photo: {(time.perf_counter() - t0) / 20 * 1000:.1f} ms")


# --- lookup at scale ----------------------------------------------------------------------


def setup_django(database_url: str | None) -> None:
    work = Path(tempfile.mkdtemp(prefix="pracha-bench-photos-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["PRACHA_VAR_DIR"] = str(work / "var")
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def synthetic_hashes(n: int, rng: random.Random) -> list[int]:
    values = [rng.getrandbits(64) for _ in range(n - n // 10)]
    for _ in range(n // 10):
        value = rng.choice(values)
        for bit in rng.sample(range(64), rng.randint(0, 8)):
            value ^= 1 << bit
        values.append(value)
    return values


def load(values: list[int]) -> float:
    from django.db import connection

    from pracha.evidence.hashing import to_signed
    from pracha.evidence.index import bands

    started = time.perf_counter()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")  # no FK checks
        sql = (
            "INSERT INTO evidence_photohash (photo_id, case_id, phash, dhash, phash_mirror, "
            "dhash_mirror, band0, band1, band2, band3, windows, turns, detail, low_detail, "
            "trimmed, camera, source, hashed_at) VALUES "
            "(%s, 1, %s, 0, 0, 0, %s, %s, %s, %s, %s, %s, 50.0, %s, %s, '', 'stored', %s)"
        )
        now = "2026-01-01T00:00:00+00:00"
        chunk = 50_000
        for start in range(0, len(values), chunk):
            rows = []
            for offset, value in enumerate(values[start : start + chunk]):
                b = bands(value)
                rows.append((start + offset + 1, to_signed(value), *b, b"", b"", False, False, now))
            cursor.executemany(sql, rows)
        if vendor != "sqlite":
            cursor.execute("SET session_replication_role = DEFAULT")
            # What autovacuum does after a bulk insert: statistics, and the visibility map
            # that lets the lookup read its covering indexes alone (index-only scans).
            cursor.execute("VACUUM ANALYZE evidence_photohash")
        else:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def percentiles(values: list[float]) -> str:
    ms = np.array(values) * 1000
    return f"p50 {np.percentile(ms, 50):8.1f} ms   p95 {np.percentile(ms, 95):8.1f} ms"


def lookup(database_url: str | None, n: int, queries: int) -> None:
    setup_django(database_url)
    from django.db import connection

    from pracha.evidence.hashing import to_signed
    from pracha.evidence.index import near, scan

    rng = random.Random(7)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM evidence_photohash")
        if cursor.fetchone()[0]:
            sys.exit("the database must have no photo hashes yet")
    values = synthetic_hashes(n, rng)
    took = load(values)
    print(f"\nlookup on {vendor}: {n:,} stored hashes loaded in {took:.0f} s")
    asked = []
    for i in range(queries):
        if i % 2:
            value = rng.choice(values)
            for bit in rng.sample(range(64), rng.randint(0, LIMIT)):
                value ^= 1 << bit
        else:
            value = rng.getrandbits(64)
        asked.append((value, rng.getrandbits(64)))  # the photo's hash and its mirror's
    near([asked[0][0], asked[0][1]], LIMIT)  # warm the connection and the cache
    for exact in (False, True):
        timings, found = [], 0
        for value, mirror in asked:
            started = time.perf_counter()
            hits = near([value, mirror], LIMIT, exact=exact)
            timings.append(time.perf_counter() - started)
            found += bool(hits)
        probe = "exact, 2 bits per band" if exact else "1 bit per band (default)"
        print(f"  multi-index lookup, {probe:<24} {queries} queries: {percentiles(timings)}"
              f"   ({found} with a match)")  # fmt: skip
    sample = asked[: max(3, queries // 40)]
    scans, same, within7 = [], 0, 0
    for value, mirror in sample:
        started = time.perf_counter()
        full = scan([value, mirror], LIMIT)
        scans.append(time.perf_counter() - started)
        same += [(m.photo_id, m.bits) for m in near([value, mirror], LIMIT, exact=True)] == full
        quick = {(m.photo_id, m.bits) for m in near([value, mirror], LIMIT)}
        within7 += {f for f in full if f[1] <= 7} <= quick
    print(f"  full scan in Python, {len(sample)} queries:{'':<27}{percentiles(scans)}"
          f"   (exact lookup same answers: {same}/{len(sample)}; default finds all within 7"
          f" bits: {within7}/{len(sample)})")  # fmt: skip
    if vendor == "postgresql":
        sql_scans = []
        with connection.cursor() as cursor:
            for value, mirror in sample:
                started = time.perf_counter()
                cursor.execute(
                    "SELECT photo_id FROM evidence_photohash WHERE NOT low_detail AND "
                    "LEAST(bit_count((phash # %s)::bit(64)), bit_count((phash # %s)::bit(64)))"
                    " <= %s",
                    [to_signed(value), to_signed(mirror), LIMIT],
                )
                cursor.fetchall()
                sql_scans.append(time.perf_counter() - started)
        print(
            f"  full scan in SQL (bit_count), {len(sample)} queries:{'':<18}"
            + percentiles(sql_scans)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--hashes", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-lookup", action="store_true")
    parser.add_argument("--skip-detection", action="store_true")
    args = parser.parse_args()
    if not args.skip_detection:
        detection()
    if not args.skip_lookup:
        lookup(args.database_url, args.hashes, args.queries)


if __name__ == "__main__":
    main()
