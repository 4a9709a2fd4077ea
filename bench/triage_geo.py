"""District lookup on real tickets: agreement with each ticket's own address, and speed.

    .venv/bin/python bench/triage_geo.py [--file PATH] [--latency-points N] [--naive-points N]

For every ticket with a point whose address names a district ("... เขตบางพลัด ..."), compares
the district found from the point with the one the address names (as the importer reads it):

  baseline      plain point-in-polygon in Bangkok's 50-district file only
  polygons      point-in-polygon in the 50 Bangkok + 878 other Thai districts, no address
  pracha        geo.locate(lon, lat, address): the above, plus the address's district when
                the point is within 15 m of a border it shares, and the nearest district
                for points in gaps between polygons or just off the coast

Then the speed of locate() (latency per point, points per second) against the naive baseline
of testing the point against every polygon in turn. Needs no database.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "data" / "traffy" / "bangkok_traffy_2022-05-29_2022-12-18.csv.gz"


def setup_django() -> None:
    # A database path that is never created: nothing here may touch a database.
    work = Path(tempfile.mkdtemp(prefix="pracha-bench-geo-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'never-created.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "pracha.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def read_points(path: Path) -> tuple[list[tuple[float, float, str, str]], int, int]:
    """(lon, lat, address, district named by the address) per ticket with a point."""
    from pracha.traffy.fields import places_from_address
    from pracha.traffy.reader import BadRow, TraffyFile

    points = []
    rows = no_point = 0
    with TraffyFile(path) as tickets:
        for record in tickets:
            rows += 1
            if isinstance(record, BadRow) or record.lat is None or record.lon is None:
                no_point += 1
                continue
            named = places_from_address(record.address)[1] if record.address else ""
            points.append((record.lon, record.lat, record.address, named))
    return points, rows, no_point


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:6.2f}%" if whole else "   n/a"


def agreement(points: list[tuple[float, float, str, str]]) -> None:
    from pracha.geo.boundaries import BANGKOK_FILE, BANGKOK_FORMAT, read_boundary_file
    from pracha.geo.bounds import CoordinateError
    from pracha.geo.index import AreaIndex
    from pracha.geo.lookup import shipped_index

    index = shipped_index()
    bangkok = AreaIndex(
        read_boundary_file(ROOT / "data" / "geo" / BANGKOK_FILE, BANGKOK_FORMAT), label="bkk"
    )
    named = [p for p in points if p[3]]
    counts: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    refused: list[str] = []
    located = 0
    for lon, lat, address, district in points:
        try:
            location = index.locate(lon, lat, address)
        except CoordinateError as exc:
            refused.append(f"({lat}, {lon}): {str(exc)[:110]}")
            continue
        located += 1
        plain = index.containing(lon, lat)
        gap = " (in a gap or off the coast)" if plain is None else ""
        methods[location.method + gap] += 1
        if not district:
            continue
        found = bangkok.containing(lon, lat)
        counts["baseline"] += found is not None and bangkok.areas[found].name_th == district
        counts["polygons"] += plain is not None and index.areas[plain].name_th == district
        if location.district == district:
            counts["pracha"] += 1
        else:
            wrong[(district, location.district)] += 1
    print(f"tickets with a point:                  {len(points):>8,}")
    print(f"  given a district:                    {located:>8,}  {percent(located, len(points))}")
    print(f"  refused (not in Thailand):           {len(refused):>8,}")
    for line in refused[:15]:
        print(f"      {line}")
    print(f"  decided by: {', '.join(f'{k} {v:,}' for k, v in methods.most_common())}")
    print(f"tickets whose address names a district: {len(named):>8,}")
    print("agreement with the address's district:")
    for label in ("baseline", "polygons", "pracha"):
        share = percent(counts[label], len(named))
        print(f"  {label:<10} {counts[label]:>8,} of {len(named):,}  {share}")
    print("most frequent remaining disagreements (address says -> pracha says):")
    for (said, found_name), n in wrong.most_common(8):
        print(f"  {said} -> {found_name}: {n}")


def timing_line(label: str, timings: np.ndarray) -> str:
    p50, p99 = (np.percentile(timings, q) * 1e6 for q in (50, 99))
    rate = len(timings) / timings.sum()
    return (
        f"{label:<22} {len(timings):>7,} points {rate:>10,.0f} points/s"
        f"  p50 {p50:6.1f} µs  p99 {p99:6.1f} µs"
    )


def speed(points: list[tuple[float, float, str, str]], latency_n: int, naive_n: int) -> None:
    import shapely

    from pracha.geo.boundaries import shipped_areas
    from pracha.geo.index import AreaIndex
    from pracha.settings import PRACHA

    tracemalloc.start()
    started = time.perf_counter()
    index = AreaIndex(shipped_areas(PRACHA.data_dir))
    built = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index build: {len(index)} districts in {built:.2f} s, peak {peak / 2**20:.0f} MiB")

    rng = np.random.default_rng(7)
    sample = [points[i] for i in rng.choice(len(points), size=min(latency_n, len(points)))]
    timings = np.empty(len(sample))
    inside = np.empty(len(sample))
    for i, (lon, lat, address, _) in enumerate(sample):
        t = time.perf_counter()
        with contextlib.suppress(ValueError):
            index.locate(lon, lat, address)
        timings[i] = time.perf_counter() - t
        t = time.perf_counter()
        index.containing(lon, lat)
        inside[i] = time.perf_counter() - t
    print(timing_line("locate(with address)", timings))
    print(timing_line("polygon lookup only", inside))

    # Baseline: every polygon in turn (longitude/latitude, unprepared), first hit wins.
    shapes = [area.geometry for area in index.areas]
    naive = np.empty(min(naive_n, len(sample)))
    for i, (lon, lat, _address, _) in enumerate(sample[: len(naive)]):
        t = time.perf_counter()
        for shape in shapes:
            if shapely.contains_xy(shape, lon, lat):
                break
        naive[i] = time.perf_counter() - t
    print(timing_line("naive loop (baseline)", naive))
    print(
        f"polygon lookup vs naive loop: {naive.mean() / inside.mean():.1f}x faster on average "
        "(the naive loop tries Bangkok's 50 districts first, where most points are)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="a Traffy export")
    parser.add_argument("--latency-points", type=int, default=20_000)
    parser.add_argument("--naive-points", type=int, default=1_000)
    args = parser.parse_args()
    setup_django()
    started = time.perf_counter()
    points, rows, no_point = read_points(args.file)
    print(
        f"{args.file.name}: {rows:,} rows, {no_point:,} without a point "
        f"(read in {time.perf_counter() - started:.1f} s)"
    )
    agreement(points)
    speed(points, args.latency_points, args.naive_points)


if __name__ == "__main__":
    main()
