"""Text clean-up, tokenisation and the TF-IDF features."""

from __future__ import annotations

import numpy as np
import pytest

from pracha.triage.classifier.features import Featuriser, _char_ids
from pracha.triage.classifier.text import MAX_CHARS, clean, words

TEXTS = [
    "ไฟฟ้าดับทั้งซอย มืดมากครับ",
    "ถนนเป็นหลุม ไฟฟ้าดับ",
    "ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าบ้าน",
    "Street light broken at soi 5",
    "ถนนเป็นหลุมลึกมากกกกกก https://example.org/photo.jpg 555",
]


def test_clean_folds_case_numbers_links_and_repeats() -> None:
    assert clean("  Hello   WORLD \n") == "hello world"
    assert clean("ซอย 15 และ ๑๕") == "ซอย 0 และ 0"
    assert clean("ดูที่ https://x.org/a?b=1 ครับ") == "ดูที่ url ครับ"
    assert clean("มากกกกกก!!!!") == "มากก!!"
    assert clean("a\x00b\x01c") == "a b c"
    assert len(clean("ก" * (MAX_CHARS * 3))) <= MAX_CHARS


def test_words_segments_thai_and_drops_punctuation() -> None:
    tokens = words(clean("ไฟฟ้าดับทั้งซอย, มืดมาก!"))

    assert "ไฟฟ้า" in tokens and "ซอย" in tokens
    assert all(token.strip(" ,!") for token in tokens)
    assert words("") == []


def test_char_ngrams_are_distinct_per_text_and_size() -> None:
    rows, ids = _char_ids(["ab", "ba"], (1, 2))

    # " ab " -> 4 unigrams + 3 bigrams; the same for " ba "
    assert rows.tolist().count(0) == 7 and rows.tolist().count(1) == 7
    first = set(ids[rows == 0].tolist())
    second = set(ids[rows == 1].tolist())
    assert first & second  # the unigrams " ", "a", "b"
    assert first != second  # "ab" is not "ba"


def test_fit_transform_equals_transform() -> None:
    featuriser, fitted = Featuriser.fit_transform(TEXTS, min_df=1)

    again = featuriser.transform(TEXTS)

    assert fitted.shape == again.shape == (len(TEXTS), featuriser.size)
    assert abs(fitted - again).max() < 1e-6


def test_rows_are_unit_length_and_unknown_text_is_harmless() -> None:
    featuriser, fitted = Featuriser.fit_transform(TEXTS, min_df=1)

    norms = np.sqrt(np.asarray(fitted.multiply(fitted).sum(axis=1)).ravel())
    assert norms == pytest.approx(np.full(len(TEXTS), 2.0**0.5), rel=1e-5)  # two blocks
    unseen = featuriser.transform(["漢字", "", "😀" * 3000])
    assert unseen.shape == (3, featuriser.size)
    assert np.isfinite(unseen.data).all()


def test_min_df_and_max_features_bound_the_vocabulary() -> None:
    small, _ = Featuriser.fit_transform(TEXTS, min_df=2)
    capped, _ = Featuriser.fit_transform(TEXTS, min_df=1, max_features=10)
    full, _ = Featuriser.fit_transform(TEXTS, min_df=1)

    assert small.size < full.size
    assert capped.size <= 20  # 10 per block


def test_character_ngram_sizes_are_checked() -> None:
    with pytest.raises(ValueError, match=r"1\.\.6"):
        Featuriser.fit_transform(TEXTS, char_sizes=(2, 7))


def test_the_default_character_ngrams_reach_five_characters() -> None:
    texts = ["abcde x", "abcde y", "abcdz x", "abcdz y"]
    default, _ = Featuriser.fit_transform(texts, min_df=2)
    four, _ = Featuriser.fit_transform(texts, min_df=2, char_sizes=(1, 2, 3, 4))

    assert default.char.sizes == (1, 2, 3, 4, 5)
    # The 5-grams in at least two texts: " abcd", "abcde", "bcde ", "abcdz", "bcdz ".
    assert default.size == four.size + 5
