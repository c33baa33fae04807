"""The rating as a short Markdown summary for the chat (the full text is the report)."""

from __future__ import annotations

from assistant.interview.models import Language
from assistant.knowledge.schema import Catalog
from assistant.rating.labels import REASON_LABELS, STAR_LABELS, STAR_LABELS_EN
from assistant.rating.models import Blocker, RatingResult, Reading

__all__ = ["rating_summary"]

_MAX_BLOCKERS = 6


def _stars(stars: int, language: Language) -> str:
    return (STAR_LABELS_EN if language == "en" else STAR_LABELS)[stars]


def rating_summary(result: RatingResult, catalog: Catalog, language: Language) -> str:
    zh = language == "zh"
    declared, evidenced = result.declared, result.evidenced
    lines = [
        (
            f"**临时星级**：申报口径 **{_stars(declared.stars, language)}**，"
            f"证据口径 **{_stars(evidenced.stars, language)}**"
            if zh
            else f"**Provisional rating**: declared **{_stars(declared.stars, language)}**, "
            f"evidenced **{_stars(evidenced.stars, language)}**"
        ),
        "",
        "| 能力域 | 申报 | 证据 |" if zh else "| Area | Declared | Evidenced |",
        "|---|---|---|",
    ]
    names = {a.code: (a.name.zh if zh else a.name.en) for a in catalog.areas}
    for mine, theirs in zip(declared.areas, evidenced.areas, strict=True):
        lines.append(
            f"| {names[mine.area]} | {_stars(mine.level, language)} "
            f"| {_stars(theirs.level, language)} |"
        )
    lines += _blocker_lines(declared, catalog, language)
    if evidenced.stars < declared.stars:
        lines.append("")
        lines.append(
            "证据口径较低：请上传满足要求的证据（见报告中的申报材料清单）。"
            if zh
            else "The evidenced reading is lower: upload the evidence the report's materials "
            "list asks for."
        )
    done, total = result.completeness.rated, result.completeness.total
    lines.append("")
    lines.append(
        f"已评估 {done} / {total} 项指标。" if zh else f"{done} of {total} indicators rated."
    )
    return "\n".join(lines)


def _blocker_lines(reading: Reading, catalog: Catalog, language: Language) -> list[str]:
    if reading.next_star is None:
        return ["", "已达到最高星级。" if language == "zh" else "The top star is reached."]
    blockers = sorted(
        (b for a in reading.areas if a.area in reading.next_star.areas for b in a.blockers),
        key=lambda b: (-b.gain, b.indicator_id),
    )
    star = _stars(reading.next_star.level, language)
    head = f"**升到{star}还差**：" if language == "zh" else f"**What blocks {star}**:"
    titles = {i.id: (i.title.zh if language == "zh" else i.title.en) for i in catalog.indicators}
    lines = ["", head]
    lines += [_blocker_line(b, titles, language) for b in blockers[:_MAX_BLOCKERS]]
    if len(blockers) > _MAX_BLOCKERS:
        more = len(blockers) - _MAX_BLOCKERS
        lines.append(
            f"- ……另有 {more} 项，见报告" if language == "zh" else f"- … {more} more in the report"
        )
    return lines


def _blocker_line(blocker: Blocker, titles: dict[str, str], language: Language) -> str:
    title = titles[blocker.indicator_id]
    if language == "zh":
        return (
            f"- {blocker.indicator_id} {title}：{REASON_LABELS[blocker.code]} — {blocker.lift_zh}"
        )
    return f"- {blocker.indicator_id} {title}: {blocker.code.value} — {blocker.lift_en}"
