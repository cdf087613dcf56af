"""Fake (computer-generated) review text classifier.

Baseline: TF-IDF of word 1–2-grams and char_wb 2–5-grams into a linear SVM.
Improved: the linear SVM on word n-grams and case-sensitive char 1–5-grams (punctuation and
spacing kept), whose out-of-fold margin is stacked with stylometric features (length,
repetition of n-grams, truncated endings, sentences glued without a space, punctuation and
case rates) in a gradient-boosted tree model.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

FAKE_LABEL = "CG"  # computer-generated; "OR" is an original human review
_WORD = re.compile(r"[A-Za-z']+")
_GLUED = re.compile(r"[a-z][.!?][A-Z]")
Labels = NDArray[np.int64]


@dataclass(frozen=True)
class ReviewSettings:
    seed: int = 0
    folds: int = 5
    inner_folds: int = 5
    svm_c: float = 0.5
    gbt_max_iter: int = 300
    gbt_learning_rate: float = 0.05


def load_reviews(path: Path) -> tuple[list[str], Labels]:
    """Rows with ``label`` (CG/OR) and ``text``; returns texts and 1 = fake."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or not {"label", "text"} <= set(rows[0]):
        raise ValueError(f"{path} needs the columns label,text")
    texts = [r["text"] for r in rows]
    labels = np.array([r["label"].strip().upper() == FAKE_LABEL for r in rows], dtype=np.int64)
    return texts, labels


def _style_row(t: str) -> list[float]:
    words = _WORD.findall(t.lower())
    n = max(len(words), 1)
    counts = Counter(words)
    bigrams = Counter(pairwise(words))
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    tail = t.rstrip()[-1:]
    sentences = [x for x in re.split(r"[.!?]+", t) if x.strip()]
    chars = max(len(t), 1)
    return [
        float(np.log1p(len(t))),
        float(np.log1p(len(words))),
        len(counts) / n,
        sum(v - 1 for v in bigrams.values() if v > 1) / n,
        sum(v - 1 for v in trigrams.values() if v > 1) / n,
        float(tail in ".!?)\"'"),
        float(tail.isalpha()),
        t.count("\n") / n,
        len(_GLUED.findall(t)) / n,
        t.count("  ") / n,
        sum(ch.isupper() for ch in t) / chars,
        sum(ch.isdigit() for ch in t) / chars,
        t.count(",") / n,
        t.count("!") / n,
        float(np.mean([len(w) for w in words])) if words else 0.0,
        float(len(sentences)),
        n / max(len(sentences), 1),
        counts.most_common(1)[0][1] / n if words else 0.0,
        words.count("i") / n,
        words.count("the") / n,
        t.count("(") / n,
        t.count('"') / n,
        t.count("'") / n,
    ]


def stylometric_features(texts: Sequence[str]) -> NDArray[np.float64]:
    return np.array([_style_row(t) for t in texts], dtype=np.float64)


def _vectorizers(improved: bool) -> list[TfidfVectorizer]:
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    if improved:
        char = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 5), sublinear_tf=True, min_df=2, lowercase=False
        )
    else:
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    return [word, char]


class TextLinearModel:
    """TF-IDF word + char n-grams into a linear SVM (the baseline, or the improved char set)."""

    def __init__(self, settings: ReviewSettings, *, improved: bool = False) -> None:
        self._vecs = _vectorizers(improved)
        self._svm = LinearSVC(C=settings.svm_c, max_iter=10_000, random_state=settings.seed)

    def _matrix(self, texts: Sequence[str], fit: bool) -> sparse.csr_matrix:
        blocks = [v.fit_transform(texts) if fit else v.transform(texts) for v in self._vecs]
        return sparse.csr_matrix(sparse.hstack(blocks))

    def fit(self, texts: Sequence[str], y: Labels) -> TextLinearModel:
        self._svm.fit(self._matrix(texts, fit=True), y)
        return self

    def margin(self, texts: Sequence[str]) -> NDArray[np.float64]:
        return np.asarray(self._svm.decision_function(self._matrix(texts, fit=False)))

    def predict(self, texts: Sequence[str]) -> Labels:
        return (self.margin(texts) > 0).astype(np.int64)


class StackedReviewModel:
    """Out-of-fold linear text margin + stylometric features -> gradient-boosted trees."""

    def __init__(self, settings: ReviewSettings) -> None:
        self._s = settings
        self._text: TextLinearModel | None = None
        self._gbt = HistGradientBoostingClassifier(
            max_iter=settings.gbt_max_iter,
            learning_rate=settings.gbt_learning_rate,
            random_state=settings.seed,
        )

    def fit(self, texts: Sequence[str], y: Labels) -> StackedReviewModel:
        oof = np.zeros(len(texts))
        inner = StratifiedKFold(self._s.inner_folds, shuffle=True, random_state=self._s.seed + 1)
        for a, b in inner.split(np.zeros(len(texts)), y):
            m = TextLinearModel(self._s, improved=True).fit([texts[i] for i in a], y[a])
            oof[b] = m.margin([texts[i] for i in b])
        self._text = TextLinearModel(self._s, improved=True).fit(texts, y)
        self._gbt.fit(np.column_stack([oof, stylometric_features(texts)]), y)
        return self

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if self._text is None:
            raise RuntimeError("fit the model first")
        z = np.column_stack([self._text.margin(texts), stylometric_features(texts)])
        return np.asarray(self._gbt.predict_proba(z)[:, 1])

    def predict(self, texts: Sequence[str]) -> Labels:
        return (self.predict_proba(texts) >= 0.5).astype(np.int64)


def _fit_predict(
    kind: str, s: ReviewSettings, train: tuple[list[str], Labels], test: list[str]
) -> Labels:
    if kind == "baseline":
        return TextLinearModel(s).fit(*train).predict(test)
    return StackedReviewModel(s).fit(*train).predict(test)


def _metrics(y: Labels, pred: Labels) -> dict[str, float]:
    return {
        "accuracy": round(float(accuracy_score(y, pred)), 4),
        "f1": round(float(f1_score(y, pred)), 4),
    }


def evaluate_reviews(
    train: tuple[list[str], Labels],
    test: tuple[list[str], Labels] | None = None,
    settings: ReviewSettings | None = None,
) -> dict[str, Any]:
    """Hold-out scores if ``test`` is given, else stratified k-fold CV on ``train``."""
    s = settings or ReviewSettings()
    texts, y = train
    results: dict[str, Any] = {}
    for kind in ("stacked", "baseline"):
        if test is not None:
            results[kind] = _metrics(test[1], _fit_predict(kind, s, train, test[0]))
            continue
        folds = StratifiedKFold(s.folds, shuffle=True, random_state=s.seed)
        per_fold = []
        for a, b in folds.split(np.zeros(len(texts)), y):
            pred = _fit_predict(kind, s, ([texts[i] for i in a], y[a]), [texts[i] for i in b])
            per_fold.append(_metrics(y[b], pred))
        results[kind] = {
            "accuracy": round(float(np.mean([m["accuracy"] for m in per_fold])), 4),
            "f1": round(float(np.mean([m["f1"] for m in per_fold])), 4),
            "accuracy_per_fold": [m["accuracy"] for m in per_fold],
        }
    protocol = "hold-out test file" if test is not None else f"stratified {s.folds}-fold CV"
    return {
        "accuracy": results["stacked"]["accuracy"],
        "f1": results["stacked"]["f1"],
        "model": "stacked: linear SVM text margin (out-of-fold) + stylometry -> GBT",
        "baseline": results["baseline"],
        "stacked": results["stacked"],
        "protocol": protocol,
        "n_train": len(texts),
        "n_test": len(test[0]) if test is not None else None,
        "settings": asdict(s),
    }
