"""One chunk per clause and per indicator, each carrying what an answer cites."""

from __future__ import annotations

import pytest

from assistant.knowledge.schema import AreaCode
from assistant.knowledge.standard import parse_standard
from assistant.retrieval.chunks import CATALOG_SOURCE, document_chunks
from assistant.retrieval.corpus import Corpus
from assistant.retrieval.lexical import Tokenizer
from tests.utils.retrieval import shipped_corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return shipped_corpus()


def test_every_clause_and_indicator_is_one_chunk(corpus: Corpus) -> None:
    clauses = [c for d in corpus.documents for c in d.clauses]
    kinds = [c.kind for c in corpus.chunks]
    assert kinds.count("clause") == len(clauses)
    assert kinds.count("indicator") == len(corpus.catalog.indicators)
    assert len({c.key for c in corpus.chunks}) == len(corpus.chunks)


def test_requirement_clause_knows_its_area_and_level(corpus: Corpus) -> None:
    chunk = next(c for c in corpus.chunks if c.kind == "clause" and c.clause == "9.4.3")
    assert (chunk.area, chunk.level) == (AreaCode.SO, 4)
    assert chunk.heading_chain.startswith("9 服务运营 > 9.4 四星要求 > 9.4.3")
    level_trait = next(c for c in corpus.chunks if c.kind == "clause" and c.clause == "5.3")
    assert (level_trait.area, level_trait.level) == (None, 3)


def test_indicator_chunk_cites_its_clause_and_carries_hints(corpus: Corpus) -> None:
    chunk = next(c for c in corpus.chunks if c.indicator_id == "SO-4-03")
    assert chunk.clause == "9.4.3" and chunk.source == CATALOG_SOURCE
    assert chunk.hint and chunk.hint in chunk.search_text
    assert "证据" in chunk.search_text and chunk.core


def test_indicator_chunk_is_searched_in_english_too(corpus: Corpus) -> None:
    for indicator in corpus.catalog.indicators:
        chunk = next(c for c in corpus.chunks if c.indicator_id == indicator.id)
        assert indicator.question_en and indicator.question_en in chunk.search_text
        assert all(hint in chunk.search_text for hint in indicator.hints_en)
        assert indicator.question_en not in chunk.embed_text


def test_english_words_are_stemmed_for_bm25() -> None:
    tokens = Tokenizer().tokens
    assert tokens("Questionnaires") == tokens("questionnaire")
    assert tokens("trained staff") == tokens("training staffs")
    assert tokens("年度计划 plans")[-1] == tokens("plan")[0] == "plan"


def test_no_chunk_is_a_heading_alone(corpus: Corpus) -> None:
    assert all(len(c.text) >= 10 for c in corpus.chunks)


def test_a_clause_is_never_split() -> None:
    long_body = "机构应制定年度计划，" * 200 + "并按计划执行。"
    document = parse_standard(f"# 6 服务战略\n{long_body}\n", "long.md")
    chunks = document_chunks([document])
    assert len(chunks) == 1 and chunks[0].text.endswith("并按计划执行。")


def test_corpus_hash_follows_content(corpus: Corpus) -> None:
    assert shipped_corpus().content_hash == corpus.content_hash


def test_annex_r_clauses_are_chunks_of_their_own_without_level_or_area(corpus: Corpus) -> None:
    annex = [c for c in corpus.chunks if c.kind == "clause" and c.clause.startswith("R")]
    numbers = {c.clause for c in annex}
    assert {"R", "R.1", "R.1.2", "R.1.8", "R.2.4", "R.3.4", "R.3.10"} <= numbers
    for chunk in annex:
        assert (chunk.level, chunk.area, chunk.rendition) == (None, None, "reference")
        assert chunk.heading_chain.startswith("附录 R（本项目规则，非标准条文）")
        assert chunk.search_text.startswith(chunk.heading_chain)
    rule = next(c for c in annex if c.clause == "R.1.2")
    assert rule.heading_chain.endswith("> R.1 评级规则 > R.1.2 能力域等级的判定")
    assert not any(c.clause.split(".")[0] in {"11", "12", "13"} for c in corpus.chunks)
