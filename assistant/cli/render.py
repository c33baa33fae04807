"""Rich rendering of the catalog and of ratings for the terminal (zh first)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from assistant.knowledge.schema import Catalog
from assistant.rating.labels import REASON_LABELS, STAR_LABELS, STATUS_LABELS
from assistant.rating.models import AreaResult, LevelState, RatingResult, Reading

__all__ = ["render_catalog", "render_rating"]

_STATE_ZH = {
    LevelState.ATTAINED: "达到",
    LevelState.FAILED: "未达到",
    LevelState.NOT_RATED: "未评定",
}
_BASIS_ZH = {"declared": "申报口径", "evidenced": "证据口径"}


def render_catalog(console: Console, catalog: Catalog) -> None:
    counts = Counter((i.area, int(i.level)) for i in catalog.indicators)
    cores = Counter((i.area, int(i.level)) for i in catalog.indicators if i.core)
    table = Table(
        title=f"指标目录 {catalog.standard}（版本 {catalog.version}）",
        caption="格内为指标数（括号内为核心指标数）",
    )
    table.add_column("能力域", no_wrap=True)
    for level in catalog.levels:
        table.add_column(level.name.zh, justify="right")
    table.add_column("合计", justify="right")
    for area in catalog.areas:
        cells = [f"{counts[(area.code, lv)]} ({cores[(area.code, lv)]})" for lv in range(1, 6)]
        total = sum(counts[(area.code, lv)] for lv in range(1, 6))
        table.add_row(f"{area.name.zh} {area.code.value}", *cells, str(total))
    console.print(table)
    console.print(f"共 {len(catalog.indicators)} 项指标；内容哈希 {catalog.content_hash[:19]}…")


def _area_table(reading: Reading, names: dict[str, str]) -> Table:
    table = Table(title=f"{_BASIS_ZH[reading.basis.value]}：{STAR_LABELS[reading.stars]}")
    table.add_column("能力域")
    table.add_column("达到等级", justify="center")
    table.add_column("下一等级")
    table.add_column("得分/门槛", justify="right")
    for area in reading.areas:
        table.add_row(names[area.area.value], STAR_LABELS[area.level], *_next_cells(area))
    return table


def _next_cells(area: AreaResult) -> tuple[str, str]:
    if area.next_level is None or area.next_state is None:
        return "—", "—"
    outcome = area.levels[area.next_level - 1]
    state = f"{STAR_LABELS[area.next_level]} {_STATE_ZH[area.next_state]}"
    return state, f"{outcome.score:.2f} / {outcome.threshold:.2f}"


def _render_blockers(console: Console, reading: Reading, titles: dict[str, str]) -> None:
    basis = _BASIS_ZH[reading.basis.value]
    if reading.next_star is None:
        console.print(f"{basis}已达到最高星级。")
        return
    star = STAR_LABELS[reading.next_star.level]
    table = Table(title=f"{basis}：阻碍达到{star}的指标（按提升效果排序）")
    table.add_column("指标", no_wrap=True)
    table.add_column("名称", overflow="fold")
    table.add_column("现状", no_wrap=True)
    table.add_column("原因", overflow="fold")
    table.add_column("提升建议", overflow="fold")
    for area in reading.areas:
        if area.area not in reading.next_star.areas:
            continue
        for blocker in area.blockers:
            table.add_row(
                blocker.indicator_id,
                titles[blocker.indicator_id],
                STATUS_LABELS[blocker.status],
                REASON_LABELS[blocker.code],
                blocker.lift_zh,
            )
    console.print(table)


def render_rating(
    console: Console, result: RatingResult, catalog: Catalog, institution: str | None
) -> None:
    names = {a.code.value: a.name.zh for a in catalog.areas}
    titles = {i.id: i.title.zh for i in catalog.indicators}
    if institution:
        console.print(f"[bold]{institution}[/bold]")
    console.print(
        f"[bold]申报口径 {STAR_LABELS[result.declared.stars]} · "
        f"证据口径 {STAR_LABELS[result.evidenced.stars]}[/bold]（暂定评级，仅供自评参考）"
    )
    for reading in (result.declared, result.evidenced):
        console.print(_area_table(reading, names))
        _render_blockers(console, reading, titles)
    done = result.completeness
    console.print(
        f"完成度 {done.rated}/{done.total}（{done.ratio:.0%}）；评估基准日 {result.as_of}；"
        f"指标目录 {result.versions.catalog_version}，评级规则 {result.versions.rules_version}"
    )
