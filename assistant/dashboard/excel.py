"""The association's Excel export: applications, findings and blockers, one sheet each.

Written with XlsxWriter in ``constant_memory`` mode, one row at a time (each row goes to a
temporary file as soon as the next starts), so the workbook of thousands of sessions never
sits in memory as cells; every cell is written by its type (``write_string``,
``write_number``…), never guessed. Headers are two rows (中文, then English), frozen.
Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe, and characters a workbook cannot hold are dropped; the
workbook's own string-to-formula, -URL and -number conversions are off as well.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from xlsxwriter import Workbook  # type: ignore[import-untyped]

from assistant.dashboard.contribution import Contribution, ContributionCache, contribution_of
from assistant.dashboard.models import Dashboard, DashboardFilter
from assistant.dashboard.stats import DashboardCounter, admits
from assistant.knowledge.schema import Catalog
from assistant.storage import SessionStore, SessionSummary

__all__ = ["SHEETS", "XLSX_MEDIA_TYPE", "export_xlsx", "safe_cell"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# control characters XML 1.0 cannot hold; dropped, as before, rather than written as the
# _xHHHH_ escapes XlsxWriter would use (one class: linear time).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
_DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"  # what openpyxl gave these cells before
_DIGIT_PIXELS = 7  # a column's width in characters of Calibri 11: 7 pixels each


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    width: int


def _cols(*spec: tuple[str, str, int]) -> tuple[Column, ...]:
    return tuple(Column(*one) for one in spec)


SHEETS: dict[str, tuple[Column, ...]] = {
    "申请 Applications": _cols(
        ("会话编号", "Session id", 34),
        ("机构名称", "Institution", 30),
        ("机构类型", "Institution type", 16),
        ("创建时间（UTC）", "Created (UTC)", 19),
        ("更新时间（UTC）", "Updated (UTC)", 19),
        ("阶段", "Stage", 12),
        ("已回答", "Answered", 9),
        ("申报星级", "Declared stars", 10),
        ("证据星级", "Evidenced stars", 10),
        ("签署星级", "Signed stars", 10),
        ("签署人", "Signed by", 18),
        ("签署时间（UTC）", "Signed at (UTC)", 19),
        ("已锁定", "Locked", 8),
    ),
    "指标认定 Findings": _cols(
        ("会话编号", "Session id", 34),
        ("指标", "Indicator", 11),
        ("指标名称", "Indicator title", 34),
        ("认定", "Status", 13),
        ("认定人", "Actor", 11),
        ("评估人员确认", "Assessor confirmed", 12),
        ("沿用待确认", "Carried", 10),
        ("理由", "Reason", 40),
        ("更新时间（UTC）", "Updated (UTC)", 19),
    ),
    "阻碍项 Blockers": _cols(
        ("星级", "Level", 7),
        ("指标", "Indicator", 11),
        ("指标名称", "Title (zh)", 34),
        ("Title", "Title (en)", 40),
        ("核心指标", "Core", 8),
        ("阻碍的申请数", "Applications blocked", 12),
        ("以此为下一星级的申请数", "Applications at this next star", 14),
        ("原因代码", "Reason codes", 40),
    ),
}


def safe_cell(value: Any) -> Any:
    """A value as a cell should hold it: aware datetimes in naive UTC, risky text quoted."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    return "'" + text if text.startswith(_RISKY_START) else text


class _Sheet:
    """One worksheet written row after row, each value by its type."""

    def __init__(self, book: Any, title: str, columns: Sequence[Column], stamp: Any) -> None:
        self.sheet = book.add_worksheet(title)
        self.stamp = stamp
        for index, column in enumerate(columns):
            # in pixels: the file then holds exactly ``width`` characters, as it did before
            self.sheet.set_column_pixels(index, index, column.width * _DIGIT_PIXELS)
        self.sheet.freeze_panes(2, 0)
        self.next_row = 0
        self.add([c.zh for c in columns])
        self.add([c.en for c in columns])

    def add(self, values: Iterable[Any]) -> None:
        row, sheet = self.next_row, self.sheet
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, safe_cell(value))
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, safe_cell(value), self.stamp)
            else:
                raise TypeError(f"no cell type for {type(value).__name__}")
        self.next_row = row + 1


def _application(
    summary: SessionSummary, rated: Contribution | None, by: str | None, at: datetime | None
) -> list[Any]:
    kind = summary.institution_type
    return [
        summary.id,
        summary.institution,
        kind.value if kind else None,
        summary.created_at,
        summary.updated_at,
        summary.stage,
        summary.answered,
        rated.declared if rated else summary.declared_stars,
        rated.evidenced if rated else summary.evidenced_stars,
        summary.signed_stars,
        by,
        at,
        summary.locked,
    ]


def _findings(
    store: SessionStore, summary: SessionSummary, titles: dict[str, str]
) -> list[list[Any]]:
    """The session's findings in catalog order (``titles`` is in that order)."""
    order = {indicator_id: n for n, indicator_id in enumerate(titles)}
    record = store.get(summary.id)
    return [
        [
            summary.id,
            f.indicator_id,
            titles.get(f.indicator_id, ""),
            f.status.value,
            f.actor.value,
            f.assessor_confirmed,
            f.carried,
            f.reason,
            f.updated_at,
        ]
        for f in sorted(
            record.findings.values(),
            key=lambda f: (order.get(f.indicator_id, len(order)), f.indicator_id),
        )
    ]


def _blockers(board: Dashboard) -> Iterable[list[Any]]:
    for level in board.blockers:
        for b in level.blockers:
            reasons = ", ".join(f"{code.value} {n}" for code, n in b.reasons.items())
            yield [
                b.level,
                b.indicator_id,
                b.title_zh,
                b.title_en,
                b.core,
                b.count,
                level.applications,
                reasons,
            ]


def export_xlsx(
    store: SessionStore,
    catalog: Catalog,
    filters: DashboardFilter | None = None,
    *,
    cache: ContributionCache | None = None,
) -> bytes:
    """The workbook of the sessions the filter admits (every blocker, not only the top);
    ``cache`` as for ``stats.from_store``."""
    buffer = io.BytesIO()
    with Workbook(buffer, _OPTIONS) as book:
        stamp = book.add_format({"num_format": _DATETIME_FORMAT})
        apps, findings, blockers = (_Sheet(book, name, SHEETS[name], stamp) for name in SHEETS)
        counter = DashboardCounter(catalog, filters)
        titles = {i.id: i.title.zh for i in catalog.indicators}
        for summary in store.all_summaries():
            if not admits(counter.filters, summary):
                continue
            rated = contribution_of(summary, store.latest_rating, counter.cores, cache)
            counter.add_contribution(summary, rated)
            live = store.live_signoff(summary.id) if summary.locked else None
            apps.add(
                _application(
                    summary,
                    rated,
                    live.signed_by if live else None,
                    live.signed_at if live else None,
                )
            )
            for row in _findings(store, summary, titles):
                findings.add(row)
        for row in _blockers(counter.result(top=len(catalog.indicators))):
            blockers.add(row)
    return buffer.getvalue()
