"""The reference rendition: labelled as such, clause-numbered, complete, in its own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.knowledge.loader import default_knowledge_dir, load_rules
from assistant.knowledge.standard import (
    StandardDocument,
    clause_heading,
    in_project_annex,
    load_standard,
    parse_standard,
)

STANDARD_DIR = default_knowledge_dir() / "standard"
ANNEX_FILE = "R-project-rules.md"
MIGRATION = default_knowledge_dir() / "rules" / "migrations" / "2024.1-to-2.0.yaml"
NOTICE = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "announcement-2024-09-11.txt"


@pytest.fixture(scope="module")
def documents() -> tuple[StandardDocument, ...]:
    return load_standard(STANDARD_DIR)


def all_clauses(documents: tuple[StandardDocument, ...]) -> dict[str, str]:
    return {c.number: c.text for d in documents for c in d.clauses}


def test_every_file_says_it_is_a_reference_rendition(
    documents: tuple[StandardDocument, ...],
) -> None:
    assert len(documents) >= 7
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


def test_the_annex_says_it_is_the_projects_own_rules(
    documents: tuple[StandardDocument, ...],
) -> None:
    annex = next(d for d in documents if d.source == ANNEX_FILE)
    assert annex.meta["annex"] == "project"
    assert "本项目" in str(annex.meta["notice"]) and "不是标准条文" in str(annex.meta["notice"])
    body = (STANDARD_DIR / ANNEX_FILE).read_text(encoding="utf-8")
    banner = body.split("\n# ", 1)[0]
    assert "> **本项目规则，非标准条文**" in banner
    assert annex.clauses[0].number == "R"
    assert annex.clauses[0].heading_chain == "附录 R（本项目规则，非标准条文）"
    assert all(in_project_annex(c.number) for c in annex.clauses)


def test_the_standard_has_no_project_rules_and_the_annex_no_standard_clauses(
    documents: tuple[StandardDocument, ...],
) -> None:
    for document in documents:
        numbers = [c.number for c in document.clauses]
        if document.source == ANNEX_FILE:
            continue
        assert not any(in_project_annex(n) for n in numbers), document.source
        chapters = {int(n.split(".")[0]) for n in numbers}
        assert chapters <= set(range(1, 11)), f"{document.source}: chapters 11–13 moved to R"


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
    "R.1": "评级规则",
    "R.2": "评估",
    "R.3": "证据",
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
    chapter = " ".join(c.text for d in documents for c in d.clauses if c.number.startswith("R.2"))
    assert fact in chapter


def _text(documents: tuple[StandardDocument, ...], prefix: str = "") -> str:
    return "\n".join(
        c.text for d in documents for c in d.clauses if c.number.startswith(prefix) or not prefix
    )


def test_programme_facts_say_no_more_than_the_notice(
    documents: tuple[StandardDocument, ...],
) -> None:
    programme = _text(documents, "R.2")
    everything = _text(documents)
    assert "中国中小企业发展促进中心联合" in programme and "共同研制" in programme
    assert "牵头研制" not in everything
    assert "首批" not in programme  # the notice names six bodies for this round, no "first batch"
    assert "6家单位作为评估机构" in programme
    assert "需确定拟申请的星级" not in everything


def test_the_social_environment_is_not_read_as_the_natural_one(
    documents: tuple[StandardDocument, ...],
) -> None:
    clauses = all_clauses(documents)
    assert "不是自然环境" in clauses["5.5"]
    sentences = re.split(r"[。；]", _text(documents))
    for sentence in sentences:
        if "ESG" in sentence or "碳排放" in sentence:
            assert "不要求" in sentence, sentence
        assert "环境效益" not in sentence, sentence


def test_the_sme_size_standard_identifies_clients_only(
    documents: tuple[StandardDocument, ...],
) -> None:
    clause = all_clauses(documents)["6.1.2"]
    assert "划型标准的规定认定" in clause and "不复述各行业的划型界限" in clause
    topics = yaml.safe_load(
        (default_knowledge_dir() / "retrieval" / "out_of_scope.yaml").read_text(encoding="utf-8")
    )["topics"]
    size = [t for t in topics if "划型" in t]
    assert size and all("界限" in t for t in size)  # the thresholds, not the clients, are outside


_STATUS_WORDS = {"met": "满足", "largely_met": "基本满足", "partly_met": "部分满足"}
_STATUS_WORDS["not_met"] = "不满足"


def test_rating_rule_clauses_state_the_rule_data(documents: tuple[StandardDocument, ...]) -> None:
    clauses = all_clauses(documents)
    rules = load_rules(default_knowledge_dir() / "rules")
    for status, word in _STATUS_WORDS.items():
        stated = re.search(rf"\b\w\) {word}：[^；。]*?，得分([\d.]+)[；。]", clauses["R.1.1"])
        assert stated, word
        assert float(stated.group(1)) == rules.scores[status], word
    threshold = re.search(r"门槛值默认为([\d.]+)", clauses["R.1.2"])
    assert threshold and float(threshold.group(1)) == rules.threshold
    assert f"得分定为{rules.scores['largely_met']:g}" in clauses["R.1.8"]


_SUM = re.compile(
    r"(?<![\d.])(−?[（(]?[\d.]+(?:\s*[+−×÷]\s*[（(]?[\d.]+[）)]?)+)\s*=\s*\+?([\d.]+)"
)


def test_the_worked_arithmetic_of_the_rating_rules_is_right(
    documents: tuple[StandardDocument, ...],
) -> None:
    text = _text(documents, "R.1")
    sums = _SUM.findall(text)
    assert len(sums) >= 10
    for expression, result in sums:
        python = expression.translate(str.maketrans({"（": "(", "）": ")", "−": "-"}))
        python = python.replace("×", "*").replace("÷", "/")
        if python.count("(") != python.count(")"):
            python = python.lstrip("(")
        value = eval(python, {"__builtins__": {}})  # digits and + - * / ( ) only
        assert round(value, 2) == float(result), f"{expression} = {result}"


def test_moved_clauses_are_mapped_to_their_new_numbers(
    documents: tuple[StandardDocument, ...],
) -> None:
    mapping = yaml.safe_load(MIGRATION.read_text(encoding="utf-8"))
    assert (mapping["from_version"], mapping["to_version"]) == ("2024.1", "2.0")
    clauses = mapping["clauses"]
    now = all_clauses(documents)
    for old, new in clauses.items():
        assert old not in now, f"{old} is still a clause: not moved"
        assert new in now, f"{old} maps to {new}, which the rendition lacks"
    old_chapters = {"11": 7, "12": 8, "13": 8}
    for chapter, count in old_chapters.items():
        for number in [chapter, *(f"{chapter}.{n}" for n in range(1, count + 1))]:
            annex = "R." + str(int(chapter) - 10)
            assert clauses[number] == number.replace(chapter, annex, 1)


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


def test_annex_headings_and_their_cross_references() -> None:
    text = (
        "# 附录 R（本项目规则，非标准条文）\n本附录是本项目的规则。\n"
        "## R.1 评级规则\n规则如下（见 R.1.2）。\nR.1.2 的要求另见后文。\n"
        "### R.1.2 能力域等级的判定\n见R.1.1和附录 R.3。\n"
    )
    document = parse_standard(text, "annex.md")
    assert [c.number for c in document.clauses] == ["R", "R.1", "R.1.2"]
    assert document.clauses[0].title == "（本项目规则，非标准条文）"
    assert "R.1.2 的要求另见后文" in document.clauses[1].text
    assert document.clauses[2].heading_chain == (
        "附录 R（本项目规则，非标准条文） > R.1 评级规则 > R.1.2 能力域等级的判定"
    )


@pytest.mark.parametrize(
    ("number", "title", "shown"),
    [
        ("R", "（本项目规则，非标准条文）", "附录 R（本项目规则，非标准条文）"),
        ("A", "评估记录表", "附录 A 评估记录表"),
        ("R.1.2", "能力域等级的判定", "R.1.2 能力域等级的判定"),
        ("6.3", "服务平台", "6.3 服务平台"),
        ("附录A", "评估记录表", "附录A 评估记录表"),
    ],
)
def test_clause_heading(number: str, title: str, shown: str) -> None:
    assert clause_heading(number, title) == shown


@pytest.mark.parametrize(
    ("number", "inside"),
    [("R", True), ("R.1", True), ("R.3.10", True), ("6.1.2", False), ("A.1", False)]
    + [("R1", False), ("附录R", False), ("R.", False)],
)
def test_in_project_annex(number: str, inside: bool) -> None:
    assert in_project_annex(number) is inside


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
