"""Features of a report: TF-IDF of Thai word uni/bigrams and of character n-grams.

Words carry meaning ("ไฟดับ", "ท่อ ระบาย"); character n-grams survive what the segmenter gets
wrong (misspellings, run-together English, slang) and need no dictionary.

Both are computed with numpy over a whole batch rather than one Python string per n-gram
(scikit-learn's vectorisers do the latter: ~2,500 reports/s here, under the throughput goal).
Characters are mapped to one byte each (Thai block, ASCII, "other"), so an n-gram of up to 6
characters packs exactly into one int64: no hashing collisions, and the vocabulary is a sorted
array searched with `np.searchsorted`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from pracha.triage.classifier.text import clean, words

CHUNK = 8192  # reports per block when counting document frequencies over 130,000
BLOCK = 1024  # reports per block when computing features
MAX_CHAR_NGRAM = 6  # 6 bytes of n-gram beside 13 bits of row number fit in one int64
_ROW_SHIFT = 8 * MAX_CHAR_NGRAM + 2


def _alphabet() -> np.ndarray:
    """Code point -> byte: 0 separates reports, ASCII and the Thai block keep their own."""
    table = np.full(0x0E80, 255, dtype=np.int64)  # 255: any other character (emoji, CJK, ...)
    table[:32] = 1  # control characters read as a space
    table[32:127] = np.arange(1, 96)  # " " is 1
    table[0x0E00:0x0E80] = np.arange(96, 96 + 0x80)
    return table


ALPHABET = _alphabet()


def _char_ids(cleaned: Sequence[str], sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(row, n-gram id) for every character n-gram of every text, texts padded by a space."""
    # NUL separates the texts, so none may contain one (clean() already removes them).
    joined = "\0".join(f" {text.replace(chr(0), ' ')} " for text in cleaned) + "\0"
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    codes = ALPHABET[np.minimum(points, len(ALPHABET) - 1)]
    codes[points >= len(ALPHABET)] = 255
    separator = points == 0
    codes[separator] = 0
    row_of = np.cumsum(separator) - separator  # the text each position belongs to
    rows_out, ids_out = [], []
    for n in sizes:
        span = len(codes) - n + 1
        if span <= 0:
            continue
        ids = np.zeros(span, dtype=np.int64)
        valid = np.ones(span, dtype=bool)
        for k in range(n):
            part = codes[k : k + span]
            ids = (ids << 8) | part
            valid &= part != 0
        rows_out.append(row_of[:span][valid])
        ids_out.append(ids[valid])
    if not ids_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out), np.concatenate(ids_out)


@dataclass(frozen=True)
class Entries:
    """Non-zero features of a batch, sorted by row then column: a CSR matrix without scipy's
    constructor overhead, which dominates when the batch is one report."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray  # float32
    n_rows: int
    n_cols: int

    def csr(self) -> sp.csr_matrix:
        indptr = np.zeros(self.n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows, minlength=self.n_rows), out=indptr[1:])
        return sp.csr_matrix((self.values, self.cols, indptr), shape=(self.n_rows, self.n_cols))


def _tfidf(rows: np.ndarray, cols: np.ndarray, n_rows: int, idf: np.ndarray) -> Entries:
    """Sublinear TF (1 + log count) x IDF, each row scaled to unit length."""
    width = max(len(idf), 1)
    keys, counts = np.unique(rows * width + cols, return_counts=True)
    return _weighted(keys // width, keys % width, counts, n_rows, idf)


def _weighted(
    rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, n_rows: int, idf: np.ndarray
) -> Entries:
    """TF-IDF of distinct (row, column) counts, grouped by row."""
    values = (1.0 + np.log(counts)) * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=n_rows))
    norms[norms == 0] = 1.0
    return Entries(rows, cols, (values / norms[rows]).astype(np.float32), n_rows, len(idf))


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hash path is many times slower on int64 here)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    return (np.log((1 + n_documents) / (1 + document_frequency)) + 1).astype(np.float32)


def _keep(df: np.ndarray, min_df: int, limit: int) -> np.ndarray:
    """Indices to keep, in order: seen in at least min_df texts; the `limit` most frequent."""
    index = np.flatnonzero(df >= min_df)
    if len(index) > limit:
        index = index[np.argsort(-df[index], kind="stable")[:limit]]
    return np.sort(index)


@dataclass
class CharNgrams:
    sizes: tuple[int, ...]
    vocabulary: np.ndarray  # sorted packed n-gram ids
    idf: np.ndarray

    @classmethod
    def fit(
        cls, cleaned: Sequence[str], sizes: tuple[int, ...], min_df: int, limit: int
    ) -> CharNgrams:
        if not sizes or min(sizes) < 1 or max(sizes) > MAX_CHAR_NGRAM:
            raise ValueError(f"character n-gram sizes must be 1..{MAX_CHAR_NGRAM}")
        keys, counts = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        for start in range(0, len(cleaned), CHUNK):
            rows, ids = _char_ids(cleaned[start : start + CHUNK], sizes)
            pairs = _distinct((rows << _ROW_SHIFT) | ids)  # once per (text, n-gram)
            unique, count = np.unique(pairs & ((1 << _ROW_SHIFT) - 1), return_counts=True)
            keys.append(unique)
            counts.append(count)
        every, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        df = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(every))
        keep = _keep(df.astype(np.int64), min_df, limit)
        return cls(sizes, every[keep], _idf(df[keep], len(cleaned)))

    def transform(self, cleaned: Sequence[str]) -> Entries:
        if len(cleaned) > CHUNK:
            raise ValueError(f"at most {CHUNK} texts at a time (Featuriser works in blocks)")
        rows, ids = _char_ids(cleaned, self.sizes)
        # Count each text's n-grams first: the vocabulary is then searched once per distinct
        # n-gram of a text rather than once per occurrence.
        pairs, counts = np.unique((rows << _ROW_SHIFT) | ids, return_counts=True)
        rows, ids = pairs >> _ROW_SHIFT, pairs & ((1 << _ROW_SHIFT) - 1)
        if len(self.vocabulary) == 0:
            return _weighted(rows[:0], ids[:0], counts[:0], len(cleaned), self.idf)
        cols = np.minimum(np.searchsorted(self.vocabulary, ids), len(self.vocabulary) - 1)
        known = self.vocabulary[cols] == ids
        return _weighted(rows[known], cols[known], counts[known], len(cleaned), self.idf)


@dataclass
class WordNgrams:
    """Word unigrams and bigrams; a bigram is keyed by its two words' ids in `ids`."""

    ids: dict[str, int]  # the words features are made of (a rare word can be in a bigram)
    unigram_column: np.ndarray  # word id -> column, -1 when the word alone is not a feature
    bigrams: np.ndarray  # sorted keys first_id * len(ids) + second_id
    idf: np.ndarray  # unigram columns first, then bigrams

    @classmethod
    def fit(cls, tokenised: Sequence[list[str]], min_df: int, limit: int) -> WordNgrams:
        ids: dict[str, int] = {}
        unigrams: list[int] = []  # each word once per text, for document frequencies
        firsts: list[int] = []
        seconds: list[int] = []
        for tokens in tokenised:
            numbers = [ids.setdefault(token, len(ids)) for token in tokens]
            unigrams += dict.fromkeys(numbers)
            pairs = dict.fromkeys(itertools.pairwise(numbers))
            firsts += (first for first, _ in pairs)
            seconds += (second for _, second in pairs)
        width = max(len(ids), 1)
        uni_df = np.bincount(np.array(unigrams, dtype=np.int64), minlength=width)
        bi_keys, bi_df = np.unique(
            np.array(firsts, dtype=np.int64) * width + np.array(seconds, dtype=np.int64),
            return_counts=True,
        )
        keep_uni = _keep(uni_df, min_df, limit // 2)
        keep_bi = _keep(bi_df, min_df, limit - len(keep_uni))
        # Keep only the words some feature needs (a third of those seen): renumber them.
        firsts_kept, seconds_kept = bi_keys[keep_bi] // width, bi_keys[keep_bi] % width
        needed = np.unique(np.concatenate([keep_uni, firsts_kept, seconds_kept]))
        renumber = np.full(width, -1, dtype=np.int64)
        renumber[needed] = np.arange(len(needed))
        spelled = list(ids)  # insertion order is id order
        kept = {spelled[old]: new for new, old in enumerate(needed.tolist())}
        new_width = max(len(kept), 1)
        column = np.full(new_width, -1, dtype=np.int64)
        column[renumber[keep_uni]] = np.arange(len(keep_uni))
        bigrams = renumber[firsts_kept] * new_width + renumber[seconds_kept]
        order = np.argsort(bigrams, kind="stable")
        df = np.concatenate([uni_df[keep_uni], bi_df[keep_bi][order]])
        return cls(kept, column, bigrams[order], _idf(df, len(tokenised)))

    def transform(self, tokenised: Sequence[list[str]]) -> Entries:
        lookup = self.ids.get
        numbers = [[lookup(token, -1) for token in tokens] for tokens in tokenised]
        token_rows = np.repeat(np.arange(len(numbers)), [len(n) for n in numbers])
        token_ids = np.fromiter(itertools.chain.from_iterable(numbers), np.int64, len(token_rows))
        known = token_ids >= 0
        uni_cols = self.unigram_column[np.where(known, token_ids, 0)]
        use = known & (uni_cols >= 0)
        out_rows, out_cols = [token_rows[use]], [uni_cols[use]]
        if len(token_ids) > 1 and len(self.bigrams):
            same = (token_rows[:-1] == token_rows[1:]) & known[:-1] & known[1:]
            keys = token_ids[:-1] * len(self.unigram_column) + token_ids[1:]
            at = np.minimum(np.searchsorted(self.bigrams, keys), len(self.bigrams) - 1)
            hit = same & (self.bigrams[at] == keys)
            out_rows.append(token_rows[:-1][hit])
            out_cols.append(at[hit] + (len(self.idf) - len(self.bigrams)))
        rows, cols = np.concatenate(out_rows), np.concatenate(out_cols)
        return _tfidf(rows, cols, len(tokenised), self.idf)


@dataclass
class Featuriser:
    word: WordNgrams
    char: CharNgrams

    @classmethod
    def fit_transform(
        cls,
        texts: Sequence[str],
        *,
        char_sizes: tuple[int, ...] = (1, 2, 3, 4, 5),
        min_df: int = 2,
        max_features: int = 300_000,
    ) -> tuple[Featuriser, sp.csr_matrix]:
        """Learn the vocabularies from `texts` and return them with the texts' features."""
        cleaned = [clean(text) for text in texts]
        tokenised = [words(text) for text in cleaned]  # tokenised once, used twice
        word = WordNgrams.fit(tokenised, min_df, max_features)
        char = CharNgrams.fit(cleaned, char_sizes, min_df, max_features)
        featuriser = cls(word, char)
        return featuriser, featuriser._features(cleaned, tokenised)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        cleaned = [clean(text) for text in texts]
        return self._features(cleaned, [words(text) for text in cleaned])

    def entries(self, texts: Sequence[str]) -> Entries:
        """The features of a few texts, for scoring without building a scipy matrix."""
        cleaned = [clean(text) for text in texts]
        word = self.word.transform([words(text) for text in cleaned])
        char = self.char.transform(cleaned)
        return Entries(
            np.concatenate([word.rows, char.rows]),
            np.concatenate([word.cols, char.cols + word.n_cols]),
            np.concatenate([word.values, char.values]),
            len(cleaned),
            self.size,
        )

    def _features(self, cleaned: list[str], tokenised: list[list[str]]) -> sp.csr_matrix:
        # Blocks of ~1,000 texts keep the n-gram arrays in the CPU's cache (faster than both
        # one huge block and many tiny ones).
        blocks = [
            sp.hstack(
                [
                    self.word.transform(tokenised[start : start + BLOCK]).csr(),
                    self.char.transform(cleaned[start : start + BLOCK]).csr(),
                ],
                format="csr",
                dtype=np.float32,
            )
            for start in range(0, max(len(cleaned), 1), BLOCK)
        ]
        return blocks[0] if len(blocks) == 1 else sp.vstack(blocks, format="csr")

    @property
    def size(self) -> int:
        return len(self.word.idf) + len(self.char.idf)
