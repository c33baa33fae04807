"""The answer first: opening sentences with [n] markers, numbered quotes, titled citations."""

from __future__ import annotations

import re
from pathlib import PurePath

import pytest

from assistant.knowledge.schema import Catalog, EvidenceClass
from assistant.qa.extractive import extractive_answer
from assistant.qa.labels import STANDARD_CODE, STANDARD_TITLE, citation_label, labelled
from assistant.qa.layout import brief
from assistant.qa.models import Answer, Citation, Language
from assistant.qa.service import QuestionAnswerer
from assistant.retrieval.chunks import Chunk
from assistant.retrieval.corpus import Corpus
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck
from assistant.retrieval.search import Hit
from tests.utils.retrieval import in_memory_index, shipped_corpus

OPEN = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0)
CJK = re.compile(r"[\u4e00-\u9fff]")
MARKER = re.compile(r"\[(\d{1,3})\]")
ZH_STOPS = re.compile(r"[。！？]")
EN_STOPS = re.compile(r"[.!?](?= [A-Z]|$)")

RETRIEVED = [
    "四星对数据有什么要求？",
    "一体化服务平台要做到什么程度？",
    "投诉处理要准备哪些材料？",
    "核心指标是什么意思",
    "数据治理是什么意思",
    "What does the integrated service platform need?",
    "Which evidence shows that complaints are handled?",
]
ENGLISH = [q for q in RETRIEVED if not CJK.search(q)]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return shipped_corpus()


@pytest.fixture(scope="module")
def index(corpus: Corpus) -> RetrievalIndex:
    return in_memory_index(corpus)


@pytest.fixture(scope="module")
def retrieval_only(index: RetrievalIndex) -> QuestionAnswerer:
    """Retrieval answers only: exact answers (computed from the catalog) are another module's."""
    return QuestionAnswerer(index, OPEN, exact=False)


def hit(corpus: Corpus, key: str) -> Hit:
    chunk: Chunk = next(c for c in corpus.chunks if c.key == key)
    return Hit(chunk=chunk, score=1.0, dense=None, lexical=None)


def indicator_hit(corpus: Corpus, indicator_id: str) -> Hit:
    return hit(corpus, f"indicator:{indicator_id}")


def clause_hit(corpus: Corpus, number: str) -> Hit:
    chunk = next(c for c in corpus.chunks if c.kind == "clause" and c.clause == number)
    return Hit(chunk=chunk, score=1.0, dense=None, lexical=None)


def sentence_count(text: str, language: Language) -> int:
    return len((ZH_STOPS if language == "zh" else EN_STOPS).findall(text))


# --- the shape of every retrieved answer -------------------------------------------------------


@pytest.mark.parametrize("question", RETRIEVED)
def test_the_answer_opens_with_one_to_three_sentences(
    retrieval_only: QuestionAnswerer, question: str
) -> None:
    answer = retrieval_only.ask(question)
    assert answer.covered and answer.citations
    assert answer.lead and answer.text.split("\n\n")[0] == answer.lead
    assert 1 <= sentence_count(answer.lead, answer.language) <= 3, answer.lead
    assert "[1]" in answer.lead


@pytest.mark.parametrize("question", RETRIEVED)
def test_markers_are_the_citations_in_order(
    retrieval_only: QuestionAnswerer, question: str
) -> None:
    answer = retrieval_only.ask(question)
    numbers = [int(n) for n in MARKER.findall(answer.text)]
    assert set(numbers) == set(range(1, len(answer.citations) + 1))
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == sorted(first_seen)  # [2] never comes before [1]
    for number in range(1, len(answer.citations) + 1):
        assert f"\n\n[{number}] **" in answer.text  # each quote starts with its number


@pytest.mark.parametrize("question", RETRIEVED)
def test_labels_name_the_document_never_a_file(
    retrieval_only: QuestionAnswerer, question: str
) -> None:
    for citation in retrieval_only.ask(question).citations:
        assert citation.label and citation.document
        assert ".md" not in citation.label and ".md" not in citation.document
        if PurePath(citation.source).suffix:
            assert citation.source not in citation.label


def test_exact_answers_are_labelled_too(index: RetrievalIndex) -> None:
    answer = QuestionAnswerer(index, OPEN).ask("一星要准备哪些材料？")
    assert answer.citations
    assert all(c.label and ".md" not in c.label for c in answer.citations)


@pytest.mark.parametrize("question", ENGLISH)
def test_an_english_answer_opens_and_labels_in_english(
    retrieval_only: QuestionAnswerer, question: str
) -> None:
    answer = retrieval_only.ask(question)
    assert answer.language == "en"
    assert not CJK.search(answer.lead), answer.lead
    assert all(not CJK.search(c.label + c.document) for c in answer.citations)
    assert "What the standard says:" in answer.text or "annex R, not the standard" in answer.text


# --- what the opening says ---------------------------------------------------------------------


def test_a_requirement_question_opens_with_the_indicators_requirement(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    indicator = real_catalog.indicator("SO-4-05")
    hits = [indicator_hit(corpus, "SO-4-05"), clause_hit(corpus, "9.4.2")]
    answer = extractive_answer("四星对数据有什么要求？", hits, real_catalog, "zh")
    first_sentence = indicator.requirement.split("。")[0]
    assert answer.citations[0].indicator_id == indicator.id
    assert indicator.id in answer.lead and indicator.title.zh in answer.lead
    assert first_sentence in answer.lead
    assert "[1]" in answer.lead and "[2]" in answer.lead  # the second item: "另见……[2]"


def test_an_english_requirement_opening_says_what_counts_as_met(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    indicator = real_catalog.indicator("SO-4-05")
    assert indicator.scoring_en is not None
    hits = [indicator_hit(corpus, "SO-4-05"), clause_hit(corpus, "9.4.2")]
    answer = extractive_answer("What does four stars require of data?", hits, real_catalog, "en")
    assert answer.citations[0].indicator_id == indicator.id
    assert indicator.title.en in answer.lead
    assert indicator.scoring_en.met.split(". ")[0].rstrip(".") in answer.lead


def test_an_english_answer_led_by_a_chinese_clause_names_the_next_indicator_in_english(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    indicator = real_catalog.indicator("SO-4-03")
    assert indicator.scoring_en is not None
    hits = [clause_hit(corpus, "5.4"), indicator_hit(corpus, "SO-4-03"), clause_hit(corpus, "3.12")]
    question = "Which functions must the integrated platform have for four stars?"
    answer = extractive_answer(question, hits, real_catalog, "en")
    assert [c.clause for c in answer.citations][:1] == ["5.4"]  # the ranking is kept
    assert "The closest indicator is SO-4-03" in answer.lead and "[2]" in answer.lead
    assert indicator.scoring_en.met.split("; ")[0] in answer.lead
    assert 1 <= sentence_count(answer.lead, "en") <= 3, answer.lead
    # with no indicator among the next two, the lead points at the others instead
    plain = extractive_answer(question, [hits[0], hits[2]], real_catalog, "en")
    assert "closest indicator" not in plain.lead and "See also" in plain.lead


def test_an_english_answer_keeps_the_ranking(corpus: Corpus, real_catalog: Catalog) -> None:
    hits = [clause_hit(corpus, "9.4.2"), indicator_hit(corpus, "SO-4-05")]
    answer = extractive_answer("What does four stars require of data?", hits, real_catalog, "en")
    ranked = [(h.chunk.clause, h.chunk.indicator_id) for h in hits]
    assert [(c.clause, c.indicator_id) for c in answer.citations] == ranked


def test_an_evidence_question_opens_with_the_materials(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    ids = ("SO-1-06", "SO-2-07")
    hits = [clause_hit(corpus, "9.1.6"), *(indicator_hit(corpus, i) for i in ids)]
    answer = extractive_answer("投诉处理要准备哪些材料？", hits, real_catalog, "zh")
    assert [c.indicator_id for c in answer.citations[:2]] == list(ids)
    for number, indicator_id in enumerate(ids, start=1):
        indicator = real_catalog.indicator(indicator_id)
        direct = [e for e in indicator.evidence if e.evidence_class is EvidenceClass.DIRECT]
        sentence = next(s for s in answer.lead.split("。") if indicator_id in s)
        assert f"[{number}]" in sentence
        assert all(e.description in sentence for e in direct[:3])


def test_an_evidence_question_names_the_level_it_asks_about(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    hits = [indicator_hit(corpus, "SO-1-06"), indicator_hit(corpus, "SO-2-07")]
    answer = extractive_answer("二星的投诉要准备哪些材料？", hits, real_catalog, "zh")
    assert answer.citations[0].indicator_id == "SO-2-07"
    assert answer.lead.startswith("SO-2-07") and "SO-1-06" not in answer.lead


def test_a_term_the_standard_does_not_define_is_said_so(
    corpus: Corpus, real_catalog: Catalog
) -> None:
    hits = [clause_hit(corpus, "9.5.6"), indicator_hit(corpus, "SO-3-06")]
    answer = extractive_answer("数据治理是什么意思", hits, real_catalog, "zh")
    assert answer.lead.startswith("参考文本没有单独定义“数据治理”")


def test_a_defined_term_opens_with_its_clause(corpus: Corpus, real_catalog: Catalog) -> None:
    clause = clause_hit(corpus, "3.9")
    hits = [indicator_hit(corpus, "SO-3-06"), clause]
    answer = extractive_answer("核心指标是什么意思", hits, real_catalog, "zh")
    assert answer.citations[0].clause == "3.9"
    assert answer.lead.startswith("参考文本第 3.9 条“核心指标”")
    definition = "".join(line for line in clause.chunk.text.splitlines() if CJK.search(line))
    assert definition.split("。")[0] in answer.lead
    assert "core indicator" not in answer.lead  # the English name line is left out
    assert "没有单独定义" not in answer.lead


# --- labels ------------------------------------------------------------------------------------


def citation(clause: str, source: str, **extra: object) -> Citation:
    return Citation.model_validate(
        {"clause": clause, "title": "标题", "source": source, "text": "正文。", "score": 1.0}
        | extra
    )


@pytest.mark.parametrize(
    ("cited", "zh", "en"),
    [
        (
            citation("6.1.1", "06-strategy.md"),
            f"《{STANDARD_TITLE}》参考文本 6.1.1",
            f"reference rendition of {STANDARD_CODE}, 6.1.1",
        ),
        (
            citation("R.3", "R-project-rules.md"),
            "附录 R.3（本项目规则）",
            "Annex R.3 (project rules)",
        ),
        (
            citation("9.2.1", "指标目录", indicator_id="SO-2-01"),
            "指标目录 SO-2-01",
            "catalog SO-2-01",
        ),
        (
            citation("第十二条", "评估办法.pdf", rendition="operator"),
            "《评估办法》 第十二条",
            "“评估办法”, 第十二条",
        ),
        (
            citation("A.1", "办法.docx", rendition="operator"),
            "《办法》 附录 A.1",
            "“办法”, Annex A.1",
        ),
    ],
)
def test_citation_labels(cited: Citation, zh: str, en: str) -> None:
    assert (citation_label(cited, "zh"), citation_label(cited, "en")) == (zh, en)


def test_an_operator_document_is_named_by_its_title() -> None:
    cited = citation("第十二条", "a1b2.pdf", rendition="operator")
    (named,) = labelled([cited], "zh", {"a1b2.pdf": "服务机构评估管理办法"})
    assert named.label == "《服务机构评估管理办法》 第十二条"
    assert named.document == "《服务机构评估管理办法》"


# --- the chat's form: the answer without its quotes --------------------------------------------


def test_brief_keeps_the_opening_and_the_notes_not_the_quotes(
    retrieval_only: QuestionAnswerer,
) -> None:
    answer = retrieval_only.ask("一体化服务平台要做到什么程度？")
    shown = brief(answer)
    assert shown.startswith(answer.lead)
    assert "\n> " not in shown and "[1] **" not in shown
    assert "参考文本" in shown.split("\n\n")[-1]  # the reference note stays
    assert len(shown) < len(answer.text)


def test_brief_leaves_an_answer_without_an_opening_whole() -> None:
    answer = Answer(question="q", language="zh", covered=True, text="[1] **x**\n\n> y")
    assert brief(answer) == answer.text
