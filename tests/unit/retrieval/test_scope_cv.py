"""The cross-validation that chooses the scope head's C, threshold and rescue level, on
examples and vectors written here (the real run needs the embedder: python -m
assistant.retrieval.scope_cv)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.relevance import Coverage, CoverageCheck
from assistant.retrieval.scope_cv import Grid, Observed, choose, folds, grid
from assistant.retrieval.scope_examples import Example


def _observed(rescuable_in_scope: bool) -> Observed:
    """40 in scope (x > 0), 40 out (x < 0); the rules refuse 6 in-scope examples by
    similarity alone (rescuable or not) and 10 out-of-scope ones."""
    rng = np.random.default_rng(3)
    inside = rng.normal(1.5, 0.4, (40, 2))
    outside = rng.normal(-1.5, 0.4, (40, 2))
    vectors = np.vstack([inside, outside])
    examples = [Example(f"in {i}", "zh", "in_scope") for i in range(40)]
    examples += [Example(f"out {i}", "zh", "out_of_scope", lookalike=i % 2 == 0) for i in range(40)]
    refused = np.zeros(80, dtype=bool)
    refused[:6] = True
    refused[40:50] = True
    rescuable = np.zeros(80, dtype=bool)
    rescuable[:6] = rescuable_in_scope
    rescuable[40:50] = True  # the out-of-scope ones the similarity tests caught
    return Observed(examples, refused, np.zeros(80, dtype=bool), rescuable, vectors, vectors)


def test_folds_are_stratified_and_the_same_on_every_run() -> None:
    observed = _observed(True)
    first, again = folds(observed.examples), folds(observed.examples)
    assert (first == again).all()
    for fold in range(5):
        members = [observed.examples[i] for i in np.flatnonzero(first == fold)]
        assert sum(e.out_of_scope for e in members) == 8


def test_a_rescue_level_gives_back_in_scope_questions_the_similarity_tests_refused() -> None:
    rows = grid(_observed(True))
    without = choose([r for r in rows if r.rescue is None], limit=0.2)
    rescued = choose(rows, limit=0.0)
    assert without.false_refusals == pytest.approx(6 / 40)  # the rules' refusals stay
    assert rescued.rescue is not None and rescued.false_refusals == 0.0
    # the out-of-scope questions the similarity tests refused are far from the head's low
    # probabilities: a rescue never lets them through, and the head refuses the rest
    assert rescued.refused == 1.0


def test_without_rescuable_refusals_no_rescue_level_changes_anything() -> None:
    rows = grid(_observed(False))
    by_rescue = {r.rescue: r for r in rows if r.c == 10.0 and r.threshold == 0.5}
    assert len({(r.false_refusals, r.refused) for r in by_rescue.values()}) == 1


def test_choose_prefers_more_refused_then_higher_threshold_smaller_c_and_smaller_rescue() -> None:
    def row(c: float, t: float, rescue: float | None, fr: float, refused: float) -> Grid:
        return Grid(c, t, rescue, fr, refused, refused, refused)

    rows = [
        row(10, 0.7, None, 0.03, 0.99),  # too many false refusals
        row(10, 0.6, 0.1, 0.01, 0.95),
        row(10, 0.7, 0.1, 0.01, 0.95),
        row(3, 0.7, 0.1, 0.01, 0.95),
        row(3, 0.7, 0.05, 0.01, 0.95),
    ]
    assert choose(rows, limit=0.02) == rows[-1]


def test_the_rescue_overrides_the_similarity_tests_but_never_a_foreign_word() -> None:
    check = CoverageCheck(floor_zh=0.9, floor_en=0.9, head_threshold=0.7, head_rescue=0.05)
    sure_inside = Coverage(0.5, 0.6, outside_probability=0.01)
    assert not check.near_enough("年度计划谁来批", sure_inside)
    assert check.rescued(sure_inside)
    assert not check.rescued(Coverage(0.5, 0.6, outside_probability=0.2))
    assert not check.rescued(Coverage(0.5, 0.6, foreign=("贷款",), outside_probability=0.01))
    assert not CoverageCheck(floor_zh=0.9, floor_en=0.9).rescued(sure_inside)  # no head
