"""The Markdown report shows the applicant's words as typed: never as HTML, never as markup.

The rendered Markdown goes through a CommonMark renderer with raw HTML allowed (as many
viewers do) and the result is read back: the user's text is there as text, and no element
came from it.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from assistant.reports import ReportData, render_report
from assistant.reports.document import (
    BulletList,
    Document,
    Paragraph,
    ParagraphStyle,
    Part,
    Table,
)
from assistant.reports.markdown import render_markdown

HOSTILE_NAME = "<img src=x onerror=alert(1)>示例中心"
HOSTILE_NOTE = "**粗体** [点我](javascript:alert(1)) <script>alert(2)</script>\n# 标题\n- 列表"
HOSTILE_FILE = "<b>scan</b>_1.pdf"
# Markdown and HTML metacharacters, letters, digits, CJK, blanks and line breaks.
METACHARACTERS = "\\`*_{}[]()<>#+-=.!|~&;:/\"' \n\t"
ALPHABET = METACHARACTERS + "ab1290中文"


def to_html(markdown: str) -> str:
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return renderer.render(markdown)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.text.append(" ")  # <br> and block ends separate words

    def handle_endtag(self, tag: str) -> None:
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(html: str) -> tuple[list[str], str]:
    """The element names and the words (blanks collapsed) of ``html``."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.tags, " ".join("".join(reader.text).split())


def words(text: str) -> str:
    return " ".join(text.split())


def one_block(block: Paragraph | BulletList | Table) -> Document:
    return Document(title="t", language="zh", parts=(Part(title="T", blocks=(block,)),))


def rendered_block(block: Paragraph | BulletList | Table) -> tuple[list[str], str]:
    """Tags and words of the block alone (the part's title ``T`` left out)."""
    tags, text = read_html(to_html(render_markdown(one_block(block))))
    assert tags[0] == "h1" and text.startswith("T")
    return tags[1:], text.removeprefix("T").strip()


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_a_paragraph_reads_as_typed_and_makes_no_element(text: str) -> None:
    tags, shown = rendered_block(Paragraph(text))
    assert shown == words(text)
    assert set(tags) <= {"p"}, tags


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_a_list_item_reads_as_typed(text: str) -> None:
    tags, shown = rendered_block(BulletList((text,)))
    assert shown == words(text)
    assert set(tags) <= {"ul", "li", "p"} and tags.count("li") == 1, tags


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_a_table_cell_reads_as_typed(text: str) -> None:
    tags, shown = rendered_block(Table(("列", "b"), ((text, "x"),), (1.0, 1.0)))
    assert shown == words(f"列 b {text} x")
    assert tags.count("td") == 2 and set(tags) <= {
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
    }


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_a_note_and_a_lead_keep_their_one_mark(text: str) -> None:
    note_tags, note = rendered_block(Paragraph(text, ParagraphStyle.NOTE))
    assert note == words(text)
    assert set(note_tags) <= {"blockquote", "p"}, note_tags


def hostile(data: ReportData) -> ReportData:
    first = next(iter(data.findings.values()))
    noted = first.model_copy(update={"reason": HOSTILE_NOTE})
    upload = data.evidence[0].model_copy(update={"filename": HOSTILE_FILE})
    return data.model_copy(
        update={
            "profile": data.profile.updated(name=HOSTILE_NAME),
            "findings": {**data.findings, first.indicator_id: noted},
            "evidence": (upload, *data.evidence[1:]),
        }
    )


def elements(markdown: str) -> Counter[str]:
    """The elements of the rendered Markdown but line breaks (a cell's lines)."""
    tags, _ = read_html(to_html(markdown))
    return Counter(tag for tag in tags if tag != "br")


def test_the_report_shows_the_applicants_words_and_runs_none_of_them(zh_data: ReportData) -> None:
    markdown = render_report(hostile(zh_data), "md").content.decode("utf-8")
    plain = render_report(zh_data, "md").content.decode("utf-8")
    _, shown = read_html(to_html(markdown))

    for text in (HOSTILE_NAME, "<script>alert(2)</script>", "# 标题", "**粗体**", HOSTILE_FILE):
        assert words(text) in shown, text
    assert elements(markdown) == elements(plain)  # the user's words added no element
    assert "<img" not in markdown and "<script" not in markdown and "<b>" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;示例中心" in markdown
