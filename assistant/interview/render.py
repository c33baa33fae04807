"""Turn a pending question into the reply's ``question`` object and its Markdown text."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.interview.ports import QuestionPhraser
from assistant.interview.profile import field_prompt, profile_quick_replies
from assistant.interview.texts import say
from assistant.knowledge.guidance import guidance_lines
from assistant.knowledge.schema import (
    Catalog,
    EvidenceKind,
    EvidenceRequirement,
    FindingStatus,
    Indicator,
)
from assistant.session.models import (
    IndicatorRef,
    Language,
    Profile,
    ProposedFinding,
    Question,
    QuestionKind,
    QuickReply,
)
from assistant.session.state import Pending, RecordedFinding
from assistant.vocabulary import kind_label, star_label, status_label

__all__ = ["QuestionRenderer"]

_ANSWER_STATUSES = (
    FindingStatus.MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NOT_MET,
)


def _reply(value: str, zh: str, en: str, language: Language) -> QuickReply:
    return QuickReply(value=value, label=en if language == "en" else zh)


def _evidence_hint(direct: list[EvidenceRequirement], language: Language) -> str:
    """ "证据：台账/数据表 — 服务台账" / "Evidence: ledger or data sheet, record". English names
    the kinds only: a requirement's description is written in Chinese."""
    kinds = dict.fromkeys(kind_label(r.kind, language, inline=language == "en") for r in direct)
    if language == "en":
        return "Evidence: " + ", ".join(kinds)
    return f"证据：{'、'.join(kinds)} — {direct[0].description}"


class QuestionRenderer:
    def __init__(self, catalog: Catalog, phraser: QuestionPhraser | None = None) -> None:
        self._catalog = catalog
        self._by_id = {i.id: i for i in catalog.indicators}
        self._areas = {a.code: a.name for a in catalog.areas}
        self._items = {item.code: item.name for a in catalog.areas for item in a.items}
        self._phraser = phraser

    @staticmethod
    def kind_label(kind: EvidenceKind | None, language: Language) -> str:
        if kind is None:
            return "kind not known yet" if language == "en" else "类型待定"
        return kind_label(kind, language, inline=True)

    def ref(self, indicator: Indicator, language: Language) -> IndicatorRef:
        title = indicator.title.en if language == "en" else indicator.title.zh
        return IndicatorRef(
            id=indicator.id,
            area=indicator.area,
            level=int(indicator.level),
            title=title,
            core=indicator.core,
        )

    def question(self, pending: Pending, language: Language) -> Question:
        indicators = tuple(self.ref(self._by_id[i], language) for i in pending.indicator_ids)
        return Question(
            kind=pending.kind,
            field=pending.field,
            indicators=indicators,
            quick_replies=self._quick_replies(pending, language),
        )

    def _quick_replies(self, pending: Pending, language: Language) -> tuple[QuickReply, ...]:
        kind = pending.kind
        if kind is QuestionKind.PROFILE:
            return profile_quick_replies(pending.field or "", language)
        if kind is QuestionKind.INDICATOR:
            return self._status_replies(self._by_id[pending.indicator_ids[0]], language)
        if kind is QuestionKind.CHECKLIST:
            return (
                _reply("all:met", "全部满足", "All met", language),
                _reply("skip", "跳过", "Skip", language),
            )
        if kind is QuestionKind.CONFIRM:
            return (_reply("confirm", "对，就这样记录", "Yes, record it", language),) + tuple(
                QuickReply(value=s.value, label=status_label(s, language)) for s in _ANSWER_STATUSES
            )
        if kind is QuestionKind.EVIDENCE:
            links = tuple(_reply(f"link:{i}", i, i, language) for i in pending.indicator_ids)
            count = len(pending.indicator_ids)
            every = (
                _reply("link:confirm", f"确认关联这 {count} 项", f"Link all {count}", language)
                if pending.confirm_links
                else _reply("link:all", "全部关联", "Link all", language)
            )
            return (
                every,
                *links,
                _reply("link:none", "暂不关联", "Don't link", language),
            )
        return (
            _reply("report", "查看评级", "Show rating", language),
            _reply("full_gap", "全面差距分析", "Full gap analysis", language),
        )

    def _status_replies(self, indicator: Indicator, language: Language) -> tuple[QuickReply, ...]:
        statuses = list(_ANSWER_STATUSES)
        if indicator.na_allowed:
            statuses.append(FindingStatus.NOT_APPLICABLE)
        replies = [QuickReply(value=s.value, label=status_label(s, language)) for s in statuses]
        replies.append(_reply("unsure", "不清楚", "Not sure", language))
        replies.append(_reply("skip", "跳过", "Skip", language))
        return tuple(replies)

    # ------------------------------------------------------------------ text

    def text(
        self,
        pending: Pending,
        language: Language,
        profile: Profile,
        findings: Mapping[str, RecordedFinding],
    ) -> str:
        if pending.kind is QuestionKind.PROFILE:
            return field_prompt(pending.field or "", language)
        if pending.kind is QuestionKind.INDICATOR:
            return self._indicator_text(pending.indicator_ids[0], language, profile, findings)
        if pending.kind is QuestionKind.CHECKLIST:
            return self._checklist_text(pending.indicator_ids, language, profile, findings)
        if pending.kind is QuestionKind.CONFIRM:
            return self._confirm_text(pending.proposals, language)
        return ""

    def heading(self, indicator: Indicator, language: Language) -> str:
        area = self._areas[indicator.area]
        star = star_label(int(indicator.level), language)
        title = indicator.title.en if language == "en" else indicator.title.zh
        area_name = area.en if language == "en" else area.zh
        core = (" (core)" if language == "en" else "（核心指标）") if indicator.core else ""
        return f"**{area_name} · {star} · {indicator.id} {title}**{core}"

    def ask(self, indicator: Indicator, language: Language, profile: Profile) -> str:
        if self._phraser is not None:
            return self._phraser.phrase(indicator, language=language, profile=profile)
        if language == "en":
            return (
                indicator.question_en or f"Does your institution meet this: {indicator.title.en}?"
            )
        return indicator.question

    def _hints(self, indicator: Indicator, language: Language) -> list[str]:
        hints = indicator.hints_en if language == "en" and indicator.hints_en else indicator.hints
        lines = [f"> {hint}" for hint in hints]
        direct = [r for r in indicator.evidence if r.evidence_class.value == "direct"]
        if direct:
            lines.append(f"> {_evidence_hint(direct, language)}")
        # 评分细则: what 满足/基本满足 look like and what an assessor samples (en: scoring_en only)
        lines.extend(f"> {line}" for line in guidance_lines(indicator, language))
        # a bare ">" between lines keeps each hint its own paragraph in every Markdown renderer
        return [part for line in lines for part in (line, ">")][:-1]

    def _current(
        self, indicator_id: str, language: Language, findings: Mapping[str, RecordedFinding]
    ) -> str:
        finding = findings.get(indicator_id)
        if finding is None:
            return ""
        label = status_label(finding.status, language, inline=True)
        return f"（当前记录：{label}）" if language == "zh" else f" (recorded: {label})"

    def _indicator_text(
        self,
        indicator_id: str,
        language: Language,
        profile: Profile,
        findings: Mapping[str, RecordedFinding],
    ) -> str:
        indicator = self._by_id[indicator_id]
        lines = [
            self.heading(indicator, language) + self._current(indicator_id, language, findings),
            "",
            self.ask(indicator, language, profile),
            "",
            *self._hints(indicator, language),
        ]
        return "\n".join(lines).rstrip()

    def _checklist_text(
        self,
        indicator_ids: tuple[str, ...],
        language: Language,
        profile: Profile,
        findings: Mapping[str, RecordedFinding],
    ) -> str:
        first = self._by_id[indicator_ids[0]]
        area = self._areas[first.area]
        star = star_label(int(first.level), language)
        if language == "en":
            head = (
                f"**{area.en} · {star}** — check each line "
                "(or reply “all met”, or e.g. “1 met 2 partly”):"
            )
        else:
            head = (
                f"**{area.zh} · {star}** — 请逐项选择（可回复“全部满足”，或如“1满足 2部分满足”）："
            )
        lines = [head, ""]
        for number, indicator_id in enumerate(indicator_ids, start=1):
            indicator = self._by_id[indicator_id]
            title = indicator.title.en if language == "en" else indicator.title.zh
            current = self._current(indicator_id, language, findings)
            lines.append(
                f"{number}. **{indicator_id} {title}**{current} — "
                f"{self.ask(indicator, language, profile)}"
            )
        return "\n".join(lines)

    def _confirm_text(self, proposals: tuple[ProposedFinding, ...], language: Language) -> str:
        if len(proposals) == 1:
            only = proposals[0]
            status = status_label(only.status, language, inline=True)
            indicator = self._by_id[only.indicator_id]
            heading = self.heading(indicator, language)
            if only.off_topic and only.quote:
                confirm = say(
                    "confirm_off_topic",
                    language,
                    quote=only.quote,
                    id=only.indicator_id,
                    title=indicator.title.en if language == "en" else indicator.title.zh,
                    status=status,
                )
            else:
                confirm = say("confirm", language, status=status, rationale=only.rationale)
            return f"{heading}\n\n{confirm}"
        lines = [say("confirm_many", language), ""]
        for proposal in proposals:
            indicator = self._by_id[proposal.indicator_id]
            title = indicator.title.en if language == "en" else indicator.title.zh
            status = status_label(proposal.status, language)
            colon = ": " if language == "en" else "："
            lines.append(
                f"- {proposal.indicator_id} {title}{colon}**{status}** — {proposal.rationale}"
            )
        return "\n".join(lines)
