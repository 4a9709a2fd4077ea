"""The classifier's interface: predictions, scores, thresholds, needs_review, loading."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pracha.taxonomy.categories import taxonomy_rows
from pracha.triage import classifier as api
from pracha.triage.classifier import Classifier, ModelFileError, Prediction

CODES = [row["code"] for row in taxonomy_rows()]

AWKWARD_TEXTS = [
    "",
    "   \n\t ",
    "😀🚧🌧️" * 40,
    "ถนน" * 5000,  # far longer than any report
    "a",
    "\x00\x01 control characters",
    "漢字とカタカナ mixed with ภาษาไทย",
    "The street light in front of soi 5 has been broken for a week",
]


def test_every_prediction_scores_all_24_categories(tiny_classifier: Classifier) -> None:
    texts = ["ไฟฟ้าส่องสว่างดับทั้งซอย มืดมาก", "ถนนเป็นหลุมลึก รถเสียหาย", *AWKWARD_TEXTS]

    predictions = tiny_classifier.predict(texts)

    assert len(predictions) == len(texts)
    assert len(CODES) == 24
    for prediction in predictions:
        assert isinstance(prediction, Prediction)
        assert sorted(prediction.scores) == sorted(CODES)
        assert all(0.0 <= score <= 1.0 for score in prediction.scores.values())
        assert set(prediction.categories) <= set(CODES)
        assert len(set(prediction.categories)) == len(prediction.categories)


def test_categories_follow_the_thresholds_best_first(tiny_classifier: Classifier) -> None:
    thresholds = dict(zip(tiny_classifier.codes, tiny_classifier.thresholds, strict=True))
    texts = ["ไฟดับ", "ท่อระบายน้ำอุดตัน น้ำท่วมขัง", "ขยะเต็มถนน ส่งกลิ่นเหม็น", *AWKWARD_TEXTS]

    for prediction in tiny_classifier.predict(texts):
        scores = prediction.scores
        ranked = [scores[code] for code in prediction.categories]
        assert ranked == sorted(ranked, reverse=True)
        above = {code for code in CODES if scores[code] >= thresholds[code] + 1e-4}
        assert above <= set(prediction.categories)
        below = [code for code in prediction.categories if scores[code] < thresholds[code] - 1e-4]
        if below:  # only the fallback guess may be under its threshold, and it is flagged
            assert prediction.categories == below
            assert prediction.needs_review


def test_a_clear_report_gets_its_category(tiny_classifier: Classifier) -> None:
    prediction = tiny_classifier.predict_one("ถนนเป็นหลุมเป็นบ่อ ผิวถนนพังเสียหายมาก")

    assert prediction.categories[0] == "road"
    assert max(prediction.scores, key=prediction.scores.__getitem__) == "road"


def test_predict_one_equals_predict(tiny_classifier: Classifier) -> None:
    text = "สายไฟห้อยต่ำ ระโยงระยาง อันตราย"

    assert tiny_classifier.predict_one(text) == tiny_classifier.predict([text])[0]
    assert tiny_classifier.predict([]) == []


def test_one_by_one_scores_equal_batch_scores(tiny_classifier: Classifier) -> None:
    # Small batches are scored without a sparse matrix; both paths must agree.
    texts = [f"ถนนซอย {i} เป็นหลุม ไฟดับ น้ำท่วมขัง" * (i % 3 + 1) for i in range(20)]

    batch = tiny_classifier.probabilities(texts)
    single = np.vstack([tiny_classifier.probabilities([text]) for text in texts])

    assert np.abs(batch - single).max() < 1e-5


def test_english_text_is_read(tiny_classifier: Classifier) -> None:
    prediction = tiny_classifier.predict_one("Huge pothole on the road, very dangerous")

    assert sorted(prediction.scores) == sorted(CODES)


def test_text_that_is_not_a_string_is_read_as_empty(tiny_classifier: Classifier) -> None:
    odd = tiny_classifier.predict([None, 42])  # type: ignore[list-item]

    assert odd == tiny_classifier.predict(["", ""])


def _controlled(tiny: Classifier, bias: dict[str, float], fallback: float | None) -> Classifier:
    """The tiny model with zero weights: every text scores sigmoid(bias) per category."""
    biases = np.array([bias.get(code, -10.0) for code in tiny.codes])
    return dataclasses.replace(
        tiny,
        weights=np.zeros_like(tiny.weights),
        bias=biases,
        thresholds=np.full(len(tiny.codes), 0.5),
        fallback=fallback,
    )


def test_confident_prediction_needs_no_review(tiny_classifier: Classifier) -> None:
    model = _controlled(tiny_classifier, {"road": 3.0, "sidewalk": 1.0}, fallback=None)

    prediction = model.predict_one("anything")

    assert prediction.categories == ["road", "sidewalk"]
    assert prediction.scores["road"] == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-4)
    assert prediction.needs_review is False


def test_nothing_above_threshold_needs_review(tiny_classifier: Classifier) -> None:
    model = _controlled(tiny_classifier, {"road": -0.5}, fallback=None)  # road scores 0.38

    prediction = model.predict_one("anything")

    assert prediction.categories == []
    assert prediction.needs_review is True


def test_fallback_guess_is_flagged_for_review(tiny_classifier: Classifier) -> None:
    model = _controlled(tiny_classifier, {"road": -0.5}, fallback=0.5)  # 0.38 >= 0.5 x 0.5

    prediction = model.predict_one("anything")

    assert prediction.categories == ["road"]
    assert prediction.needs_review is True


def test_low_top_score_needs_review_even_above_a_low_threshold(tiny_classifier: Classifier) -> None:
    model = dataclasses.replace(
        _controlled(tiny_classifier, {"road": -1.0}, fallback=None),
        thresholds=np.full(24, 0.2),
    )

    prediction = model.predict_one("anything")  # road 0.27: above 0.2, below review_below

    assert prediction.categories == ["road"]
    assert prediction.needs_review is True


def test_no_model_file_means_no_classifier(tmp_path: Path, pracha: Callable[..., None]) -> None:
    pracha(model_path=tmp_path / "absent.pkl")
    api.clear_cache()

    assert api.get_classifier() is None
    assert api.model_path() == tmp_path / "absent.pkl"


def test_default_model_path_is_under_var_models(
    pracha: Callable[..., None], tmp_path: Path
) -> None:
    pracha(model_path=None, var_dir=tmp_path)

    assert api.model_path() == tmp_path / "models" / "triage-classifier.pkl"


def test_a_damaged_model_file_is_refused_clearly(
    tmp_path: Path, pracha: Callable[..., None]
) -> None:
    broken = tmp_path / "broken.pkl"
    broken.write_bytes(b"not a pickle at all")
    pracha(model_path=broken)
    api.clear_cache()

    with pytest.raises(ModelFileError, match="pracha train"):
        api.get_classifier()


def test_a_pickle_of_something_else_is_refused(tmp_path: Path) -> None:
    import pickle

    other = tmp_path / "other.pkl"
    other.write_bytes(pickle.dumps({"not": "a model"}))

    with pytest.raises(ModelFileError, match="another version"):
        Classifier.load(other)


def test_the_loaded_model_is_cached_and_reloaded_when_replaced(
    tiny_classifier: Classifier, tmp_path: Path, pracha: Callable[..., None]
) -> None:
    path = tmp_path / "model.pkl"
    tiny_classifier.save(path)
    pracha(model_path=path)
    api.clear_cache()

    first = api.get_classifier()
    assert api.get_classifier() is first

    dataclasses.replace(tiny_classifier, version="replaced").save(path)
    reloaded = api.get_classifier()
    assert reloaded is not None and reloaded.version == "replaced"
    api.clear_cache()


def test_ensure_model_trains_only_when_missing(
    tiny_model_file: Path,
    tmp_path: Path,
    pracha: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pracha.triage.classifier import training

    calls: list[Path] = []

    def fake_train(path: Path) -> None:
        calls.append(path)
        path.parent.mkdir(parents=True)
        path.write_bytes(tiny_model_file.read_bytes())

    monkeypatch.setattr(training, "train_default", fake_train)
    target = tmp_path / "models" / "m.pkl"
    pracha(model_path=target)

    assert api.ensure_model() == target
    assert api.ensure_model() == target
    assert calls == [target]
    assert api.get_classifier() is not None
    api.clear_cache()
