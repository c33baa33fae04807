"""Gather the labelled tuning questions into the scope head's training examples.

    python -m assistant.retrieval.scope_examples [--tests DIR] [--out FILE]

The learned scope head (``assistant.retrieval.scope_head``) is trained at index build time on
``knowledge/retrieval/scope_examples.yaml``; the runtime never reads ``tests/``, so this
development script copies the questions over. Only the *tuning* sets are read (``TUNING``),
and the held-out sets already spent (``SPENT``: their figures were reported, a newer set
measures now); any other file named ``*heldout*`` or ``*holdout*`` must stay unseen, and this
script refuses it. ``answer_phrasings.yaml`` is not used: its texts are answers to the
interview's questions ("有的，每年都制定"), not questions about the standard.

A partly covered question is ``in_scope`` here: the head must not refuse it, the look-alike
table and the foreign-word split name the part the standard does not cover. Each question is
kept once (first set first), exact duplicates dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "EXAMPLES",
    "SPENT",
    "TUNING",
    "Example",
    "examples_hash",
    "gather",
    "load_examples",
    "main",
    "write_examples",
]

Label = Literal["in_scope", "out_of_scope"]

EXAMPLES = Path(__file__).resolve().parents[2] / "knowledge" / "retrieval" / "scope_examples.yaml"
TESTS_DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
# The Q&A tuning sets, then the retrieval tuning set (its in-scope questions only).
TUNING = (
    *("qa_dev.yaml", "qa_dev2.yaml", "qa_dev4.yaml", "qa_dev5.yaml", "qa_lookalikes3.yaml"),
    "qa_dev6.yaml",
)
# Held-out sets whose figures have been reported are spent: from then on their questions tune,
# and only a newer held-out set measures. The newest (qa_heldout8.yaml) is never read here.
SPENT = (
    *("qa_heldout.yaml", "qa_heldout2.yaml", "qa_heldout3.yaml", "qa_heldout4.yaml"),
    *("qa_heldout5.yaml", "qa_heldout6.yaml", "qa_heldout7.yaml"),
)
RETRIEVAL_TUNING = "retrieval_questions.yaml"
_UNSEEN = ("heldout", "holdout")


@dataclass(frozen=True)
class Example:
    question: str
    lang: str
    label: Label
    lookalike: bool = False  # an out-of-scope question in the standard's words (CV figures)

    @property
    def out_of_scope(self) -> bool:
        return self.label == "out_of_scope"


def _read(path: Path) -> dict[str, Any]:
    if path.name not in SPENT and any(word in path.name.lower() for word in _UNSEEN):
        raise ValueError(f"{path.name} is a held-out set: never train on it")
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _qa_set(path: Path) -> Iterable[Example]:
    for item in _read(path)["questions"]:
        label: Label = "out_of_scope" if item["kind"] == "out_of_scope" else "in_scope"
        question, lookalike = str(item["question"]).strip(), bool(item.get("lookalike"))
        yield Example(question, str(item["lang"]), label, lookalike and label == "out_of_scope")


def _retrieval_set(path: Path) -> Iterable[Example]:
    for item in _read(path)["questions"]:
        if item["targets"]:  # an out-of-scope question has no target
            yield Example(str(item["q"]).strip(), str(item["lang"]), "in_scope")


def gather(tests_data: Path = TESTS_DATA) -> list[Example]:
    """The tuning sets' questions, each once, in file order."""
    found: dict[str, Example] = {}
    for name in (*TUNING, *SPENT):
        for example in _qa_set(tests_data / name):
            found.setdefault(example.question, example)
    for example in _retrieval_set(tests_data / RETRIEVAL_TUNING):
        found.setdefault(example.question, example)
    return list(found.values())


def examples_hash(examples: Iterable[Example]) -> str:
    """What a stored head was trained on: the questions, languages and labels, in order
    (``lookalike`` only groups the CV's figures)."""
    rows = [[e.question, e.lang, e.label] for e in examples]
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def write_examples(examples: list[Example], path: Path = EXAMPLES) -> None:
    header = (
        "# 范围判别头的训练样例 / Training examples of the learned scope head\n"
        "# (assistant/retrieval/scope_head.py). Generated from the tuning question sets by\n"
        "#   python -m assistant.retrieval.scope_examples\n"
        "# Never add a question of an unspent held-out set. partial questions are in_scope.\n"
    )
    document = {
        "version": 1,
        "sources": [*TUNING, *SPENT, f"{RETRIEVAL_TUNING} (in scope)"],
        "examples": [_row(e) for e in examples],
    }
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + body, encoding="utf-8")


def _row(example: Example) -> dict[str, Any]:
    row: dict[str, Any] = {"question": example.question, "lang": example.lang}
    row["label"] = example.label
    if example.lookalike:
        row["lookalike"] = True
    return row


def load_examples(path: Path = EXAMPLES) -> list[Example]:
    """The stored examples ([] when the file is missing)."""
    if not path.is_file():
        return []
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Example(
            str(item["question"]), str(item["lang"]), item["label"], bool(item.get("lookalike"))
        )
        for item in document.get("examples", [])
        if item.get("label") in ("in_scope", "out_of_scope")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gather the scope head's training examples")
    parser.add_argument("--tests", type=Path, default=TESTS_DATA, help="the tests' data folder")
    parser.add_argument("--out", type=Path, default=EXAMPLES)
    args = parser.parse_args(argv)
    examples = gather(args.tests)
    write_examples(examples, args.out)
    outside = sum(e.out_of_scope for e in examples)
    print(  # noqa: T201
        f"{len(examples)} examples ({len(examples) - outside} in scope, {outside} out of scope)"
        f" → {args.out}\n{examples_hash(examples)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
