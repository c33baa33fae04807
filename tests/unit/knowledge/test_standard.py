"""The reference rendition: labelled as such, clause-numbered, complete, in its own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.standard import StandardDocument, load_standard, parse_standard

STANDARD_DIR = default_knowledge_dir() / "standard"
NOTICE = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "announcement-2024-09-11.txt"


@pytest.fixture(scope="module")
def documents() -> tuple[StandardDocument, ...]:
    return load_standard(STANDARD_DIR)


def all_clauses(documents: tuple[StandardDocument, ...]) -> dict[str, str]:
    return {c.number: c.text for d in documents for c in d.clauses}


def test_every_file_says_it_is_a_reference_rendition(
    documents: tuple[StandardDocument, ...],
) -> None:
    assert len(documents) >= 8
    for document in documents:
        meta = document.meta
        assert meta["code"] == "T/ZXGJXH 002—2023", document.source
        assert meta["rendition"] == "reference", document.source
        assert "参考文本" in str(meta["notice"]) and "不是" in str(meta["notice"])
        body = (STANDARD_DIR / document.source).read_text(encoding="utf-8")
        assert "> **参考文本**" in body, f"{document.source} lacks the visible label"


def test_clause_numbers_are_unique_and_nested(documents: tuple[StandardDocument, ...]) -> None:
    numbers = [c.number for d in documents for c in d.clauses]
    assert len(numbers) == len(set(numbers))
    known = set(numbers)
    for number in numbers:
        if "." in number:
            assert number.rsplit(".", 1)[0] in known, f"{number} has no parent clause"


def test_no_heading_stands_alone(documents: tuple[StandardDocument, ...]) -> None:
    empty = [c.number for d in documents for c in d.clauses if len(c.text) < 10]
    assert empty == []


REQUIRED = {
    "1": "范围",
    "3": "术语和定义",
    "4": "模型结构",
    "5": "等级特征",
    "6": "服务战略",
    "7": "服务设计",
    "8": "服务转化",
    "9": "服务运营",
    "10": "服务持续改进",
    "11": "评级规则",
    "12": "评估",
    "13": "证据",
}


def test_required_chapters_are_present(documents: tuple[StandardDocument, ...]) -> None:
    titles = {c.number: c.title for d in documents for c in d.clauses}
    for number, word in REQUIRED.items():
        assert word in titles.get(number, ""), f"clause {number} should be about {word}"
    for level in range(1, 6):
        assert f"5.{level}" in titles
        for chapter in range(6, 11):
            assert f"{chapter}.{level}" in titles


PROGRAMME_FACTS = [
    "中国中小企业国际合作协会",
    "赛迪检测认证中心有限公司",
    "威海神舟信息技术研究院有限公司",
    "北京赛西科技发展有限责任公司",
    "北京工联科技有限公司",
    "湖南省中小企业公共服务平台有限公司",
    "山东省赋能中小企业服务有限公司",
    "自愿",
    "证书",
    "中国中小企业服务网",
    "补贴",
    "展示典型服务案例",
    "2023年12月",
]


@pytest.mark.parametrize("fact", PROGRAMME_FACTS)
def test_programme_chapter_carries_the_notice_facts(
    documents: tuple[StandardDocument, ...], fact: str
) -> None:
    chapter = " ".join(c.text for d in documents for c in d.clauses if c.number.startswith("12"))
    assert fact in chapter


# Names of bodies, documents, areas and levels are facts and may repeat; the rest is reworded.
NAME = re.compile(
    r"[\u4e00-\u9fa5（）]{2,30}?(?:有限责任公司|有限公司|研究院|研究所|中心|协会|股份有限公司)"
    r"|《[^》]+》|“十四五”|T/ZXGJXH 002—2023"
    r"|服务战略|服务设计|服务转化|服务运营|服务持续改进|[一二三四五]星"
)


def _strip_names(text: str) -> str:
    return NAME.sub("□", text)


@pytest.mark.skipif(not NOTICE.exists(), reason="the notice lies in ../shared/seeds")
def test_no_sentence_of_the_notice_is_pasted() -> None:
    notice = _strip_names(NOTICE.read_text(encoding="utf-8"))
    ours = _strip_names(
        "".join(p.read_text(encoding="utf-8") for p in sorted(STANDARD_DIR.glob("*.md")))
    )
    window = 16
    shared = {
        notice[i : i + window]
        for i in range(len(notice) - window)
        if "\n" not in notice[i : i + window]
        and "□" not in notice[i : i + window]
        and notice[i : i + window] in ours
    }
    assert shared == set()


def test_cross_references_are_not_headings() -> None:
    text = (
        "# 6 服务战略\n总则。\n## 6.1 一星要求\n应制定计划（见6.3.2）。\n"
        "6.3.2 的要求另见后文。\n### 6.1.1 年度计划\n见 9.1.4 和第六章。\n"
    )
    document = parse_standard(text, "test.md")
    assert [c.number for c in document.clauses] == ["6", "6.1", "6.1.1"]
    assert "6.3.2 的要求另见后文" in document.clauses[1].text
    assert document.clauses[2].heading_chain == "6 服务战略 > 6.1 一星要求 > 6.1.1 年度计划"


def test_front_matter_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(ValueError, match="front matter"):
        parse_standard("---\n- a\n---\n# 1 范围\n文字。\n", "bad.md")


def test_indicator_clauses_are_requirement_clauses(documents: tuple[StandardDocument, ...]) -> None:
    from assistant.knowledge.loader import load_catalog

    clauses = all_clauses(documents)
    for indicator in load_catalog(default_knowledge_dir() / "rules").indicators:
        chapter = {"SS": "6", "SD": "7", "ST": "8", "SO": "9", "CSI": "10"}[indicator.area.value]
        assert indicator.clause.startswith(f"{chapter}.{int(indicator.level)}."), indicator.id
        assert clauses[indicator.clause]
