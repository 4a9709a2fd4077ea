"""Precision and recall of the masking against a set of labelled examples (JSON lines).

Each line: {"text": "...", "pii": [{"kind": "phone", "text": "081-234-5678"}, ...]}.
A finding counts as correct when it has the right kind and covers a labelled span; a
labelled span counts as found when a finding of its kind covers it. The report also counts
findings that replace exactly the labelled span (a disguise masked, nothing around it), and
texts without personal data that masking leaves exactly as they are.

data/privacy holds several sets: masking_examples.jsonl (the main one) and the others named
masking_*.jsonl (disguised personal data; numbers that must stay), each reported on its own.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pracha.masking.personal_data import KINDS, Found, find_personal_data


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int


@dataclass
class Example:
    text: str
    spans: list[Span]


@dataclass
class Score:
    true_positives: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    recalled: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    clean_texts: int = 0
    clean_texts_unchanged: int = 0
    mistakes: list[str] = field(default_factory=list)

    def precision(self, kind: str | None = None) -> float:
        hits, total = self._pick(self.true_positives, kind), self._pick(self.found, kind)
        return hits / total if total else 1.0

    def recall(self, kind: str | None = None) -> float:
        hits, total = self._pick(self.recalled, kind), self._pick(self.expected, kind)
        return hits / total if total else 1.0

    @staticmethod
    def _pick(counter: Counter[str], kind: str | None) -> int:
        return sum(counter.values()) if kind is None else counter[kind]


MAIN_SET = "masking_examples.jsonl"


def example_files(directory: Path) -> list[Path]:
    """The main set first, then every other masking_*.jsonl set, by name."""
    others = sorted(p for p in directory.glob("masking_*.jsonl") if p.name != MAIN_SET)
    return [directory / MAIN_SET, *others]


def load_examples(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            spans: list[Span] = []
            searched_from: dict[str, int] = {}
            for item in row.get("pii", []):
                kind, value = item["kind"], item["text"]
                if kind not in KINDS:
                    raise ValueError(f"unknown kind {kind!r}")
                start = text.index(value, searched_from.get(value, 0))
                searched_from[value] = start + len(value)
                spans.append(Span(kind, start, start + len(value)))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a valid example ({exc})") from exc
        examples.append(Example(text, spans))
    return examples


def _covers(found: Found, span: Span) -> bool:
    return found.kind == span.kind and found.start <= span.start and found.end >= span.end


def evaluate(examples: list[Example]) -> Score:
    score = Score()
    for example in examples:
        findings = find_personal_data(example.text)
        if not example.spans:
            score.clean_texts += 1
            score.clean_texts_unchanged += not findings
        for found in findings:
            score.found[found.kind] += 1
            if any(_covers(found, span) for span in example.spans):
                score.true_positives[found.kind] += 1
                exact = Span(found.kind, found.start, found.end) in example.spans
                score.exact[found.kind] += exact
            else:
                score.mistakes.append(
                    f"false positive {found.kind} {found.text!r} in {example.text!r}"
                )
        for span in example.spans:
            score.expected[span.kind] += 1
            if any(_covers(found, span) for found in findings):
                score.recalled[span.kind] += 1
            else:
                value = example.text[span.start : span.end]
                score.mistakes.append(f"missed {span.kind} {value!r} in {example.text!r}")
    return score


def report(score: Score, examples: list[Example]) -> list[str]:
    negatives = sum(1 for e in examples if not e.spans)
    lines = [
        f"examples: {len(examples)} ({len(examples) - negatives} with personal data, "
        f"{negatives} without)",
        f"{'kind':<12} {'labelled':>8} {'found':>6} {'correct':>7} {'precision':>9} {'recall':>7}",
    ]
    for kind in (*KINDS, None):
        lines.append(
            f"{kind or 'all':<12} {Score._pick(score.expected, kind):>8} "
            f"{Score._pick(score.found, kind):>6} {Score._pick(score.true_positives, kind):>7} "
            f"{score.precision(kind):>9.3f} {score.recall(kind):>7.3f}"
        )
    lines.append(
        f"correct findings masking exactly the labelled span: {Score._pick(score.exact, None)}"
        f" of {Score._pick(score.true_positives, None)}"
    )
    lines.append(
        f"texts without personal data left exactly as written: {score.clean_texts_unchanged}"
        f" of {score.clean_texts}"
    )
    return lines
