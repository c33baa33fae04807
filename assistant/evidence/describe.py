"""Guess what an upload is: its evidence kind, its own date, the period its records cover.

Pure functions of the file name, the extracted text and ``today``; the applicant confirms or
corrects every guess, and only confirmed values reach the rating.

* Kind: a Chinese title names its kind last (服务对象满意度调查**报告**, 投诉处理管理**办法**),
  so the keyword that ends latest in the file name, then in the document's title and first
  lines, decides; a spreadsheet is otherwise a ledger and an image a screenshot.
* Date: the latest plausible date in the text (2025年3月1日, 2025-03-01, 2025.3, 二〇二五年三月),
  never after ``today`` nor before 1990; a month without a day counts as its first day.
* Covers: for records and ledgers, whole months from the earliest to the latest date found.
* Valid until: for policies, certificates and contracts, the last date written shortly after
  a validity phrase (有效期至2027年12月31日, 有效期：2024年1月1日至2027年12月31日, valid until…),
  future dates included; none when the text says nothing of it (the file counts while in force).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from assistant.evidence.formats import IMAGE_FORMATS, FileFormat
from assistant.evidence.intake import Upload
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import IN_FORCE_KINDS, EvidenceKind
from assistant.rating.evidence import months_between

__all__ = [
    "KIND_KEYWORDS",
    "Description",
    "covers_months",
    "describe_upload",
    "document_date",
    "find_dates",
    "guess_kind",
    "guess_title",
    "make_record",
    "valid_until",
]

K = EvidenceKind
KIND_KEYWORDS: tuple[tuple[str, EvidenceKind], ...] = (
    *((word, K.POLICY) for word in ("制度", "办法", "规定", "章程", "规范", "细则", "守则")),
    *((word, K.POLICY) for word in ("条例", "准则", "规程", "手册", "指南", "职责", "流程")),
    *((word, K.POLICY) for word in ("标准", "policy", "procedure", "regulation")),
    *((word, K.PLAN) for word in ("规划", "计划", "方案", "预案", "安排", "plan")),
    *((word, K.RECORD) for word in ("记录", "签到", "纪要", "登记", "回访", "工单", "日志")),
    *((word, K.RECORD) for word in ("档案", "问卷", "minutes", "record")),
    *((word, K.REPORT) for word in ("报告", "总结", "评估", "评价", "分析", "报表", "白皮书")),
    *((word, K.REPORT) for word in ("report", "review", "summary")),
    *((word, K.CONTRACT) for word in ("合同", "协议", "委托书", "备忘录", "意向书")),
    *((word, K.CONTRACT) for word in ("contract", "agreement")),
    *((word, K.CERTIFICATE) for word in ("证书", "资质", "荣誉", "执照", "许可证", "奖状")),
    *((word, K.CERTIFICATE) for word in ("证明", "认证", "获奖", "表彰", "授牌", "certificate")),
    *((word, K.LEDGER) for word in ("台账", "统计表", "数据表", "明细", "清单", "名录", "名册")),
    *((word, K.LEDGER) for word in ("一览表", "汇总表", "ledger", "register")),
    *((word, K.CASE) for word in ("案例", "典型经验", "case")),
    *((word, K.SCREENSHOT) for word in ("截图", "截屏", "screenshot")),
)
_SPAN_KINDS = frozenset({EvidenceKind.RECORD, EvidenceKind.LEDGER})
_TITLE_LINES = 3
_BODY_CHARS = 1_500
_TITLE_CHARS = 60
_MIN_YEAR = 1990

_NUMERIC_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*"
    r"(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"
    r"|([-/.])(\d{1,2})(?:\4(\d{1,2}))?(?![\d%]))"
)
_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月"
    r"(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?"
)


# Phrases after which a document states its end of validity (matched on NFKC, lower case).
_VALIDITY_PHRASES = (
    "有效期",
    "有效期限",
    "有效日期",
    "合同期限",
    "协议期限",
    "服务期限",
    "到期日",
    "valid until",
    "valid through",
    "valid to",
    "expiry date",
    "expiration date",
    "expires",
)
_VALIDITY_WINDOW = 40  # characters after a phrase: "有效期：2024年1月1日至2027年12月31日"
_VALIDITY_MENTIONS = 50  # phrases read per document, so a crafted file cannot make it slow


@dataclass(frozen=True)
class Description:
    kind: EvidenceKind | None
    dated: date | None
    covers_months: int | None
    title: str
    valid_until: date | None = None


# --- kind ------------------------------------------------------------------------------------


def _kind_in(phrase: str) -> EvidenceKind | None:
    """The kind whose keyword ends latest in ``phrase`` (the longer keyword on a tie)."""
    lowered = phrase.lower()
    best: tuple[tuple[int, int], EvidenceKind] | None = None
    for word, kind in KIND_KEYWORDS:
        start = lowered.rfind(word)
        if start < 0:
            continue
        key = (start + len(word), len(word))
        if best is None or key > best[0]:
            best = (key, kind)
    return best[1] if best else None


def _stem(filename: str) -> str:
    stem, dot, _ = filename.rpartition(".")
    return stem if dot else filename


def _lines(text: str, count: int) -> list[str]:
    lines = (line.strip(" \t#*|") for line in text[:_BODY_CHARS].splitlines())
    return [line for line in lines if line][:count]


def _body_kind(text: str) -> EvidenceKind | None:
    """The kind whose keywords recur most in the first part of the text (twice at least)."""
    head = text[:_BODY_CHARS].lower()
    counts: Counter[EvidenceKind] = Counter()
    for word, kind in KIND_KEYWORDS:
        counts[kind] += head.count(word)
    ranked = counts.most_common(1)  # ties: the kind listed first in KIND_KEYWORDS
    return ranked[0][0] if ranked and ranked[0][1] >= 2 else None


def guess_kind(
    filename: str,
    text: str = "",
    *,
    title: str | None = None,
    fmt: FileFormat | None = None,
) -> EvidenceKind | None:
    """The evidence kind the name, title or first lines say; None when nothing does."""
    phrases = [_stem(filename), title or "", *_lines(text, _TITLE_LINES)]
    for phrase in phrases:
        kind = _kind_in(phrase)
        if kind is not None:
            return kind
    if fmt == "xlsx":
        return EvidenceKind.LEDGER
    if fmt in IMAGE_FORMATS:
        return EvidenceKind.SCREENSHOT
    return _body_kind(text)


# --- dates -----------------------------------------------------------------------------------


def _cn_number(text: str) -> int:
    """一…九, 十, 十二, 二十, 二十三, 三十一; 0 (no such month or day) for anything else."""
    tens, ten, units = text.partition("十")
    if not ten:
        return _CN_VALUE[text] if len(text) == 1 else 0
    if len(tens) > 1 or len(units) > 1:
        return 0
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)


def _cn_year(text: str) -> int:
    return int("".join(str(_CN_VALUE[c]) for c in text))


def _candidates(text: str) -> Iterator[tuple[int, int, int]]:
    for match in _NUMERIC_DATE.finditer(text):
        year, month_cn, day_cn, _, month_sep, day_sep = match.groups()
        month, day = (month_cn, day_cn) if month_cn else (month_sep, day_sep)
        yield int(year), int(month), int(day) if day else 1
    for match in _CN_DATE.finditer(text):
        year, month, day = match.groups()
        yield _cn_year(year), _cn_number(month), _cn_number(day) if day else 1


def find_dates(text: str, *, today: date) -> list[date]:
    """Every plausible calendar date in ``text``, in order of appearance per pattern."""
    normal = unicodedata.normalize("NFKC", text)
    return [d for d in _calendar_dates(normal) if _MIN_YEAR <= d.year and d <= today]


def _calendar_dates(text: str) -> Iterator[date]:
    for year, month, day in _candidates(text):
        try:
            yield date(year, month, day)
        except ValueError:
            continue


def valid_until(text: str, kind: EvidenceKind | None) -> date | None:
    """The latest end of validity a policy, certificate or contract states, if it states one."""
    if kind not in IN_FORCE_KINDS:
        return None
    lowered = unicodedata.normalize("NFKC", text).lower()
    ends: list[date] = []
    for phrase in _VALIDITY_PHRASES:
        start = lowered.find(phrase)
        for _ in range(_VALIDITY_MENTIONS):
            if start < 0:
                break
            window = lowered[start + len(phrase) : start + len(phrase) + _VALIDITY_WINDOW]
            found = [d for d in _calendar_dates(window) if d.year >= _MIN_YEAR]
            if found:
                ends.append(found[-1])  # "…至2027年12月31日": the range's end comes last
            start = lowered.find(phrase, start + len(phrase))
    return max(ends, default=None)


def document_date(text: str, *, today: date) -> date | None:
    """The latest plausible date in the text: for most documents, when it was issued."""
    return max(find_dates(text, today=today), default=None)


def covers_months(text: str, kind: EvidenceKind | None, *, today: date) -> int | None:
    """Whole months between the earliest and latest dates of a record or ledger's entries."""
    if kind not in _SPAN_KINDS:
        return None
    dates = set(find_dates(text, today=today))
    if len(dates) < 2:
        return None
    return months_between(min(dates), max(dates))


# --- title and the whole description ---------------------------------------------------------


def guess_title(filename: str, text: str, declared: str | None, fmt: FileFormat) -> str:
    """The declared title, else the first short line of a document, else the file's stem."""
    if declared and declared.strip():
        return declared.strip()[:_TITLE_CHARS]
    if fmt not in IMAGE_FORMATS and fmt != "xlsx":
        short = (line for line in _lines(text, _TITLE_LINES) if len(line) <= _TITLE_CHARS)
        first = next(short, None)
        if first:
            return first
    return _stem(filename)[:_TITLE_CHARS] or filename


def describe_upload(upload: Upload, *, today: date) -> Description:
    kind = guess_kind(upload.filename, upload.text, title=upload.title, fmt=upload.format)
    return Description(
        kind=kind,
        dated=document_date(upload.text, today=today),
        covers_months=covers_months(upload.text, kind, today=today),
        title=guess_title(upload.filename, upload.text, upload.title, upload.format),
        valid_until=valid_until(upload.text, kind),
    )


def make_record(
    upload: Upload,
    description: Description,
    *,
    record_id: str,
    session_id: str,
    uploaded_at: datetime,
    suggested_ids: Sequence[str] = (),
) -> EvidenceRecord:
    """The metadata row for a stored upload; links stay empty until the applicant confirms."""
    return EvidenceRecord(
        id=record_id,
        session_id=session_id,
        sha256=upload.sha256,
        filename=upload.filename,
        media_type=upload.media_type,
        size=upload.size,
        kind=description.kind,
        dated=description.dated,
        valid_until=description.valid_until,
        covers_months=description.covers_months,
        title=description.title,
        text_chars=len(upload.text),
        suggested_ids=tuple(suggested_ids),
        uploaded_at=uploaded_at,
    )
