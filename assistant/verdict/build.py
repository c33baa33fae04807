"""The presenter: a rating, the catalog and the interview's scope in; ``Verdicts`` out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.knowledge.schema import Catalog, Indicator
from assistant.rating.models import AreaResult, Blocker, RatingResult, Reading, ReasonCode
from assistant.verdict.coverage import coverage
from assistant.verdict.models import AreaVerdict, BlockerLine, Verdict, Verdicts
from assistant.verdict.order import GROUP_OF, in_order
from assistant.verdict.words import (
    blocker_lift,
    blocker_text,
    count_note,
    coverage_text,
    heading,
    headline,
)
from assistant.vocabulary import (
    Language,
    basis_label,
    reason_label,
    star_label,
    status_label,
)

__all__ = ["present"]


@dataclass(frozen=True)
class _Context:
    catalog: Catalog
    language: Language
    indicators: dict[str, Indicator]
    cores: frozenset[str]
    pending: frozenset[str] | None


def _title(indicator: Indicator, language: Language) -> str:
    return indicator.title.en if language == "en" else indicator.title.zh


def _line(blocker: Blocker, ctx: _Context) -> BlockerLine:
    indicator = ctx.indicators[blocker.indicator_id]
    title = _title(indicator, ctx.language)
    text = blocker_text(blocker, ctx.language)
    colon = ": " if ctx.language == "en" else "："
    return BlockerLine(
        indicator_id=blocker.indicator_id,
        title=title,
        core=indicator.core,
        group=GROUP_OF[blocker.code],
        code=blocker.code,
        reason=reason_label(blocker.code, ctx.language),
        status=blocker.status,
        status_label=status_label(blocker.status, ctx.language),
        gain=blocker.gain,
        gaps=blocker.gaps,
        text=text,
        lift=blocker_lift(blocker, indicator, ctx.language),
        line=f"{blocker.indicator_id} {title}{colon}{text}",
    )


def _counts(area: AreaResult, ctx: _Context) -> tuple[int, int]:
    unrated = [b.indicator_id for b in area.blockers if b.code is ReasonCode.NOT_RATED]
    if ctx.pending is None:
        return 0, len(unrated)
    still = sum(i in ctx.pending for i in unrated)
    return still, len(unrated) - still


def _area(area: AreaResult, holding: bool, ctx: _Context) -> AreaVerdict:
    spec = ctx.catalog.area(area.area)
    name = spec.name.en if ctx.language == "en" else spec.name.zh
    nxt = area.levels[area.next_level - 1] if area.next_level is not None else None
    unanswered, unrated = _counts(area, ctx)
    notes = tuple(
        count_note(key, n, ctx.language)
        for key, n in (("unanswered", unanswered), ("unrated_count", unrated))
        if n
    )
    return AreaVerdict(
        area=area.area,
        name=name,
        level=area.level,
        level_label=star_label(area.level, ctx.language),
        next_level=area.next_level,
        next_label=None if area.next_level is None else star_label(area.next_level, ctx.language),
        next_state=area.next_state,
        score=nxt.score if nxt else None,
        threshold=nxt.threshold if nxt else None,
        headline=headline(
            name,
            area.level,
            area.next_level,
            nxt.score if nxt else 1.0,
            nxt.threshold if nxt else 1.0,
            ctx.language,
        ),
        holding=holding,
        blockers=tuple(_line(b, ctx) for b in in_order(area.blockers, ctx.cores)),
        unanswered=unanswered,
        unrated=unrated,
        notes=notes,
    )


def _verdict(reading: Reading, ctx: _Context) -> Verdict:
    nxt = reading.next_star
    holding = set(nxt.areas) if nxt else set()
    language = ctx.language
    return Verdict(
        basis=reading.basis,
        basis_label=basis_label(reading.basis, language),
        stars=reading.stars,
        stars_label=star_label(reading.stars, language),
        next_star=nxt.level if nxt else None,
        next_star_label=star_label(nxt.level, language) if nxt else None,
        next_state=nxt.state if nxt else None,
        heading=heading(nxt.level if nxt else None, language),
        areas=tuple(_area(a, a.area in holding, ctx) for a in reading.areas),
    )


def present(
    result: RatingResult,
    catalog: Catalog,
    language: Language,
    *,
    scope: Iterable[str] | None = None,
    pending: Iterable[str] | None = None,
) -> Verdicts:
    """Both readings in words. ``scope``: the indicators this interview covers (None: the
    whole catalog); ``pending``: those it will still ask, counted as "还有 N 项未回答" (None:
    no interview, every unanswered indicator is counted as not rated)."""
    ctx = _Context(
        catalog=catalog,
        language=language,
        indicators={i.id: i for i in catalog.indicators},
        cores=frozenset(i.id for i in catalog.indicators if i.core),
        pending=None if pending is None else frozenset(pending),
    )
    statuses = {r.indicator_id: r.declared for r in result.indicators}
    counted = coverage(catalog, scope, statuses)
    return Verdicts(
        language=language,
        declared=_verdict(result.declared, ctx),
        evidenced=_verdict(result.evidenced, ctx),
        coverage=counted,
        coverage_text=coverage_text(counted.rated, counted.total, language),
    )
