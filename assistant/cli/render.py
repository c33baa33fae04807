"""Rich rendering of the catalog and of ratings for the terminal (zh first)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from assistant.knowledge.schema import Catalog
from assistant.rating.models import RatingResult
from assistant.verdict import AreaVerdict, Verdict, present
from assistant.vocabulary import Label, Language, state_label

__all__ = ["render_catalog", "render_rating"]

# The terminal's own words; labels and sentences come from the vocabulary and the presenter.
_WORDS: dict[str, Label] = {
    "area": Label("能力域", "Area"),
    "level": Label("达到等级", "Level"),
    "next": Label("下一等级", "Next level"),
    "score": Label("得分/门槛", "Score / pass mark"),
    "indicator": Label("指标", "Indicator"),
    "title": Label("名称", "Title"),
    "status": Label("现状", "Status"),
    "reason": Label("原因", "Reason"),
    "why": Label("说明与提升建议", "Why, and what would lift it"),
    "stars": Label("{declared} {d} · {evidenced} {e}", "{declared} {d} · {evidenced} {e}"),
    "provisional": Label("（暂定评级，仅供自评参考）", " (provisional, for self-assessment only)"),
    "footer": Label(
        "{coverage}（{ratio:.0%}）；评估基准日 {as_of}；指标目录 {catalog}，评级规则 {rules}",
        "{coverage} ({ratio:.0%}); rated as of {as_of}; catalog {catalog}, rules {rules}",
    ),
}


def _w(key: str, language: Language, **values: object) -> str:
    return _WORDS[key].pick(language).format(**values)


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


def _area_table(verdict: Verdict, language: Language) -> Table:
    colon = ": " if language == "en" else "："
    table = Table(title=f"{verdict.basis_label}{colon}{verdict.stars_label}")
    table.add_column(_w("area", language))
    table.add_column(_w("level", language), justify="center")
    table.add_column(_w("next", language))
    table.add_column(_w("score", language), justify="right")
    for area in verdict.areas:
        table.add_row(area.name, area.level_label, *_next_cells(area, language))
    return table


def _next_cells(area: AreaVerdict, language: Language) -> tuple[str, str]:
    if area.next_label is None or area.next_state is None:
        return "—", "—"
    state = f"{area.next_label} {state_label(area.next_state, language, inline=True)}"
    return state, f"{area.score:.2f} / {area.threshold:.2f}"


def _render_blockers(console: Console, verdict: Verdict, language: Language) -> None:
    """Each holding area's headline, its blockers in the presenter's order, its counts."""
    console.print(f"[bold]{verdict.basis_label} · {verdict.heading}[/bold]")
    for area in verdict.holding:
        console.print(area.headline)
        if area.blockers:
            table = Table()
            for key in ("indicator", "title", "status", "reason", "why"):
                table.add_column(_w(key, language), overflow="fold")
            for line in area.blockers:
                why = line.text + (f"\n→ {line.lift}" if line.lift else "")
                table.add_row(line.indicator_id, line.title, line.status_label, line.reason, why)
            console.print(table)
        for note in area.notes:
            console.print(f"  {note}")


def render_rating(
    console: Console,
    result: RatingResult,
    catalog: Catalog,
    institution: str | None,
    language: Language = "zh",
) -> None:
    said = present(result, catalog, language)
    if institution:
        console.print(f"[bold]{institution}[/bold]")
    declared, evidenced = said.declared, said.evidenced
    stars = _w(
        "stars",
        language,
        declared=declared.basis_label,
        d=declared.stars_label,
        evidenced=evidenced.basis_label,
        e=evidenced.stars_label,
    )
    console.print(f"[bold]{stars}[/bold]{_w('provisional', language)}")
    for verdict in (declared, evidenced):
        console.print(_area_table(verdict, language))
        _render_blockers(console, verdict, language)
    console.print(
        _w(
            "footer",
            language,
            coverage=said.coverage_text,
            ratio=said.coverage.ratio,
            as_of=result.as_of,
            catalog=result.versions.catalog_version,
            rules=result.versions.rules_version,
        )
    )
