"""The end-to-end evaluation's metrics on a fabricated set with fake answers, and the held-out
set's form (its figures come from `python -m assistant.qa.evaluate`, not from here)."""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pytest
import yaml

from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import load_standard
from assistant.qa.evaluate import (
    DEFAULT_QUESTIONS,
    KINDS,
    Question,
    evaluate,
    first_hit,
    judge,
    load_questions,
    main,
    percentile,
    report,
)


@dataclass(frozen=True)
class FakeCitation:
    clause: str
    indicator_id: str | None = None


@dataclass(frozen=True)
class FakeAnswer:
    covered: object
    citations: Sequence[FakeCitation] = ()
    kind: str = "retrieved"
    not_covered: str = ""


def question(qid: str, kind: str = "requirement", lang: str = "zh", **fields: object) -> Question:
    values: dict[str, object] = {
        "id": qid,
        "lang": lang,
        "kind": kind,
        "lookalike": False,
        "question": f"fabricated question {qid}",
        "gold_clauses": ("6.1.1",) if kind != "out_of_scope" else (),
        "gold_indicators": ("SS-1-01",) if kind != "out_of_scope" else (),
        "partial": False,
        "not_covered": "",
    }
    values.update(fields)
    return Question(**values)  # type: ignore[arg-type]


def ranked(rank: int | None, length: int = 10) -> tuple[FakeCitation, ...]:
    """``length`` citations, the gold clause at ``rank`` (1-based) and nowhere else."""
    return tuple(FakeCitation("6.1.1" if i == rank else f"9.9.{i}") for i in range(1, length + 1))


def test_exact_clause_or_indicator_hits_and_relatives_do_not() -> None:
    q = question("Q1", gold_clauses=("6.1.1",), gold_indicators=("SS-1-01",))
    assert first_hit(q, [FakeCitation("6.1"), FakeCitation("6.1.1.2"), FakeCitation("6")]) is None
    assert first_hit(q, [FakeCitation("6.1"), FakeCitation("6.1.1")]) == 2
    assert first_hit(q, [FakeCitation("6.2"), FakeCitation("6.2.1", "SS-1-01")]) == 2
    assert first_hit(q, ranked(11, length=12)) is None  # beyond the top 10


def test_refused_and_partial_answers() -> None:
    q = question("Q1")
    refused = judge(q, FakeAnswer(False, ranked(1)), 1.0)
    assert refused.refused and refused.rank is None  # a refusal is never a hit
    assert judge(q, FakeAnswer("partial", ranked(2)), 1.0).flagged_partial
    assert judge(q, FakeAnswer(True, ranked(2), not_covered="费用"), 1.0).flagged_partial
    plain = judge(q, FakeAnswer(True, ranked(2)), 1.0)
    assert not plain.flagged_partial and not plain.refused and plain.rank == 2


def _fabricated() -> list[tuple[Question, FakeAnswer, int | None]]:
    """Every kind and language; ranks 1-5, misses, a refusal, partial and out-of-scope cases."""
    cases: list[tuple[Question, FakeAnswer, int | None]] = []
    for n, kind in enumerate(KINDS):
        for lang, rank in (("zh", n % 5 + 1), ("en", None if n % 2 else 2)):
            q = question(f"F{n}{lang}", kind, lang)
            cases.append((q, FakeAnswer(True, ranked(rank), kind="exact" if n == 0 else ""), rank))
    cases.append((question("R1", lang="en"), FakeAnswer(False), None))
    partial = question("P1", partial=True, not_covered="价格")
    cases.append((partial, FakeAnswer("partial", ranked(1)), 1))
    cases.append(
        (
            replace(partial, id="P2", question="fabricated question P2"),
            FakeAnswer(True, ranked(3)),
            3,
        )
    )
    for i, (lang, lookalike, covered) in enumerate(
        [("zh", True, False), ("zh", True, True), ("en", False, False), ("zh", False, False)]
    ):
        q = question(f"O{i}", "out_of_scope", lang, lookalike=lookalike)
        cases.append((q, FakeAnswer(covered), None))
    return cases


def _clock(durations_ms: Sequence[float]) -> Iterator[float]:
    now = 0.0
    for ms in durations_ms:
        yield now
        now += ms / 1000
        yield now


def test_report_on_a_fabricated_set() -> None:
    cases = _fabricated()
    answers = {q.question: a for q, a, _ in cases}
    durations = [float(10 * (i + 1)) for i in range(len(cases))]
    ticks = _clock(durations)
    outcomes = evaluate([q for q, _, _ in cases], answers.__getitem__, lambda: next(ticks))
    result = report(outcomes)

    def expected(chosen: list[tuple[Question, FakeAnswer, int | None]]) -> tuple[float, float]:
        ranks = [r for _, _, r in chosen]
        return (
            sum(r is not None and r <= 3 for r in ranks) / len(ranks),
            sum(1 / r for r in ranks if r is not None) / len(ranks),
        )

    inside = [c for c in cases if c[0].kind != "out_of_scope"]
    assert (result.overall.hit3, result.overall.mrr10) == pytest.approx(expected(inside))
    for kind in KINDS:
        of_kind = [c for c in inside if c[0].kind == kind]
        scores = result.by_kind[kind]
        assert (scores.hit3, scores.mrr10) == pytest.approx(expected(of_kind))
    for lang in ("zh", "en"):
        of_lang = [c for c in inside if c[0].lang == lang]
        assert result.by_lang[lang].n == len(of_lang)
        assert result.by_lang[lang].hit3 == pytest.approx(expected(of_lang)[0])
    assert result.overall.false_refusals.hits == 1 == result.by_lang["en"].false_refusals.hits
    outside = [c for c in cases if c[0].kind == "out_of_scope"]
    refused = result.out_of_scope_refused
    assert (refused["all"].hits, refused["all"].of) == (
        sum(a.covered is False for _, a, _ in outside),
        len(outside),
    )
    assert (refused["look-alike"].hits, refused["look-alike"].of) == (1, 2)
    assert refused["zh"].of + refused["en"].of == len(outside)
    assert (result.partial_flagged.hits, result.partial_flagged.of) == (1, 2)
    assert result.exact_answers.hits == 2  # the first kind, in both languages
    assert result.p50_ms == pytest.approx(statistics.median(durations))
    assert result.p95_ms == pytest.approx(percentile(durations, 0.95))


def test_main_prints_aggregates_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _fabricated()
    path = tmp_path / "questions.yaml"
    items = [
        {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(q).items()}
        for q, _, _ in cases
    ]
    path.write_text(yaml.safe_dump({"version": 1, "questions": items}), encoding="utf-8")
    answers = {q.question: a for q, a, _ in cases}

    def ask(text: str) -> FakeAnswer:
        return answers.get(text, FakeAnswer(True))  # the warm-up question too

    assert main(["--questions", str(path)], ask) == 0
    text = capsys.readouterr().out
    assert all(kind in text for kind in KINDS)
    assert not any(q.question in text or q.id in text for q, _, _ in cases)
    assert main(["--questions", str(path), "--json"], ask) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["questions"] == len(cases)
    assert set(figures["by_kind"]) == set(KINDS)


# The held-out set: well-formed against the knowledge it is scored on.


@pytest.fixture(scope="module")
def heldout() -> list[Question]:
    return load_questions(DATA / "qa_heldout.yaml")


DATA = Path(__file__).resolve().parents[2] / "data"
QUESTION_SETS = sorted(DATA.glob("qa_*.yaml"))


def test_the_default_set_is_the_newest_unspent_held_out_set() -> None:
    from assistant.retrieval.scope_examples import SPENT

    newest = max((p for p in QUESTION_SETS if "heldout" in p.stem), key=lambda p: p.stem)
    assert DEFAULT_QUESTIONS == newest and DEFAULT_QUESTIONS.name not in SPENT


def test_the_default_set_has_numbered_ids_and_every_kind(heldout: list[Question]) -> None:
    ids = [q.id for q in heldout]
    assert all(re.fullmatch(r"H\d{3}", i) for i in ids)
    assert {q.kind for q in heldout} == {*KINDS, "out_of_scope"}
    assert all(q.not_covered for q in heldout if not q.in_scope)


@pytest.mark.parametrize("path", QUESTION_SETS, ids=lambda p: p.stem)
def test_every_question_set_is_well_formed(path: Path, real_catalog: Catalog) -> None:
    questions = load_questions(path)
    clauses = {
        c.number for d in load_standard(default_knowledge_dir() / "standard") for c in d.clauses
    }
    indicators = {i.id for i in real_catalog.indicators}
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    assert {q.kind for q in questions} <= {*KINDS, "out_of_scope"}
    for q in questions:
        assert q.lang in ("zh", "en") and q.question.strip(), q.id
        assert set(q.gold_clauses) <= clauses, q.id
        assert set(q.gold_indicators) <= indicators, q.id
        if q.in_scope:
            assert (q.gold_clauses or q.gold_indicators) and not q.lookalike, q.id
            assert bool(q.not_covered) == q.partial, q.id
        else:
            assert not (q.gold_clauses or q.gold_indicators or q.partial), q.id


@pytest.mark.parametrize(
    "path", [p for p in QUESTION_SETS if "heldout" in p.stem], ids=lambda p: p.stem
)
def test_a_heldout_set_carries_its_warning(path: Path) -> None:
    from assistant.retrieval.scope_examples import SPENT

    head = path.read_text(encoding="utf-8")[:800]
    assert "independently" in head and "NEVER tune" in head
    assert head.startswith("# SPENT") == (path.name in SPENT)
