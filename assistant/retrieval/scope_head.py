"""A learned second opinion on scope: logistic regression on the question's embedding.

The rules (``assistant.retrieval.relevance``: the relevance floor, the out-of-scope topics,
the look-alike table, words foreign to the standard) decide first. This head sees the vector
the dense search computes anyway and gives the probability that the question is out of scope;
``CoverageCheck.learned_refusal`` refuses at or above the calibrated threshold, unless the
question carries strong in-scope evidence (``assistant.qa.scope_gate``). It costs one dot
product of 384 numbers per question: no second embedding.

Training (``train``) is L2-regularised logistic regression, bias unpenalised, solved by Newton's
method with step halving in float64 numpy: a thousand examples of 384 dimensions need a 385×385
solve a few times, a few milliseconds, deterministic, and no new runtime dependency
(scikit-learn would pull scipy, joblib and threadpoolctl into every install for this; it agrees
with ``LogisticRegression(C=…)`` to 1e-5, see the unit tests).

At index build time (``open_scope_head``) the examples (``knowledge/retrieval/scope_examples.yaml``)
are embedded with the configured embedder in query mode and the head is trained and stored
beside the index (``index/scope_head.json``) with the embedder's name and the examples' hash;
a stored head for another embedder or other examples is retrained — or, where this process may
not build (a worker following another one's reindex), ignored with a warning: the rules then
decide alone. C and the threshold were chosen by 5-fold cross-validation on the same examples
(``python -m assistant.retrieval.scope_cv``, figures in ``knowledge/retrieval/scope_head.yaml``)
and hold for the embedder named there only; another embedder gets no head until the CV is run
for it. The chosen C, threshold and rescue level and their CV figures are in that file (and
the README), not repeated here.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from langchain_core.embeddings import Embeddings

from assistant.retrieval.scope_examples import EXAMPLES, Example, examples_hash, load_examples
from assistant.textnorm import normalize_user_text

__all__ = [
    "CALIBRATION",
    "HEAD_FILE",
    "ScopeCalibration",
    "ScopeHead",
    "embed_questions",
    "fit",
    "load_calibration",
    "load_head",
    "open_scope_head",
    "save_head",
    "train",
]

log = logging.getLogger(__name__)

CALIBRATION = EXAMPLES.with_name("scope_head.yaml")
HEAD_FILE = "scope_head.json"
FORMAT = 1
_MAX_STEPS = 100
_TOLERANCE = 1e-10
Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ScopeCalibration:
    """What the cross-validation chose, and for which embedder and examples."""

    embedder: str
    examples_hash: str
    c: float
    threshold: float
    # At or below this probability the head overrides the similarity tests' refusal of a
    # question with no foreign word (``CoverageCheck.rescued``); None: it never does.
    rescue: float | None = None


@dataclass(frozen=True)
class ScopeHead:
    embedder: str
    examples_hash: str
    c: float
    weights: tuple[float, ...]
    bias: float

    def probability(self, vector: Sequence[float]) -> float:
        """P(out of scope) for a question's embedding."""
        z = float(np.dot(np.asarray(vector, dtype=np.float64), self._w)) + self.bias
        return float(1.0 / (1.0 + np.exp(-z)))

    @property
    def _w(self) -> Matrix:
        cached: Matrix | None = self.__dict__.get("_w_cache")
        if cached is None:
            cached = np.asarray(self.weights, dtype=np.float64)
            object.__setattr__(self, "_w_cache", cached)
        return cached


def _loss(x: Matrix, y: Matrix, theta: Matrix, penalty: Matrix) -> float:
    z = x @ theta
    # log(1 + e^z) - y z, stable for large |z|
    return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * theta * theta))


def train(vectors: Matrix, labels: Sequence[bool], c: float) -> tuple[Matrix, float]:
    """Weights and bias minimising the log-loss + ‖w‖² / (2c) (labels: True = out of scope)."""
    x = np.hstack([np.asarray(vectors, dtype=np.float64), np.ones((len(labels), 1))])
    y = np.asarray(labels, dtype=np.float64)
    penalty = np.full(x.shape[1], 1.0 / c)
    penalty[-1] = 0.0  # the bias is not shrunk
    theta = np.zeros(x.shape[1])
    loss = _loss(x, y, theta, penalty)
    for _ in range(_MAX_STEPS):
        p = 1.0 / (1.0 + np.exp(-(x @ theta)))
        gradient = x.T @ (p - y) + penalty * theta
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty + 1e-12)
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while size > 1e-6:
            candidate = theta - size * step
            new_loss = _loss(x, y, candidate, penalty)
            if new_loss <= loss:
                break
            size /= 2
        else:
            break
        theta, done = candidate, loss - new_loss < _TOLERANCE * max(1.0, abs(loss))
        loss = new_loss
        if done:
            break
    return theta[:-1].copy(), float(theta[-1])


def embed_questions(embeddings: Embeddings, questions: Sequence[str]) -> Matrix:
    """The questions' vectors as a search embeds them (query mode), batched when it can be."""
    batch = getattr(embeddings, "embed_queries", None)
    rows = (
        batch(list(questions))
        if callable(batch)
        else [embeddings.embed_query(q) for q in questions]
    )
    return np.asarray(rows, dtype=np.float64).reshape(len(questions), -1)


def fit(examples: Sequence[Example], vectors: Matrix, embedder: str, c: float) -> ScopeHead:
    weights, bias = train(vectors, [e.out_of_scope for e in examples], c)
    return ScopeHead(embedder, examples_hash(examples), c, tuple(weights.tolist()), bias)


def save_head(head: ScopeHead, path: Path) -> None:
    """Written whole or not at all (another worker may read it meanwhile)."""
    document = {
        "format": FORMAT,
        "embedder": head.embedder,
        "examples_hash": head.examples_hash,
        "c": head.c,
        "bias": head.bias,
        "weights": list(head.weights),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(document), encoding="utf-8")
    os.replace(partial, path)


def load_head(path: Path, embedder: str, digest: str, c: float) -> ScopeHead | None:
    """The stored head when it was trained for this embedder, these examples and this C."""
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        head = ScopeHead(
            str(document["embedder"]),
            str(document["examples_hash"]),
            float(document["c"]),
            tuple(float(w) for w in document["weights"]),
            float(document["bias"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("ignoring the stored scope head %s: %r", path, exc)
        return None
    if document.get("format") != FORMAT or (head.embedder, head.examples_hash, head.c) != (
        embedder,
        digest,
        c,
    ):
        return None
    return head


def load_calibration(path: Path = CALIBRATION) -> ScopeCalibration | None:
    if not path.is_file():
        return None
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    chosen = document.get("chosen") or {}
    try:
        return ScopeCalibration(
            str(document["embedder"]),
            str(document["examples_hash"]),
            float(chosen["c"]),
            float(chosen["threshold"]),
            None if chosen.get("rescue") is None else float(chosen["rescue"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.warning("ignoring the scope head calibration %s: %r", path, exc)
        return None


def open_scope_head(
    directory: Path,
    embeddings: Embeddings,
    embedder: str,
    *,
    examples_path: Path = EXAMPLES,
    calibration: ScopeCalibration | None,
    may_train: bool = True,
) -> ScopeHead | None:
    """The head stored in ``directory``, trained (and stored) when missing or stale; None —
    the rules decide alone — when there is no calibration for ``embedder`` or no examples, or
    when it is stale and ``may_train`` is False. Never raises for a bad file."""
    if calibration is None or calibration.embedder != embedder:
        log.info("no scope head calibrated for embedder %r: the rules decide alone", embedder)
        return None
    examples = load_examples(examples_path)
    if not examples:
        log.warning("no scope examples in %s: the rules decide alone", examples_path)
        return None
    digest = examples_hash(examples)
    if digest != calibration.examples_hash:
        log.warning(
            "the scope examples changed since the CV: rerun python -m assistant.retrieval.scope_cv"
        )
    path = directory / HEAD_FILE
    head = load_head(path, embedder, digest, calibration.c)
    if head is not None:
        return head
    if not may_train:
        log.warning("the stored scope head is missing or stale: the rules decide alone")
        return None
    head = _trained.get((embedder, digest, calibration.c)) or _train(
        examples, embeddings, embedder, calibration.c
    )
    try:
        save_head(head, path)
    except OSError as exc:  # serving goes on with the head in memory
        log.warning("storing the scope head in %s failed: %r", path, exc)
    return head


# Heads this process trained: another index directory (a test's, a rebuild) reuses them.
_trained: dict[tuple[str, str, float], ScopeHead] = {}


def _train(
    examples: Sequence[Example], embeddings: Embeddings, embedder: str, c: float
) -> ScopeHead:
    started = time.perf_counter()
    vectors = embed_questions(embeddings, [normalize_user_text(e.question) for e in examples])
    head = fit(examples, vectors, embedder, c)
    _trained[(embedder, head.examples_hash, c)] = head
    seconds = time.perf_counter() - started
    log.info("trained the scope head on %d examples in %.1f s", len(examples), seconds)
    return head
