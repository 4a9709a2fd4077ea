"""Benchmark the category classifier on one core, beside the char n-gram SVM baseline.

    .venv/bin/python bench/triage_classifier.py [--tickets N] [--baseline-train N]

Pins the process to one CPU (and BLAS/OpenMP to one thread), loads the model `pracha train`
built (building it first when missing), and prints for real 2023 report texts:
  - batch throughput: Classifier.predict over all of them (tickets/s, best of 3 runs);
  - single-report latency: predict_one per text, p50 / p95;
  - memory: the model's pickle size and the RSS growth of loading it.
The baseline (character 1-3-gram TF-IDF + one LinearSVC per category, scikit-learn, as in
`pracha evaluate`) is trained in the same run on the newest N training tickets and measured
the same way; its throughput does not depend much on how many tickets it learned from.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"  # before numpy is imported: one core means one BLAS thread too

ROOT = Path(__file__).resolve().parents[1]
TEST_FILES = (
    "teamchadchart_2023-05-11_2023-05-13.csv",
    "fondue_2023-05-14_2023-05-16.csv",
    "teamchadchart_2023-06-10_2023-06-11.csv",
    "teamchadchart_2023-11-26_2023-11-28.csv",
)


def rss_bytes() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def throughput(predict: Callable[[Sequence[str]], Any], texts: list[str]) -> tuple[float, float]:
    """Tickets per second of wall-clock time and of CPU time, best of 3 runs each."""
    wall = cpu = float("inf")
    for _ in range(3):
        started, used = time.perf_counter(), time.process_time()
        predict(texts)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - used)
    return len(texts) / wall, len(texts) / cpu


def latencies(predict_one: Callable[[str], Any], texts: list[str]) -> dict[str, float]:
    """Single-report latency in ms: p50/p95 of wall-clock time and of CPU time."""
    for text in texts[:50]:
        predict_one(text)  # warm caches
    wall, cpu = [], []
    for text in texts:
        started, used = time.perf_counter(), time.process_time()
        predict_one(text)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    wall_cuts, cpu_cuts = statistics.quantiles(wall, n=100), statistics.quantiles(cpu, n=100)
    return {
        "p50": statistics.median(wall),
        "p95": wall_cuts[94],
        "cpu p50": statistics.median(cpu),
        "cpu p95": cpu_cuts[94],
    }


def row(label: str, rates: tuple[float, float], lat: dict[str, float], size: int, rss: int) -> str:
    return (
        f"{label:<22} {rates[0]:>10,.0f} {rates[1]:>10,.0f} {lat['p50']:>8.2f} {lat['p95']:>8.2f} "
        f"{lat['cpu p50']:>8.2f} {lat['cpu p95']:>8.2f} {size / 1e6:>9.1f} {rss / 1e6:>8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5000, help="texts to classify")
    parser.add_argument(
        "--baseline-train", type=int, default=20000, help="tickets the baseline learns from"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    from pracha.triage.classifier import Classifier, ensure_model
    from pracha.triage.classifier.baseline import Baseline
    from pracha.triage.classifier.dataset import all_codes, default_sources, read_traffy
    from pracha.triage.classifier.training import label_matrix, read_sources, training_examples

    data = Path(settings.PRACHA.data_dir) / "traffy"
    texts = [e.text for name in TEST_FILES for e in read_traffy(data / name).examples]
    texts = (texts * (args.tickets // max(len(texts), 1) + 1))[: args.tickets]
    print(f"{len(texts):,} report texts from {', '.join(TEST_FILES)}")
    print(f"mean length {sum(map(len, texts)) / len(texts):.0f} characters; 1 CPU, 1 thread")

    path = ensure_model()
    gc.collect()
    before = rss_bytes()
    model = Classifier.load(path)
    model.predict_one("warm up: load the tokeniser's dictionary")
    model_rss = rss_bytes() - before
    print(f"model {model.version} ({path})")

    print(f"training the baseline on the newest {args.baseline_train:,} tickets ...")
    sources = read_sources(default_sources(Path(settings.PRACHA.data_dir)))
    held = {" ".join(t.split()).casefold() for t in texts}
    training = training_examples(sources, held)[-args.baseline_train :]
    gc.collect()
    before = rss_bytes()
    baseline = Baseline.fit([e.text for e in training], label_matrix(training, all_codes()), jobs=1)
    baseline_rss = rss_bytes() - before

    print()
    print(
        f"{'':<22} {'tickets/s':>10} {'tickets/s':>10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'pickle':>9} {'RSS':>8}"
    )
    print(
        f"{'':<22} {'wall':>10} {'CPU':>10} {'wall':>8} {'wall':>8} {'CPU':>8} {'CPU':>8} "
        f"{'MB':>9} {'MB':>8}"
    )
    single = texts[:1000]
    print(
        row(
            "classifier",
            throughput(model.predict, texts),
            latencies(model.predict_one, single),
            path.stat().st_size,
            model_rss,
        )
    )
    print(
        row(
            "baseline char 1-3 SVM",
            throughput(baseline.choose, texts),
            latencies(lambda text: baseline.choose([text]), single),
            len(pickle.dumps(baseline, protocol=pickle.HIGHEST_PROTOCOL)),
            baseline_rss,
        )
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print()
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs. Wall-clock figures")
    print("include time other processes took from this one's CPU; CPU figures count only this")
    print("process's own time on its core (the figure for an idle core).")
    print("RSS: growth of the process when loading the model (for the baseline: when fitting it,")
    print("which includes its training matrix). The classifier's figures include making the")
    print("Prediction objects; the baseline's return a bare boolean matrix.")


if __name__ == "__main__":
    main()
