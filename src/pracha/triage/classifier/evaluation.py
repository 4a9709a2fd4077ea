"""`pracha evaluate`: the classifier against the baseline on tickets neither has seen.

Default hold-out, in time order: the newest `test_days` of labelled tickets are the test set;
of the rest, the older part trains the base model and the recent part (before the test
period) trains the adapter and tunes the thresholds, exactly as `pracha train` does with all
of them. Any ticket whose text also occurs among the test tickets is removed from training.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np

from pracha.taxonomy.categories import taxonomy_rows
from pracha.triage.classifier.baseline import Baseline
from pracha.triage.classifier.dataset import (
    DataError,
    Example,
    Source,
    all_codes,
    normalised_text,
    time_ordered,
)
from pracha.triage.classifier.metrics import (
    Scores,
    calibration,
    category_table,
    score,
    summary_table,
)
from pracha.triage.classifier.training import (
    MIN_EXAMPLES,
    Params,
    Say,
    Split,
    Trained,
    describe_period,
    label_matrix,
    read_sources,
    split_by_time,
    train,
    training_examples,
)

TEST_DAYS = 14
GOALS = {"micro": 0.86, "macro": 0.72, "micro_gain": 0.06, "macro_gain": 0.12}


def holdout(
    examples: Sequence[Example], params: Params, test_days: int = TEST_DAYS
) -> tuple[Split, list[Example]]:
    """(training split, test tickets): the newest `test_days` days are the test set."""
    ordered = time_ordered(e for e in examples if e.created_at is not None)
    if len(ordered) < 2 * MIN_EXAMPLES:
        raise DataError(
            f"only {len(ordered)} labelled tickets; a hold-out needs {2 * MIN_EXAMPLES}"
        )
    newest = ordered[-1].created_at
    assert newest is not None
    cutoff = newest - timedelta(days=test_days)
    count = sum(1 for e in ordered if e.created_at and e.created_at > cutoff)
    count = min(max(count, 1), len(ordered) // 3)  # a burst of new tickets keeps some history
    test = ordered[-count:]
    held = {normalised_text(e.text) for e in test}
    rest = [e for e in ordered[:-count] if normalised_text(e.text) not in held]
    return split_by_time(rest, params), test


@dataclass(frozen=True)
class EvalSet:
    name: str
    tickets: list[Example]
    notes: list[str] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()  # categories left out of truth and predictions
    goals: bool = True  # print the goals against this one


@dataclass
class Result:
    name: str
    tickets: int
    model: Scores
    baseline: Scores
    calibration: tuple[float, float] = (0.0, 0.0)
    review_share: float = 0.0
    top_accuracy_review: float | None = None
    top_accuracy_confident: float | None = None
    # Of the categories given to tickets not sent to review, the share that are right.
    precision_confident: float | None = None
    notes: list[str] = field(default_factory=list)
    goals: bool = True


@dataclass
class Evaluation:
    split: Split
    trained: Trained
    baseline_seconds: float
    results: list[Result]


def evaluate(split: Split, tests: Sequence[EvalSet], params: Params, say: Say) -> Evaluation:
    """Train the model and the baseline on `split`; score both on each test set."""
    say(f"training the model on {len(split.base) + len(split.recent):,} tickets")
    trained = train(split, params, say)
    started = time.monotonic()
    training = split.base + split.recent
    codes = all_codes()
    baseline = Baseline.fit(
        [e.text for e in training], label_matrix(training, codes), jobs=params.jobs
    )
    baseline_seconds = time.monotonic() - started
    say(f"  baseline: char 1-3-gram TF-IDF + LinearSVC ({baseline_seconds:.0f} s)")
    results = [_result(test, trained, baseline) for test in tests if test.tickets]
    return Evaluation(split, trained, baseline_seconds, results)


def _result(test: EvalSet, trained: Trained, baseline: Baseline) -> Result:
    codes = all_codes()
    texts = [e.text for e in test.tickets]
    keep = np.array([code not in test.ignore for code in codes])
    truth = label_matrix(test.tickets, codes) * keep
    classifier = trained.classifier
    probs = classifier.probabilities(texts)
    chosen = classifier.choose(probs) & keep
    review = classifier.unsure(probs) | ~chosen.any(axis=1)
    top_right = truth[np.arange(len(truth)), (probs * keep).argmax(axis=1)] == 1
    return Result(
        name=test.name,
        tickets=len(test.tickets),
        model=score(truth, chosen, codes),
        baseline=score(truth, baseline.choose(texts) & keep, codes),
        calibration=calibration(probs[:, keep], truth[:, keep]),
        review_share=float(review.mean()),
        top_accuracy_review=float(top_right[review].mean()) if review.any() else None,
        top_accuracy_confident=float(top_right[~review].mean()) if (~review).any() else None,
        precision_confident=precision_of(chosen[~review], truth[~review]),
        notes=test.notes,
        goals=test.goals,
    )


def precision_of(chosen: np.ndarray, truth: np.ndarray) -> float | None:
    """The share of the chosen (ticket, category) pairs that are right; None if none."""
    given = int(chosen.sum())
    return float((chosen & (truth == 1)).sum() / given) if given else None


def report(evaluation: Evaluation, headline: str, test_description: str) -> str:
    split, trained = evaluation.split, evaluation.trained
    names = {row["code"]: row["name_th"] for row in taxonomy_rows()}
    info = trained.classifier.info
    lines = [
        headline,
        f"  base model trained on:     {describe_period(split.base)}",
        f"  adapter trained, thresholds tuned ({info['params']['folds']}-fold out-of-fold) on:",
        f"                             {describe_period(split.recent)}",
        f"  tested on:                 {test_description}",
        f"  baseline trained on:       the same {len(split.base) + len(split.recent):,} tickets",
        f"  time: features {trained.featuriser_seconds:.0f} s, base {trained.base_seconds:.0f} s, "
        f"adapter {trained.adapter_seconds:.0f} s, baseline {evaluation.baseline_seconds:.0f} s",
    ]
    for result in evaluation.results:
        lines += ["", f"== {result.name}: {result.tickets:,} tickets =="]
        lines += result.notes
        lines += summary_table(result.model, result.baseline)
        lines.append(
            f"macro-F1 averages the {result.model.macro_over} categories present in these tickets"
        )
        ece, brier = result.calibration
        lines.append(f"calibration of the model's scores: ECE {ece:.4f}, Brier {brier:.4f}")
        lines.append(_review_line(result))
        lines += ["", *category_table(result.model, result.baseline, names)]
        if result.goals:
            lines += ["", *_goal_lines(result)]
    return "\n".join(lines)


def _review_line(result: Result) -> str:
    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.1%}"

    return (
        f"needs_review on {result.review_share:.1%} of tickets; top category right on "
        f"{share(result.top_accuracy_review)} of those, {share(result.top_accuracy_confident)} "
        f"of the rest; precision of the categories given to the rest (not flagged) "
        f"{share(result.precision_confident)}"
    )


def _goal_lines(result: Result) -> list[str]:
    model, base = result.model, result.baseline
    checks = [
        ("micro-F1 >= 0.86", model.micro_f1 >= GOALS["micro"]),
        ("macro-F1 >= 0.72", model.macro_f1 >= GOALS["macro"]),
        ("micro-F1 >= baseline + 0.06", model.micro_f1 - base.micro_f1 >= GOALS["micro_gain"]),
        ("macro-F1 >= baseline + 0.12", model.macro_f1 - base.macro_f1 >= GOALS["macro_gain"]),
    ]
    return ["goals: " + "; ".join(f"{text} {'met' if ok else 'NOT met'}" for text, ok in checks)]


def _source_notes(sources: Sequence[Source]) -> list[str]:
    """How many rows of each test file could be scored, and the newer taxonomy's caveat."""
    notes = []
    for source in sources:
        notes.append(
            f"{source.name}: {source.rows:,} rows, {len(source.examples):,} scored (with a "
            f"category among the 24), {source.unlabelled:,} without, "
            f"{source.unreadable:,} unreadable"
        )
        if not source.current_taxonomy:
            notes.append(
                "note: labelled with the newer taxonomy; its labels were mapped to the 24 "
                "categories where one corresponds, so these scores understate agreement"
            )
    return notes


RELABELLED_NOTE = (
    "note: the volunteers tagged nearly every ticket ร้องเรียน (complaint) as well; the second "
    "table leaves that category out"
)


def run_holdout(
    paths: Sequence[Path],
    relabelled: Source | None,
    params: Params,
    say: Say,
    test_days: int = TEST_DAYS,
) -> str:
    """The default evaluation: time-ordered hold-out, plus the volunteers' relabelled set."""
    sources = read_sources(paths, say)
    held = {normalised_text(e.text) for e in relabelled.examples} if relabelled else set()
    split, test = holdout(training_examples(sources, held), params, test_days)
    tests = [EvalSet("hold-out: the newest tickets", test)]
    if relabelled and relabelled.examples:
        tickets = relabelled.examples
        tests.append(
            EvalSet("volunteers' relabelled tickets", tickets, [RELABELLED_NOTE], goals=False)
        )
        tests.append(
            EvalSet(
                "relabelled tickets, ร้องเรียน left out",
                [e for e in tickets if set(e.codes) - {"complaint"}],
                ["(tickets tagged only ร้องเรียน dropped; ร้องเรียน ignored in truth and predictions)"],
                ignore=frozenset({"complaint"}),
                goals=False,
            )
        )
    evaluation = evaluate(split, tests, params, say)
    return report(
        evaluation,
        "Time-ordered hold-out (training never sees a test ticket's text)",
        describe_period(test),
    )


def run_on_file(test_source: Source, paths: Sequence[Path], params: Params, say: Say) -> str:
    """Train as `pracha train` does (minus the file's own tickets); test on the file."""
    if not test_source.examples:
        raise DataError(f"{test_source.name}: no ticket has a category among the 24 to score")
    sources = read_sources(paths, say)
    held = {normalised_text(e.text) for e in test_source.examples}
    ids = {e.ticket_id for e in test_source.examples}
    examples = [e for e in training_examples(sources, held) if e.ticket_id not in ids]
    split = split_by_time(examples, params)
    tests = [EvalSet(test_source.name, test_source.examples, _source_notes([test_source]))]
    evaluation = evaluate(split, tests, params, say)
    return report(
        evaluation,
        f"Evaluation on {test_source.name} (its tickets and texts left out of training)",
        describe_period(test_source.examples),
    )
