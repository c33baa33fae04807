"""The association's Excel export: applications, findings and blockers, one sheet each.

Written in openpyxl's write-only mode, one session at a time, so the workbook of thousands of
sessions never sits in memory as cells. Headers are two rows (中文, then English), frozen.
Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe, and characters a workbook cannot hold are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from assistant.dashboard.contribution import Contribution, ContributionCache, contribution_of
from assistant.dashboard.models import Dashboard, DashboardFilter
from assistant.dashboard.stats import DashboardCounter, admits
from assistant.knowledge.schema import Catalog
from assistant.storage import SessionStore, SessionSummary

__all__ = ["SHEETS", "XLSX_MEDIA_TYPE", "export_xlsx", "safe_cell"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# openpyxl refuses these control characters in a cell (one class: linear time).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    def __init__(self, book: Workbook, title: str, columns: Sequence[Column]) -> None:
        self.sheet = book.create_sheet(title)
        for index, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = "A3"
        self.sheet.append([c.zh for c in columns])
        self.sheet.append([c.en for c in columns])
        self.rows = 0

    def add(self, values: Iterable[Any]) -> None:
        self.sheet.append([safe_cell(v) for v in values])
        self.rows += 1


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
    book = Workbook(write_only=True)
    names = list(SHEETS)
    apps, findings, blockers = (_Sheet(book, name, SHEETS[name]) for name in names)
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
                summary, rated, live.signed_by if live else None, live.signed_at if live else None
            )
        )
        for row in _findings(store, summary, titles):
            findings.add(row)
    for row in _blockers(counter.result(top=len(catalog.indicators))):
        blockers.add(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
