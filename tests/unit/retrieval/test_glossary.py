"""Query expansion: users' words to the standard's, levels and areas recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.schema import AreaCode
from assistant.retrieval.glossary import Glossary, load_glossary, load_out_of_scope

SHIPPED = default_knowledge_dir() / "retrieval"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(SHIPPED / "glossary.yaml")


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("及格线是多少分？", "门槛"),
        ("申请评估要找谁？", "评估机构"),
        ("What is a knock-out indicator?", "核心指标"),
        ("Does a one-stop portal count?", "一体化服务平台"),
    ],
)
def test_users_words_bring_the_standards_terms(
    glossary: Glossary, question: str, term: str
) -> None:
    expansion = glossary.expand(question)
    assert term in expansion.terms
    assert expansion.query(question).startswith(question)


def test_levels_and_areas_are_recognised(glossary: Glossary) -> None:
    expansion = glossary.expand("四星的服务运营要做到什么？")
    assert expansion.levels == {4} and AreaCode.SO in expansion.areas
    assert glossary.expand("What does a three-star institution look like?").levels == {3}


def test_english_aliases_match_whole_words_only(glossary: Glossary) -> None:
    assert AreaCode.SD not in glossary.expand("Who are the designated bodies?").areas
    assert AreaCode.SD in glossary.expand("What does service design require?").areas


def test_terms_already_asked_are_not_repeated(glossary: Glossary) -> None:
    assert "门槛" not in glossary.expand("门槛是多少？").terms


def test_missing_files_mean_no_expansion(tmp_path: Path) -> None:
    assert load_glossary(tmp_path / "none.yaml").groups == ()
    assert load_out_of_scope(tmp_path / "none.yaml").topics == ()


def test_broken_glossary_names_the_file_and_the_place(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("version: 1\ngroups:\n  - {terms: [门槛], alias: [及格线]}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"glossary\.yaml.*groups\[0\]\.alias"):
        load_glossary(path)


def test_shipped_out_of_scope_topics_load() -> None:
    assert len(load_out_of_scope(SHIPPED / "out_of_scope.yaml").topics) >= 20
