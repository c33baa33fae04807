"""Clauses out of a document's plain text, numbered the way the document numbers them.

A clause heading is recognised at the start of a line, after full-width digits, letters, dots,
parentheses and spaces are normalised:

    form in the text            number kept              nested under
    前言 / 引言 / 参考文献 / 索引   "前言"                    nothing (front and back matter)
    附录A, 附 录 A（规范性）       "附录A"                   nothing
    第六章, 第6章                 "第六章", "第6章"          nothing
    第一节                       "第六章第一节"             its chapter (sections restart)
    第十二条, 第12条              "第十二条"                the chapter and section
    6, 6.3, 6.3.2               "6.3.2"                  6.3, then 6
    A.1, A.1.2                  "A.1.2"                  附录A, then A.1
    附录 R（本项目规则）, R.1.2    "附录R", "R.1.2"          nothing, then 附录R and R.1
    一、                         "第十二条一、"             the clause it appears in
    （一）, (一)                  "第十二条（一）"           that clause, or the 一、 item

A line that looks like a heading is one only when it also fits the numbering so far. Numbers
only go forward: a later sibling (6.3 → 6.4 or 7) or a first child (6.3 → 6.3.1), by at most
two steps when the line goes on with body text, by any step when it carries a title (so one lost
heading does not derail the rest). Items start at 一 within their clause; no number is used
twice; the first number of the document may be anything. So a cross-reference wrapped to a line
start ("6.3.2 的规定", "第十二条规定的"), a number in a sentence, a year ("2023年12月发布") or a
measurement ("6.5万家企业") stays body text. A number directly after a line that ran to the
margin without ending its sentence continues that sentence; it is not a heading.

Page furniture is dropped first. The text of each PDF page is separated by ``\\f``; a short label
line (no sentence punctuation, not a heading) among the top or bottom three lines of at least
half the pages is a running header or footer (the standard's code; digits compared as ``#``), and
page numbers ("第 3 页", "- 3 -", "3", "3/8", "II") go too. The table of contents is skipped:
the 目次/目录 line, the lines after it that end in a page number, and any line with a dot leader
("6.3 服务平台 ........ 12").

Text before the first heading (the cover page) belongs to no clause. Body lines are joined into
whole sentences: a line that does not end a sentence (。！？；：) continues on the next one
(Chinese joined directly, Latin words with a space), unless the next one starts a list item
(``a)``, ``1.``, ``（1）``, ``——``, ``注：``) or a table row (``| … |``). Paragraphs are joined
with one newline.

A heading is never left alone. A heading with no body of its own but with sub-clauses is not
emitted: it lives on in its sub-clauses' ``parents`` chain (so "6 服务战略" over "6.1 …" is not an
empty clause). A heading with neither body nor sub-clauses takes its title as its text, or is
dropped when it has no title either. A heading line's remainder is its title when it is short
(at most 40 characters, shorter than a full wrapped line) and has no sentence punctuation
("6.3 服务平台"); otherwise it starts the body and the title is "" ("6.3.2 机构应建立……。").
An article (第十二条) never has a title on its line. A heading alone on its line takes the next
short line as its title ("附录A" / "（规范性）" / "评估指标表"). An annex whose line goes on with
one remark in brackets and nothing else takes it as its title, punctuation and all
("附录 R（本项目规则，非标准条文）").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from assistant.documents import Limits
from assistant.errors import KnowledgeError
from assistant.knowledge.extract import DocumentKind, extract
from assistant.knowledge.standard import Clause, StandardDocument, parse_standard

__all__ = ["ingest_document", "segment_clauses"]

_Kind = Literal[
    "matter", "annex", "chapter", "section", "article", "decimal", "annex_decimal", "enum", "item"
]
_RANK: dict[_Kind, int] = {"matter": 0, "annex": 0, "chapter": 1, "section": 2, "article": 3}
_RANK.update({"enum": 10, "item": 11})  # decimal and annex_decimal: 3 + depth (4 to 9)
_BODY_KINDS = frozenset({"chapter", "section", "article", "decimal"})  # leave 前言/附录
_SCOPED = frozenset({"section", "enum", "item"})  # numbered afresh inside each parent
_GAP = 2  # how far a number starting a body may jump forward (one lost heading)
_FAR = 1000  # a number followed by a title ("6 服务战略") may jump further
_TITLE_MAX = 40
_FULL_LINE = 0.85  # a line this close to the usual width was wrapped by the layout
_MIN_FULL = 48  # display columns; shorter lines are never taken for wrapped ones

_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {"．": ".", "（": "(", "）": ")", "\u3000": " ", "\t": " "}
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}
_CN = "零〇一二三四五六七八九十百两"

_MATTER = frozenset({"前言", "引言", "参考文献", "索引"})
_ANNEX = re.compile(r"附\s*录\s*([A-Z])(?![A-Za-z0-9])(.*)")
# (?<!\s): a search never restarts inside a run of spaces (see tests/unit/security)
_NATURE = re.compile(r"(?<!\s)\s*\((?:规范性|资料性|参考性|标准的|提示的)(?:附录)?\)")
_ORDINAL = re.compile(rf"第\s*([0-9{_CN}]{{1,6}})\s*([章节条])(.*)")
_ANNEX_DECIMAL = re.compile(r"([A-Z])\.(\d{1,3}(?:\.\d{1,3}){0,4})(?![\d.])(.*)")
_DECIMAL = re.compile(r"(\d{1,2}(?:\.\d{1,3}){0,5})(?![\d.])(.*)")
_ENUM = re.compile(r"([一二三四五六七八九十]{1,3})、(.*)")
_ORDINAL_KINDS: dict[str, _Kind] = {"章": "chapter", "节": "section", "条": "article"}
_ITEM = re.compile(r"\(([一二三四五六七八九十]{1,3})\)(.*)")
_REMARK = re.compile(r"\([^()]{1,38}\)")  # "（本项目规则，非标准条文）" after 附录 R

_FUNCTION_CHARS = frozenset("的之和与及或至到、，。；：,.;:)]】-—~～/%％")
_SPACED_STOPS: tuple[str, ...] = ("万", "亿", "千", "百", "家", "倍", "‰", "月", "天", "个月")
_SPACED_STOPS += ("个工作日", "次", "年内", "年以", "年后", "年前", "年来", "日内", "日起", "岁")
_SPACED_STOPS += ("小时", "分钟")
_REF_WORDS = ("规定", "所", "中", "第", "款", "项", "要求", "以", "列", "等", "条", "章", "节")
_ITEM_STOPS = ("项", "款", "规定", "所列", "所述", "中的")
_TIGHT_STOPS = _SPACED_STOPS + _REF_WORDS + tuple("个名人年日时分秒元件星级位台套份批期届米克吨页")

_SENTENCE_PUNCT = frozenset("。；！？，：;!?:")
_TERMINAL = frozenset("。！？!?；;：:")
_CLOSERS = "”’」』)）】"
_LIST_START = re.compile(
    r"(?:[a-zA-Z][)）]|[（(]\d{1,2}[)）]|\d{1,2}[)）]|\d{1,2}[.、．](?!\d)|[①-⑳]|——|[•·●○■□◆▪-]\s"
    r"|注\s*(?:\d+\s*)?[:：]|示例\s*(?:\d+\s*)?[:：]|[表图]\s*[A-Z]?\.?\d+|[一二三四五六七八九十]{1,3}、"
    r"|[（(][一二三四五六七八九十]{1,3}[)）])"
)

_PAGE_NUMBER = re.compile(
    r"(?:第\s*\d+\s*页(?:\s*(?:[/，,]\s*)?共\s*\d+\s*页)?|[-—–]\s*\d+\s*[-—–]|\d{1,4}"
    r"|(?<!\d)\d+\s*/\s*\d+|[IVX]{1,5}|[ivx]{1,5}|(?:Page|page)\s*\d+(?:\s*of\s*\d+)?)"
)
_PAGE_WORDS = re.compile(
    r"第\s*\d+\s*页(?:\s*(?:[/，,]\s*)?共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
)
_ZONE = 3  # lines at the top and at the bottom of a page where running headers live
_TOC_TITLES = frozenset({"目次", "目录"})
# A table-of-contents line ends in a leader (four dots or more, or two ellipses) and a page
# number; read from the end of the line (see _is_toc_entry) rather than by a search.
_TOC_DOTS = frozenset(".．·・_")
_TOC_ELLIPSES = frozenset("…⋯")
_TOC_PAGE = re.compile(r"\d{1,4}|[IVX]{1,5}|[ivx]{1,5}")
_TOC_PAGE_CHARS = 5
_TOC_TAIL = re.compile(r"\s(?:\d{1,3}|[IVXivx]{1,5})$")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MD_MARK = re.compile(r"#{1,6}\s+")
_DIGIT_RUN = re.compile(r"\d+")


# --- public ----------------------------------------------------------------------------------


def segment_clauses(text: str, source: str) -> tuple[Clause, ...]:
    """Clauses of ``text`` in document order, each with its parents chain (see module doc)."""
    lines = _clean_lines(text)
    segmenter = _Segmenter(_typical_width(lines))
    for line in lines:
        segmenter.feed(line)
    return segmenter.clauses(source)


def ingest_document(path: Path, *, limits: Limits | None = None) -> StandardDocument:
    """An operator's copy of the standard, cited by its own clause numbers.

    Markdown in this project's own format (``## 6.3 标题``) goes through ``parse_standard``;
    everything else is extracted (``extract``, under the reader's ``limits``) and segmented
    (``segment_clauses``).
    """
    extracted = extract(path, limits=limits or Limits())
    if extracted.kind == "markdown":
        own = _own_markdown(extracted.text, path)
        if own is not None:
            return own
        front, body = _split_front_matter(extracted.text, path)
        title = _md_title(front, body)
        clauses = segment_clauses(_markdown_plain(body), path.name)
    else:
        title = _not_a_clause(extracted.title)
        clauses = segment_clauses(extracted.text, path.name)
    if not clauses:
        raise KnowledgeError(
            f"{str(path)!r}: 没有识别出任何带编号的条款（如“6.3”“第十二条”） / "
            "no numbered clause (such as '6.3' or '第十二条') was found"
        )
    return StandardDocument(path.name, _meta(title or path.stem, extracted.kind), clauses)


# --- documents -------------------------------------------------------------------------------


def _meta(title: str, kind: DocumentKind) -> dict[str, object]:
    return {"title": title, "source_kind": kind, "rendition": "operator"}


def _own_markdown(text: str, path: Path) -> StandardDocument | None:
    """The project's own format, or None when no ``## 6.3 标题`` heading is in it."""
    try:
        document = parse_standard(text, path.name)
    except (ValueError, yaml.YAMLError) as exc:
        raise KnowledgeError(
            f"{str(path)!r}: 前置元数据无法解析 / bad front matter: {exc}"
        ) from exc
    if not document.clauses:
        return None
    title = _md_title(document.meta, text) or path.stem
    meta = {**document.meta, **_meta(title, "markdown")}
    return StandardDocument(path.name, meta, document.clauses)


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise KnowledgeError(
            f"{str(path)!r}: 前置元数据无法解析 / bad front matter: {exc}"
        ) from exc
    return (loaded if isinstance(loaded, dict) else {}), text[match.end() :]


def _md_title(front: dict[str, object], text: str) -> str | None:
    if front.get("title"):
        return str(front["title"])
    for line in text.splitlines():
        heading = _md_heading(line)
        if heading:
            return _not_a_clause(heading)
    return None


def _not_a_clause(heading: str | None) -> str | None:
    """A first heading such as "第一章 总则" or "1 范围" names a part, not the document."""
    if heading is None:
        return None
    text = heading.strip()
    numbered = (_ORDINAL, _ANNEX, _ANNEX_DECIMAL, _DECIMAL)
    return None if any(p.match(text) for p in numbered) else heading


def _md_heading(line: str) -> str | None:
    """The text of a Markdown heading line ("## 标题 ##" → "标题"); None for other lines."""
    mark = _MD_MARK.match(line)
    if mark is None:
        return None
    return line[mark.end() :].rstrip().rstrip("#").rstrip()


def _markdown_plain(text: str) -> str:
    return "\n".join(_plain_line(line) for line in text.splitlines())


def _plain_line(line: str) -> str:
    heading = _md_heading(line)
    return line if heading is None else heading


# --- lines: page furniture and table of contents ---------------------------------------------


def _clean_lines(text: str) -> list[str]:
    pages = [page.split("\n") for page in text.replace("\r\n", "\n").split("\f")]
    furniture = _running_lines(pages)
    lines: list[str] = []
    for page in pages:
        lines.extend(_page_lines(page, furniture, paged=len(pages) > 1))
    return _drop_toc(lines)


def _page_lines(page: list[str], furniture: set[str], *, paged: bool) -> list[str]:
    """The page's lines, stripped, without furniture; no blank line at either end."""
    zone = _zone(page)
    kept: list[str] = []
    for index, raw in enumerate(page):
        line = raw.strip()
        in_zone = paged and index in zone
        if in_zone and (_furniture_key(line) in furniture or _PAGE_NUMBER.fullmatch(line)):
            continue
        if _PAGE_WORDS.fullmatch(line):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept[next((i for i, line in enumerate(kept) if line), len(kept)) :]


def _zone(page: list[str]) -> set[int]:
    filled = [index for index, line in enumerate(page) if line.strip()]
    return set(filled[:_ZONE] + filled[-_ZONE:])


def _furniture_key(line: str) -> str:
    return _DIGIT_RUN.sub("#", " ".join(line.split()))


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Label lines in the top or bottom zone of at least half the pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edges = [page[index].strip() for index in _zone(page)]
        counts.update({_furniture_key(line) for line in edges if _may_be_furniture(line)})
    needed = max(2, math.ceil(len(pages) / 2))
    return {key for key, count in counts.items() if count >= needed and key}


def _may_be_furniture(line: str) -> bool:
    """Running headers and footers are short labels: no sentence, no clause heading."""
    return not any(char in _SENTENCE_PUNCT for char in line) and _parse(line) is None


def _drop_toc(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_toc = False
    for line in lines:
        if "".join(line.split()) in _TOC_TITLES:
            in_toc = True
        elif _is_toc_entry(line):
            continue
        elif in_toc and (not line or _TOC_TAIL.search(line)):
            continue
        else:
            in_toc = False
            kept.append(line)
    return kept


def _is_toc_entry(line: str) -> bool:
    """Whether ``line`` ends with a leader and a page number ("概述 ........ 3", "范围…… IV")."""
    text = line.rstrip()
    start = len(text)
    while start > 0 and text[start - 1].isalnum() and len(text) - start <= _TOC_PAGE_CHARS:
        start -= 1
    if not _TOC_PAGE.fullmatch(text, start):
        return False
    before = text[:start].rstrip()
    return _leader_dots(before) >= 4 or _trailing(before, _TOC_ELLIPSES) >= 2


def _leader_dots(text: str) -> int:
    """Dots at the end of ``text``, each followed by at most one space."""
    count, index = 0, len(text)
    while index > 0 and text[index - 1] in _TOC_DOTS:
        count += 1
        index -= 1
        if index > 1 and text[index - 1].isspace() and text[index - 2] in _TOC_DOTS:
            index -= 1
    return count


def _trailing(text: str, chars: frozenset[str]) -> int:
    return len(text) - len(text.rstrip("".join(chars)))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _typical_width(lines: list[str]) -> int | None:
    """The width of a full line (90th percentile), or None with too few lines to tell."""
    widths = sorted(_width(line) for line in lines if line)
    if len(widths) < 8:
        return None
    return widths[int(len(widths) * 0.9)]


# --- headings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Heading:
    kind: _Kind
    label: str  # as the document writes it, normalised: "6.3.2", "第十二条", "（一）", "附录A"
    value: tuple[int, ...]
    rest: str  # the rest of the line in its original characters, stripped

    @property
    def rank(self) -> int:
        if self.kind in ("decimal", "annex_decimal"):
            return 3 + len(self.value)
        return _RANK[self.kind]


def _parse(line: str) -> _Heading | None:
    """The heading this line starts with, judged by its form alone (no numbering context)."""
    plain = line.translate(_FULLWIDTH)
    compact = "".join(plain.split())
    if compact in _MATTER:
        return _Heading("matter", compact, (0,), "")
    for parser in (_parse_annex, _parse_ordinal, _parse_annex_decimal, _parse_decimal):
        heading = parser(line, plain)
        if heading is not None:
            return heading
    return _parse_item(line, plain)


def _tail(line: str, plain_rest: str) -> str:
    """The original characters of ``line`` that ``plain_rest`` (a suffix of it) stands for."""
    return line[len(line) - len(plain_rest) :].strip() if plain_rest else ""


def _rest_ok(rest: str, *, spaced_stops: tuple[str, ...], tight: tuple[str, ...] | None) -> bool:
    """May ``rest`` follow a heading number? ``tight``: stop words when no space separates."""
    body = rest.strip()
    if not body:
        return True
    if body[0] in _FUNCTION_CHARS or body[0].isdigit():
        return False
    if rest[0].isspace():
        return not body.startswith(spaced_stops)
    return tight is not None and _is_cjk(body[0]) and not body.startswith(tight)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _parse_annex(line: str, plain: str) -> _Heading | None:
    match = _ANNEX.match(plain)
    if match is None or (match.group(2) and match.group(2)[0] not in " ("):
        return None
    rest = match.group(2)
    nature = _NATURE.match(rest)
    rest = rest[nature.end() :] if nature else rest
    letter = match.group(1)
    return _Heading("annex", f"附录{letter}", (ord(letter) - 64,), _tail(line, rest))


def _parse_ordinal(line: str, plain: str) -> _Heading | None:
    match = _ORDINAL.match(plain)
    if match is None:
        return None
    value = _cn_int(match.group(1))
    if value is None or not _rest_ok(match.group(3), spaced_stops=(), tight=_REF_WORDS):
        return None
    kind = _ORDINAL_KINDS[match.group(2)]
    label = f"第{match.group(1)}{match.group(2)}"
    return _Heading(kind, label, (value,), _tail(line, match.group(3)))


def _parse_annex_decimal(line: str, plain: str) -> _Heading | None:
    match = _ANNEX_DECIMAL.match(plain)
    if match is None or not _rest_ok(match.group(3), spaced_stops=(), tight=_TIGHT_STOPS):
        return None
    value = (ord(match.group(1)) - 64, *map(int, match.group(2).split(".")))
    label = f"{match.group(1)}.{match.group(2)}"
    return _Heading("annex_decimal", label, value, _tail(line, match.group(3)))


def _parse_decimal(line: str, plain: str) -> _Heading | None:
    match = _DECIMAL.match(plain)
    if match is None:
        return None
    value = tuple(map(int, match.group(1).split(".")))
    tight = _TIGHT_STOPS if len(value) > 1 else None
    if 0 in value or not _rest_ok(match.group(2), spaced_stops=_SPACED_STOPS, tight=tight):
        return None
    return _Heading("decimal", match.group(1), value, _tail(line, match.group(2)))


def _parse_item(line: str, plain: str) -> _Heading | None:
    forms: tuple[tuple[_Kind, re.Pattern[str], str], ...] = (
        ("enum", _ENUM, "{}、"),
        ("item", _ITEM, "（{}）"),
    )
    for kind, pattern, label in forms:
        match = pattern.match(plain)
        if match is None:
            continue
        value = _cn_int(match.group(1))
        rest = match.group(2)
        if value is None or not _rest_ok(" " + rest, spaced_stops=_ITEM_STOPS, tight=None):
            return None
        return _Heading(kind, label.format(match.group(1)), (value,), _tail(line, rest))
    return None


def _cn_int(numeral: str) -> int | None:
    """``十二`` → 12, ``一百零五`` → 105, ``12`` → 12; None for anything else."""
    if numeral.isascii():
        return int(numeral) if numeral.isdigit() else None
    total = digit = 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            return None
    return total + digit


def _follows(previous: tuple[int, ...] | None, value: tuple[int, ...], gap: int) -> bool:
    """Does ``value`` come next after ``previous``: a later sibling, or a first descendant?"""
    if previous is None:
        return True  # the document may open at any number
    for index, (before, now) in enumerate(zip(previous, value, strict=False)):
        if before != now:
            return before < now <= before + gap and _first(value[index + 1 :], gap)
    return len(value) > len(previous) and _first(value[len(previous) :], gap)


def _first(parts: tuple[int, ...], gap: int) -> bool:
    """Numbers opening a new level: ``1`` (``.1.1`` below it), or up to ``gap`` when one is lost."""
    return not parts or (parts[0] <= gap and all(part == 1 for part in parts[1:]))


# --- the segmenter ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Frame:
    number: str
    title: str
    kind: _Kind
    rank: int
    parents: tuple[_Frame, ...]
    lines: list[str] = field(default_factory=list)
    counters: dict[str, tuple[int, ...]] = field(default_factory=dict)


class _Segmenter:
    """Feeds cleaned lines one by one, opening a frame per accepted heading."""

    def __init__(self, typical_width: int | None) -> None:
        self.typical = typical_width
        self.stack: list[_Frame] = []
        self.frames: list[_Frame] = []
        self.counters: dict[str, tuple[int, ...]] = {}
        self.numbers: set[str] = set()
        self.previous = ""  # the body line right above, when no blank line or heading between
        self.expect_title = False

    def feed(self, line: str) -> None:
        if not line:
            self._append("")
            self.previous = ""
            return
        heading = _parse(line)
        if heading is not None and self._toc_entry(heading, line):
            return
        if heading is not None and self._open(heading, line):
            self.previous = ""
            return
        if heading is None and self._take_title(line):
            return
        self._append(line)
        self.previous = line

    def clauses(self, source: str) -> tuple[Clause, ...]:
        with_children = {id(parent) for frame in self.frames for parent in frame.parents}
        clauses = []
        for frame in self.frames:
            text = _body_text(frame.lines)
            if not text and id(frame) in with_children:
                continue  # merged: it stays in its sub-clauses' parents chain
            text = text or frame.title
            if text:
                parents = tuple((parent.number, parent.title) for parent in frame.parents)
                clauses.append(Clause(frame.number, frame.title, text, parents, source))
        return tuple(clauses)

    def _append(self, line: str) -> None:
        if self.stack:
            self.stack[-1].lines.append(line)

    def _full(self, line: str) -> bool:
        if self.typical is None:
            return False
        return _width(line) >= max(_FULL_LINE * self.typical, _MIN_FULL)

    def _title_like(self, text: str, line: str) -> bool:
        if not text or len(text) > _TITLE_MAX or text.startswith("|"):
            return False
        return not any(char in _SENTENCE_PUNCT for char in text) and not self._full(line)

    def _toc_entry(self, heading: _Heading, line: str) -> bool:
        """A contents line that escaped the 目次 block: "6.3 服务平台 12"."""
        match = _TOC_TAIL.search(heading.rest)
        return match is not None and self._title_like(heading.rest[: match.start()], line)

    def _parent(self, heading: _Heading) -> _Frame | None:
        if heading.kind in _BODY_KINDS and self.stack and self.stack[0].rank == 0:
            return None  # body text after 前言 or an annex does not belong to it
        return next((f for f in reversed(self.stack) if f.rank < heading.rank), None)

    def _number(self, heading: _Heading, parent: _Frame | None) -> str:
        if parent is None:
            return heading.label
        if heading.kind in ("enum", "item") or (
            heading.kind == "section" and parent.kind == "chapter"
        ):
            return parent.number + heading.label
        return heading.label

    def _scope(self, heading: _Heading, parent: _Frame | None) -> dict[str, tuple[int, ...]]:
        if heading.kind in _SCOPED and parent is not None:
            return parent.counters
        return self.counters

    def _in_sequence(self, heading: _Heading, parent: _Frame | None, line: str) -> bool:
        """Numbers go forward; by any step under a title, by at most ``_GAP`` before a body."""
        if heading.kind == "matter":
            return True
        previous = self._scope(heading, parent).get(heading.kind)
        if previous is None and heading.kind in _SCOPED:
            return heading.value == (1,)
        titled = heading.kind != "article" and self._title_like(heading.rest, line)
        return _follows(previous, heading.value, _FAR if titled else _GAP)

    def _continues(self) -> bool:
        """The line above ran to the margin without ending its sentence: this one wraps it."""
        if not self.previous or not self._full(self.previous):
            return False
        return self.previous.rstrip(_CLOSERS)[-1:] not in _TERMINAL

    def _open(self, heading: _Heading, line: str) -> bool:
        parent = self._parent(heading)
        number = self._number(heading, parent)
        if number in self.numbers or self._continues():
            return False
        if not self._in_sequence(heading, parent, line):
            return False
        self._record(heading, parent)
        del self.stack[self.stack.index(parent) + 1 if parent else 0 :]
        title, body = self._split(heading, line)
        frame = _Frame(number, title, heading.kind, heading.rank, tuple(self.stack))
        frame.lines.extend([body] if body else [])
        self.stack.append(frame)
        self.frames.append(frame)
        self.numbers.add(number)
        self.expect_title = not heading.rest and heading.kind != "article"
        return True

    def _record(self, heading: _Heading, parent: _Frame | None) -> None:
        self._scope(heading, parent)[heading.kind] = heading.value
        if heading.kind == "annex":
            self.counters["annex_decimal"] = heading.value

    def _split(self, heading: _Heading, line: str) -> tuple[str, str]:
        """``(title, start of body)`` from the rest of a heading line."""
        if heading.kind != "article" and self._title_like(heading.rest, line):
            return heading.rest, ""
        if heading.kind == "annex" and _REMARK.fullmatch(heading.rest.translate(_FULLWIDTH)):
            return heading.rest, ""
        return "", heading.rest

    def _take_title(self, line: str) -> bool:
        """The short line under a heading that stood alone is its title."""
        if not self.expect_title or not self.stack:
            return False
        if _NATURE.fullmatch(line.translate(_FULLWIDTH)):
            return True  # （规范性） under 附录A: keep waiting for the title
        self.expect_title = False
        if _LIST_START.match(line) or not self._title_like(line, line):
            return False
        self.stack[-1].title = line
        return True


# --- body text -------------------------------------------------------------------------------


def _body_text(lines: list[str]) -> str:
    """Whole paragraphs, one per line: wrapped lines joined, list items and rows kept apart."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current and line and _joins(current, line):
            current = _join(current, line)
            continue
        if current:
            paragraphs.append(current)
        current = line
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs).strip()


def _joins(current: str, line: str) -> bool:
    if line.startswith("|") or current.startswith("|") or _LIST_START.match(line):
        return False
    return current.rstrip(_CLOSERS)[-1:] not in _TERMINAL


def _join(before: str, after: str) -> str:
    """Chinese runs on directly; Latin words and numbers keep a space between them."""
    left, right = before[-1], after[0]
    spaced = (left.isascii() and (left.isalnum() or left in ",.;:)%")) and (
        right.isascii() and (right.isalnum() or right == "(")
    )
    return f"{before} {after}" if spaced else before + after
