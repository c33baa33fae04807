"""The verdict as a short Markdown summary for the chat (the full text is the report).

Words, numbers and order come from the presenter (``assistant.verdict``): the chat lists the
declared reading's holding areas as the page and ``smecmm rate`` do.
"""

from __future__ import annotations

from assistant.rating.models import Basis
from assistant.verdict import AreaVerdict, Verdicts
from assistant.vocabulary import Label, Language, basis_label

__all__ = ["rating_summary"]

_MAX_BLOCKERS = 6
_WORDS: dict[str, Label] = {
    "stars": Label(
        "**临时星级**：{declared_basis} **{declared}**，{evidenced_basis} **{evidenced}**",
        "**Provisional rating**: {declared_basis} **{declared}**, "
        "{evidenced_basis} **{evidenced}**",
    ),
    "area": Label("能力域", "Area"),
    "more": Label("- ……另有 {n} 项，见报告", "- … {n} more in the report"),
    "lower": Label(
        "证据口径较低：请上传满足要求的证据（见报告中的申报材料清单）。",
        "The evidenced reading is lower: upload the evidence the report's materials list asks for.",
    ),
    "end": Label("{coverage}。", "{coverage}."),
}


def _w(key: str, language: Language, **values: object) -> str:
    return _WORDS[key].pick(language).format(**values)


def rating_summary(verdicts: Verdicts) -> str:
    language = verdicts.language
    declared, evidenced = verdicts.declared, verdicts.evidenced
    lines = [
        _w(
            "stars",
            language,
            declared_basis=basis_label(Basis.DECLARED, language, inline=True),
            declared=declared.stars_label,
            evidenced_basis=basis_label(Basis.EVIDENCED, language, inline=True),
            evidenced=evidenced.stars_label,
        ),
        "",
        f"| {_w('area', language)} | {declared.basis_label} | {evidenced.basis_label} |",
        "|---|---|---|",
    ]
    for mine, theirs in zip(declared.areas, evidenced.areas, strict=True):
        lines.append(f"| {mine.name} | {mine.level_label} | {theirs.level_label} |")
    lines += ["", f"**{declared.heading}**"]
    budget = _MAX_BLOCKERS
    for area in declared.holding:
        shown, budget = _area_lines(area, budget)
        lines += shown
    hidden = len(declared.blockers) - min(len(declared.blockers), _MAX_BLOCKERS)
    if hidden:
        lines.append(_w("more", language, n=hidden))
    if evidenced.stars < declared.stars:
        lines += ["", _w("lower", language)]
    lines += ["", _w("end", language, coverage=verdicts.coverage_text)]
    return "\n".join(lines)


def _area_lines(area: AreaVerdict, budget: int) -> tuple[list[str], int]:
    """The area's headline, its first blockers within ``budget``, then its counts; an area
    with nothing but unanswered items takes one line."""
    if not area.blockers:
        return [f"- **{area.headline}** · {' · '.join(area.notes)}".rstrip(" ·")], budget
    lines = ["", f"**{area.headline}**"]
    for blocker in area.blockers[:budget]:
        lift = f" — {blocker.lift}" if blocker.lift else ""
        lines.append(f"- {blocker.line}{lift}")
    lines += [f"- {note}" for note in area.notes]
    return lines, budget - min(budget, len(area.blockers))
