"""Training with a bridge: the newest base tickets also teach the adapter, scored by a base
that did not learn from them (training.Params.bridge_tickets)."""

from __future__ import annotations

from django.conf import settings

from pracha.triage.classifier.dataset import read_traffy
from pracha.triage.classifier.training import Params, split_by_time, train, training_examples
from tests.factories import TINY_SOURCES


def _split(params: Params):  # type: ignore[no-untyped-def]
    folder = settings.PRACHA.data_dir / "traffy"
    examples = training_examples([read_traffy(folder / name, limit=n) for name, n in TINY_SOURCES])
    return split_by_time(examples, params)


def test_the_newest_base_tickets_bridge_to_the_adapter() -> None:
    params = Params(folds=3, jobs=1, bridge_tickets=100)
    said: list[str] = []
    trained = train(_split(params), params, said.append)
    assert trained.classifier.info["bridge_tickets"] == 100
    assert any("bridge: the newest 100 base tickets" in line for line in said)
    prediction = trained.classifier.predict_one("ถนนเป็นหลุมเป็นบ่อ รถตกหลุม")
    assert len(prediction.scores) == 24  # a working model


def test_a_base_under_twice_the_bridge_trains_without_one() -> None:
    params = Params(folds=3, jobs=1, bridge_tickets=300)  # the base: about 350 tickets
    said: list[str] = []
    trained = train(_split(params), params, said.append)
    assert trained.classifier.info["bridge_tickets"] == 0
    assert not any("bridge" in line for line in said)
