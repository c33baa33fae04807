"""Search keys for clauses (English, and colloquial Chinese): indexed for BM25, never quoted."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.standard import load_standard
from assistant.retrieval.chunks import document_chunks
from assistant.retrieval.clause_keys import ClauseKeys, load_clause_keys
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.search import Method

SHIPPED = load_clause_keys(default_knowledge_dir() / "retrieval" / "clause_keys.yaml")
DOCUMENTS = load_standard(default_knowledge_dir() / "standard")


def test_every_shipped_key_names_a_clause_and_is_english() -> None:
    SHIPPED.check_against(DOCUMENTS)  # raises on an unknown clause number
    assert SHIPPED.keys
    for value in SHIPPED.keys.values():
        assert value.isascii() and len(value.split()) >= 5


def test_chinese_keys_name_clauses_and_are_chinese() -> None:
    assert SHIPPED.keys_zh
    for value in SHIPPED.keys_zh.values():
        assert not value.isascii()


def test_merged_keys_carry_both_languages_for_each_clause() -> None:
    keys = ClauseKeys(
        version=1, keys={"R.2.7": "certificate"}, keys_zh={"R.2.7": "有什么用", "R.2.1": "谁发的"}
    )
    assert keys.merged() == {"R.2.7": "certificate; 有什么用", "R.2.1": "谁发的"}


def test_an_unknown_clause_number_among_the_chinese_keys_is_a_clear_error() -> None:
    keys = ClauseKeys(version=1, keys_zh={"R.9.8": "没有"})
    with pytest.raises(KnowledgeError, match="R.9.8"):
        keys.check_against(DOCUMENTS)


def test_every_annex_r_clause_has_keys() -> None:
    annex = {c.number for d in DOCUMENTS for c in d.clauses if c.number.startswith("R")}
    assert annex and annex <= set(SHIPPED.keys)


def test_an_unknown_clause_number_is_a_clear_error() -> None:
    keys = ClauseKeys(version=1, keys={"R.9.9": "nothing"})
    with pytest.raises(KnowledgeError, match="R.9.9"):
        keys.check_against(DOCUMENTS)


def test_a_missing_file_means_no_keys(tmp_path: Path) -> None:
    assert load_clause_keys(tmp_path / "clause_keys.yaml").keys == {}


def test_keys_are_searched_but_neither_embedded_nor_quoted() -> None:
    number = next(iter(SHIPPED.keys))
    chunk = next(c for c in document_chunks(DOCUMENTS, keys=SHIPPED.keys) if c.clause == number)
    assert SHIPPED.keys[number] in chunk.search_text
    assert SHIPPED.keys[number] not in chunk.embed_text + chunk.text


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("How many points is a partly met finding worth?", "R.1.1"),
        ("Can a strong area make up for a weak one?", "R.1.3"),
        ("Who supervises the assessment bodies?", "R.2.3"),
    ],
)
def test_an_english_question_finds_a_chinese_only_clause(
    real_index: RetrievalIndex, question: str, clause: str
) -> None:
    hits = real_index.searcher.search(question, 3, Method.HYBRID)
    assert clause in [h.chunk.clause for h in hits]
