"""Operator documents become clauses numbered the document's own way, in whole sentences."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir
from assistant.knowledge.segment import ingest_document, segment_clauses
from assistant.knowledge.standard import Clause
from tests.utils.documents import CODE, DocxBlock, standard_pages, wrap, write_docx, write_pdf

Expected = list[tuple[str, tuple[str, ...]]]  # (number, parent numbers)


def outline(clauses: tuple[Clause, ...]) -> Expected:
    return [(c.number, tuple(number for number, _ in c.parents)) for c in clauses]


def by_number(clauses: tuple[Clause, ...]) -> dict[str, Clause]:
    return {c.number: c for c in clauses}


# --- recognised headings ---------------------------------------------------------------------

ANNEX_R = (
    "附录 R（本项目规则，非标准条文）\n本附录是本项目自己的规则。\n"
    "R.1 评级规则\n本条规定如何评级。\n"
    "R.1.1 发现项与得分\n每个发现项取一个状态，见\n"
    "R.1.2 的规定。各状态的分值见规则数据。\n"
    "R.1.2 能力域等级的判定\n等级逐级判定，核心指标未满足的不能达到（见 R.1.1）。\n"
    "R.1.2规定的门槛值为0.8。\nR.3 证据指南\n证据应在时效内。\n"
    "R.3.10 由评估人员形成的证据\n访谈记录只能由评估人员形成。"
)

HEADINGS = [
    pytest.param(
        "6 服务战略\n6.1 一星要求\n机构应明确服务方向。\n6.1.1 机构应每年制定工作计划。\n"
        "6.2 二星要求\n机构应设定可检查的服务目标。",
        [("6.1", ("6",)), ("6.1.1", ("6", "6.1")), ("6.2", ("6",))],
        id="decimal",
    ),
    pytest.param(
        "６　服务战略\n６．３　服务平台\n机构应建立服务平台。",
        [("6.3", ("6",))],
        id="full-width-digits-and-dots",
    ),
    pytest.param(
        "第一章 总则\n第一条 为了规范评估工作，制定本办法。\n第二章 评估\n第二条 评估应当公正。",
        [("第一条", ("第一章",)), ("第二条", ("第二章",))],
        id="chapters-and-articles",
    ),
    pytest.param(
        "第6章 评估\n第12条 评估应当客观公正。\n第13条 评估结果应当公开。",
        [("第12条", ("第6章",)), ("第13条", ("第6章",))],
        id="arabic-ordinals",
    ),
    pytest.param(
        "第九十八条 评估机构应当保存记录。\n第九十九条 本办法自发布之日起施行。",
        [("第九十八条", ()), ("第九十九条", ())],
        id="numerals-up-to-99",
    ),
    pytest.param(
        "第二章 申请\n第一节 材料\n第五条 应当提交材料。\n第二节 受理\n第六条 应当受理。\n"
        "第三章 附则\n第一节 施行\n第七条 本办法自发布之日起施行。",
        [
            ("第五条", ("第二章", "第二章第一节")),
            ("第六条", ("第二章", "第二章第二节")),
            ("第七条", ("第三章", "第三章第一节")),
        ],
        id="sections-restart-per-chapter",
    ),
    pytest.param(
        "第十二条 申请评估的机构应当提交下列材料：\n（一）营业执照；\n(二)服务制度文件；\n"
        "（三）近三年的服务记录。\n第十三条 评估机构应当在受理后开展评估。",
        [
            ("第十二条", ()),
            ("第十二条（一）", ("第十二条",)),
            ("第十二条（二）", ("第十二条",)),
            ("第十二条（三）", ("第十二条",)),
            ("第十三条", ()),
        ],
        id="items-under-article",
    ),
    pytest.param(
        "一、总体要求\n（一）指导思想\n坚持服务中小企业。\n（二）基本原则\n坚持公益性。\n"
        "二、主要任务\n（一）建设平台\n建设服务平台。",
        [("一、（一）", ("一、",)), ("一、（二）", ("一、",)), ("二、（一）", ("二、",))],
        id="enumerations-with-items",
    ),
    pytest.param(
        "附 录 A\n（规范性）\n评估记录表\nA.1 记录要求\n记录应完整。\nA.1.1 记录应当保存三年。\n"
        "附录B（资料性）示例\nB.1 示例\n示例如下。",
        [("A.1", ("附录A",)), ("A.1.1", ("附录A", "A.1")), ("B.1", ("附录B",))],
        id="annexes",
    ),
    pytest.param(
        "前言\n本文件由中小企业服务协会提出。\n1 范围\n本文件规定了服务机构的能力要求。",
        [("前言", ()), ("1", ())],
        id="foreword",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS)
def test_headings_are_recognised(text: str, expected: Expected) -> None:
    assert outline(segment_clauses(text, "doc.txt")) == expected


TITLES = [
    pytest.param(
        "6.3 服务平台\n机构应建立服务平台。", "6.3", "服务平台", "机构应建立服务平台。", id="title"
    ),
    pytest.param(
        "6.3.2 机构应建立服务平台管理制度。",
        "6.3.2",
        "",
        "机构应建立服务平台管理制度。",
        id="body-start",
    ),
    pytest.param(
        "第十二条 申请评估的机构应当提交材料。",
        "第十二条",
        "",
        "申请评估的机构应当提交材料。",
        id="article-never-titled",
    ),
    pytest.param("第一章总则\n第一条 甲。", "第一条", "", "甲。", id="tight-chapter"),
    pytest.param(
        "附录A\n（规范性）\n评估记录表\nA.1 记录应完整。",
        "A.1",
        "",
        "记录应完整。",
        id="annex-child",
    ),
    pytest.param(
        "6 服务战略\n6.1 一星要求\n机构应明确方向。\n6.2 二星要求",
        "6.2",
        "二星要求",
        "二星要求",
        id="alone",
    ),
]


@pytest.mark.parametrize(("text", "number", "title", "body"), TITLES)
def test_title_or_body_after_the_number(text: str, number: str, title: str, body: str) -> None:
    clause = by_number(segment_clauses(text, "doc.txt"))[number]
    assert (clause.title, clause.text) == (title, body)


def test_parents_carry_titles_and_heading_chain_reads_well() -> None:
    text = "附录A\n（规范性）\n评估记录表\nA.1 记录要求\nA.1.1 记录应当保存三年。"
    clause = segment_clauses(text, "doc.txt")[-1]
    assert clause.parents == (("附录A", "评估记录表"), ("A.1", "记录要求"))
    assert clause.heading_chain == "附录A 评估记录表 > A.1 记录要求 > A.1.1 "
    assert clause.source == "doc.txt"


def test_a_heading_with_sub_clauses_but_no_body_is_merged_into_their_chain() -> None:
    clauses = segment_clauses("6 服务战略\n6.1 一星要求\n机构应明确方向。", "doc.txt")
    assert [c.number for c in clauses] == ["6.1"]
    assert all(c.text for c in clauses)


# --- never headings --------------------------------------------------------------------------

FULL = "截至本文件发布时，全国接入服务平台并接受过至少一次服务的中小企业累计已达"  # 37 wide chars
# A page of body text, so that a line can be told to run to the margin (a wrapped line).
FILLER = ["5 通用要求", "5.1 总则", *wrap("机构应每年公布服务数据并接受社会监督。" * 8)]
RUNS_ON = "平台的运营管理应满足本文件各项要求，平台数据的采集、存储、使用和销毁应符合"


def page(*lines: str) -> str:
    return "\n".join([*FILLER, *lines])


NOT_HEADINGS = [
    pytest.param(
        page(
            "6 服务战略",
            "6.3 服务平台",
            "6.3.1 机构应建立平台。",
            f"6.3.2 {RUNS_ON}",
            "6.3.1 的规定。",
        ),
        ["5.1", "6.3.1", "6.3.2"],
        ("6.3.2", f"{RUNS_ON}6.3.1 的规定。"),
        id="cross-reference-wrapped-to-line-start",
    ),
    pytest.param(
        "第十一条 评估应当公正。\n第十二条 申请评估的机构应当符合\n第十一条规定的条件。",
        ["第十一条", "第十二条"],
        ("第十二条", "申请评估的机构应当符合第十一条规定的条件。"),
        id="article-cross-reference",
    ),
    pytest.param(
        "第十二条 申请评估的机构应当按照第十三条的要求提交材料，见6.3.2。",
        ["第十二条"],
        ("第十二条", "申请评估的机构应当按照第十三条的要求提交材料，见6.3.2。"),
        id="references-inside-a-sentence",
    ),
    pytest.param(
        "6.1 一星要求\n2023年12月发布的数据表明服务规模扩大。\n12月底前完成自评。",
        ["6.1"],
        ("6.1", "2023年12月发布的数据表明服务规模扩大。\n12月底前完成自评。"),
        id="year-and-month-at-line-start",
    ),
    pytest.param(
        page("6.1 一星要求", f"6.1.1 {FULL}", "6.5万家，满意度持续提高。"),
        ["5.1", "6.1.1"],
        ("6.1.1", f"{FULL}6.5万家，满意度持续提高。"),
        id="measurement-after-a-wrapped-line",
    ),
    pytest.param(
        "6.3 服务平台\n机构应建立平台。\n6.1 一星要求\n这一行的编号倒退了。",
        ["6.3"],
        ("6.3", "机构应建立平台。\n6.1 一星要求这一行的编号倒退了。"),
        id="numbers-going-backwards",
    ),
    pytest.param(
        "前言 ........ I\n1 范围 ........ 1\n6.3 服务平台 ........ 12\n附录A 评估表 …… 20\n"
        "1 范围\n本文件规定了要求。",
        ["1"],
        ("1", "本文件规定了要求。"),
        id="table-of-contents-with-leaders",
    ),
    pytest.param(
        "目录\n1 范围 1\n2 术语 2\n1 范围\n本文件规定了要求。\n2 术语\n下列术语适用。",
        ["1", "2"],
        ("2", "下列术语适用。"),
        id="table-of-contents-without-leaders",
    ),
    pytest.param(
        f"{CODE}\n6 服务战略\n6.1 一星要求\n机构应明确服务方向并建立\n第 1 页\f"
        f"{CODE}\n相应的工作制度。\n6.2 二星要求\n机构应设定目标。\n- 2 -",
        ["6.1", "6.2"],
        ("6.1", "机构应明确服务方向并建立相应的工作制度。"),
        id="running-header-footer-and-sentence-over-a-page-break",
    ),
    pytest.param(
        "6.1 一星要求\n机构应当：\na) 建立制度；\nb) 明确职责。\n| 1 | 营业执照 |\n| 2 | 制度 |",
        ["6.1"],
        ("6.1", "机构应当：\na) 建立制度；\nb) 明确职责。\n| 1 | 营业执照 |\n| 2 | 制度 |"),
        id="lists-and-table-rows",
    ),
    pytest.param(
        "1 范围\nThis document specifies the\nrequirements for service institutions.",
        ["1"],
        ("1", "This document specifies the requirements for service institutions."),
        id="latin-words-joined-with-a-space",
    ),
]


@pytest.mark.parametrize(("text", "numbers", "body"), NOT_HEADINGS)
def test_what_is_not_a_heading_stays_in_whole_sentences(
    text: str, numbers: list[str], body: tuple[str, str]
) -> None:
    clauses = segment_clauses(text, "doc.txt")
    assert [c.number for c in clauses] == numbers
    assert by_number(clauses)[body[0]].text == body[1]


def test_text_without_headings_yields_nothing() -> None:
    assert segment_clauses("2023年12月发布。\n6.5万家企业参与。\n见6.3.2。", "doc.txt") == ()


# --- generated PDF ---------------------------------------------------------------------------

LONG = (
    "机构应建立覆盖服务需求受理、服务过程记录、服务质量回访和投诉处理的服务平台，"
    "平台数据应当真实、完整、可追溯，并由专人负责日常运行维护和安全管理，"
    "平台的功能和服务目录应当每年至少评审一次并向服务对象公开。"
)
CROSS_REF = f"3.1.2 {RUNS_ON}"


def sample_pages() -> list[list[str]]:
    cover = ["团 体 标 准", CODE, "中小企业服务 服务机构 通用能力成熟度模型", "2023年12月20日发布"]
    contents = ["目  次", "前言 ........................ I", "1 范围 ........................ 1"]
    contents += ["3 服务平台 ........................ 2", "3.1 平台建设 ........................ 2"]
    contents += ["附录A（规范性）评估记录表 ........................ 4"]
    body = [
        "前言",
        *wrap("本文件按照标准化工作导则的规定起草。本文件由中小企业服务协会提出并归口。"),
    ]
    body += ["1 范围", *wrap("本文件规定了中小企业服务机构服务平台的建设和运营要求。" * 2)]
    body += ["2 术语和定义", "下列术语和定义适用于本文件。", "2.1 服务机构"]
    body += wrap("为中小企业提供信息、培训、融资和咨询等服务的法人或者其他组织。")
    long_lines = wrap(f"3.1.1 {LONG}")
    page3 = [*body, "3 服务平台", "3.1 平台建设", *long_lines[:2]]
    page4 = [*long_lines[2:], CROSS_REF, "3.2.1 的规定。"]
    page4 += [f"3.1.3 {FULL}", "6.5万家，服务满意度持续提高。"]
    page4 += ["2023年12月发布的统计数据表明平台服务能力明显增强。"]
    page4 += ["3.2 平台运营", "3.2.1 平台运营单位应当按照第十二条和附录A的要求开展自查。"]
    page4 += ["3.2.2 自查发现的问题应当限期整改（见3.1.1）。"]
    annex = ["附录A", "（规范性）", "评估记录表", "A.1 记录要求", "评估记录应当完整、准确。"]
    annex += ["A.2 评估记录应至少保存三年。"]
    return [cover, contents, page3, page4, annex]


@pytest.fixture
def sample_pdf(tmp_path: Path) -> Path:
    assert len(wrap(f"3.1.1 {LONG}")) > 2 and len(wrap(CROSS_REF)) == 1
    return write_pdf(tmp_path / "standard.pdf", sample_pages(), title="通用能力成熟度模型")


def test_pdf_clauses_have_the_documents_own_numbers_and_parents(sample_pdf: Path) -> None:
    document = ingest_document(sample_pdf)
    assert outline(document.clauses) == [
        ("前言", ()),
        ("1", ()),
        ("2", ()),
        ("2.1", ("2",)),
        ("3.1.1", ("3", "3.1")),
        ("3.1.2", ("3", "3.1")),
        ("3.1.3", ("3", "3.1")),
        ("3.2.1", ("3", "3.2")),
        ("3.2.2", ("3", "3.2")),
        ("A.1", ("附录A",)),
        ("A.2", ("附录A",)),
    ]
    assert document.meta == {
        "title": "通用能力成熟度模型",
        "source_kind": "pdf",
        "rendition": "operator",
    }


def test_pdf_bodies_are_whole_sentences_without_page_furniture(sample_pdf: Path) -> None:
    clauses = by_number(ingest_document(sample_pdf).clauses)
    assert clauses["3.1.1"].text == LONG  # wrapped over three lines and a page break
    assert clauses["3.1.2"].text == CROSS_REF[6:] + "3.2.1 的规定。"
    assert clauses["3.1.3"].text == (
        f"{FULL}6.5万家，服务满意度持续提高。\n2023年12月发布的统计数据表明平台服务能力明显增强。"
    )
    assert clauses["3.2.1"].text == "平台运营单位应当按照第十二条和附录A的要求开展自查。"
    assert clauses["A.1"].parents == (("附录A", "评估记录表"),)
    assert (clauses["2.1"].title, clauses["A.2"].title) == ("服务机构", "")
    every = "\n".join(c.text + c.title for c in clauses.values())
    for furniture in (CODE, "第 3 页", "........", "目  次", "团 体 标 准", "20日发布"):
        assert furniture not in every


# --- generated DOCX --------------------------------------------------------------------------

DOCX_BLOCKS: list[DocxBlock] = [
    ("title", "中小企业服务机构能力评估管理办法"),
    ("h1", "第一章 总则"),
    ("p", "第一条 为规范中小企业服务机构能力评估工作，制定本办法。"),
    ("p", "第二条 评估等级分为一星至五星，按照第一条的规定评定，所需材料见下表："),
    ("table", [["序号", "材料", "份数"], ["1", "营业执照", "1"], ["2", "服务制度文件", "2"]]),
    ("p", "2023年12月，评估机构发布了申请指南。"),
    ("h1", "第二章 申请与受理"),
    ("h2", "第一节 申请"),
    ("p", "第三条 申请评估的机构应当提交下列材料："),
    ("p", "（一）营业执照或者登记证书；"),
    ("p", "（二）服务制度文件；"),
    ("p", "（三）近三年的服务记录。"),
    ("h2", "第二节 受理"),
    ("p", "第四条 评估机构收到申请后，应当按照下列程序办理："),
    ("p", "一、审查材料是否齐全；"),
    ("p", "二、材料齐全的，予以受理。"),
    ("h1", "第三章 附则"),
    ("p", "第五条 本办法自2024年1月1日起施行。"),
    ("h1", "附录A 评估申请表"),
    ("p", "申请表格式由评估机构统一制定。"),
]


def test_docx_clauses_follow_chapters_sections_articles_and_items(tmp_path: Path) -> None:
    document = ingest_document(write_docx(tmp_path / "办法.docx", DOCX_BLOCKS))
    chapter2 = ("第二章", "第二章第一节")
    assert outline(document.clauses) == [
        ("第一条", ("第一章",)),
        ("第二条", ("第一章",)),
        ("第三条", chapter2),
        ("第三条（一）", (*chapter2, "第三条")),
        ("第三条（二）", (*chapter2, "第三条")),
        ("第三条（三）", (*chapter2, "第三条")),
        ("第四条", ("第二章", "第二章第二节")),
        ("第四条一、", ("第二章", "第二章第二节", "第四条")),
        ("第四条二、", ("第二章", "第二章第二节", "第四条")),
        ("第五条", ("第三章",)),
        ("附录A", ()),
    ]
    clauses = by_number(document.clauses)
    assert clauses["第二条"].text == (
        "评估等级分为一星至五星，按照第一条的规定评定，所需材料见下表：\n"
        "| 序号 | 材料 | 份数 |\n| 1 | 营业执照 | 1 |\n| 2 | 服务制度文件 | 2 |\n"
        "2023年12月，评估机构发布了申请指南。"
    )
    assert clauses["第三条（一）"].text == "营业执照或者登记证书；"
    assert clauses["第三条"].parents == (("第二章", "申请与受理"), ("第二章第一节", "申请"))
    assert (clauses["附录A"].title, clauses["附录A"].text) == (
        "评估申请表",
        "申请表格式由评估机构统一制定。",
    )
    assert document.meta["title"] == "中小企业服务机构能力评估管理办法"
    assert document.meta["source_kind"] == "docx"


# --- Markdown and text -----------------------------------------------------------------------


def test_own_format_markdown_goes_through_parse_standard(tmp_path: Path) -> None:
    reference = default_knowledge_dir() / "standard" / "06-strategy.md"
    copy = tmp_path / "strategy.md"
    copy.write_bytes(reference.read_bytes())
    document = ingest_document(copy)
    assert document.clauses[0].number == "6"
    assert document.meta["rendition"] == "operator"
    assert document.meta["source_kind"] == "markdown"
    assert document.meta["title"] == "中小企业服务 服务机构 通用能力成熟度模型（参考文本）"


@pytest.mark.parametrize(
    ("name", "content", "kind", "title", "numbers"),
    [
        pytest.param(
            "notice.md",
            "# 管理办法\n\n## 第一章 总则\n\n第一条 为规范评估，制定本办法。\n",
            "markdown",
            "管理办法",
            ["第一条"],
            id="markdown-other-format",
        ),
        pytest.param(
            "rules.txt",
            "第一条 为规范评估，制定本办法。\n第二条 本办法自发布之日起施行。\n",
            "text",
            "rules",
            ["第一条", "第二条"],
            id="text",
        ),
    ],
)
def test_other_text_is_segmented(
    tmp_path: Path, name: str, content: str, kind: str, title: str, numbers: list[str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    document = ingest_document(path)
    assert [c.number for c in document.clauses] == numbers
    assert document.meta == {"title": title, "source_kind": kind, "rendition": "operator"}
    assert document.source == name


def test_a_document_without_clauses_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("尊敬的评估机构：\n我单位申请开展能力评估。\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="没有识别出任何带编号的条款") as caught:
        ingest_document(path)
    assert repr(str(path)) in str(caught.value)


def test_a_realistic_standard_is_segmented_quickly(tmp_path: Path) -> None:
    pages, expected = standard_pages()
    path = write_pdf(tmp_path / "full.pdf", pages)
    started = time.perf_counter()
    document = ingest_document(path)
    elapsed = time.perf_counter() - started
    assert len(pages) >= 8
    assert len(document.clauses) == expected >= 40
    assert all(c.text.endswith("。") for c in document.clauses)
    assert elapsed < 5


def test_annex_r_numbers_are_headings_and_its_cross_references_are_not() -> None:
    clauses = segment_clauses(ANNEX_R, "annex.txt")
    assert outline(clauses) == [
        ("附录R", ()),
        ("R.1", ("附录R",)),
        ("R.1.1", ("附录R", "R.1")),
        ("R.1.2", ("附录R", "R.1")),
        ("R.3", ("附录R",)),
        ("R.3.10", ("附录R", "R.3")),
    ]
    found = by_number(clauses)
    assert found["附录R"].title == "（本项目规则，非标准条文）"
    assert found["附录R"].text == "本附录是本项目自己的规则。"
    assert found["R.1.1"].text == "每个发现项取一个状态，见R.1.2 的规定。各状态的分值见规则数据。"
    assert "R.1.2规定的门槛值为0.8。" in found["R.1.2"].text
    assert found["R.1.2"].heading_chain == (
        "附录R （本项目规则，非标准条文） > R.1 评级规则 > R.1.2 能力域等级的判定"
    )


def test_the_shipped_annex_segments_like_its_markdown() -> None:
    path = default_knowledge_dir() / "standard" / "R-project-rules.md"
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    plain = "\n".join(line.lstrip("#").strip() for line in body.splitlines())
    numbers = [c.number for c in segment_clauses(plain, path.name)]
    own = [c.number for c in ingest_document(path).clauses]
    assert numbers[0] == "附录R" and own[0] == "R"
    assert numbers[1:] == own[1:]
