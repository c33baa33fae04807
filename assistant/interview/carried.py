"""The interview's side of a re-assessment: carried findings, the opening, 确认沿用.

A re-assessment starts with the findings carried from the signed version already recorded
(``RecordedFinding.carried``), so the question plan (``Scope.next_unit``) never reaches them.
Its opening says how many were carried and which evidence to renew; the command "确认沿用" /
"confirm carried" (typed or as a quick reply) confirms every carried finding at once. Any other
change of a carried finding records a new finding, which is not carried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from assistant.assessment.carry import Carry, carried_records
from assistant.evidence.models import EvidenceRecord
from assistant.interview.manager import DialogueManager, Outcome
from assistant.session.models import Language, QuickReply, Reply, UserTurn
from assistant.session.state import Actor, FindingChange, InterviewState, RecordedFinding
from assistant.textnorm import normalize_user_text

__all__ = [
    "CONFIRM_CARRIED",
    "MAX_RENEW_SHOWN",
    "CarriedStart",
    "CarryingManager",
    "carried_reason",
    "confirm_carried",
    "is_confirm_carried",
    "offer_confirm",
    "opening",
]

CONFIRM_CARRIED = "确认沿用"
_CONFIRM_WORDS = frozenset({"确认沿用", "确认全部沿用", "confirm carried", "confirm all carried"})
_TRAILING = "。.!！ "
MAX_RENEW_SHOWN = 12  # the opening lists this many items to renew, then counts the rest
_CONFIRMED_REASON = "确认沿用上次签署的认定 / confirmed as carried"


def carried_reason(version: int) -> str:
    return f"沿用上次签署的评估 v{version} / carried from signed assessment v{version}"


def is_confirm_carried(text: str) -> bool:
    cleaned = normalize_user_text(text).strip().lstrip("/／").rstrip(_TRAILING).lower()
    return cleaned in _CONFIRM_WORDS


def _renew_lines(plan: Carry, language: Language) -> list[str]:
    items = plan.renew[:MAX_RENEW_SHOWN]
    lines = [f"- {item.text_en if language == 'en' else item.text_zh}" for item in items]
    rest = len(plan.renew) - len(items)
    if rest > 0:
        lines.append(f"- …and {rest} more" if language == "en" else f"- ……另有 {rest} 项")
    return lines


def opening(plan: Carry, language: Language) -> str:
    """The paragraph a re-assessment opens with, after the welcome."""
    carried, again = len(plan.findings), len(plan.asked_again)
    if language == "en":
        parts = [
            f"This is a re-assessment continuing from the signed assessment (version "
            f"{plan.version}): **{carried}** findings were carried over (carried, to be "
            f"confirmed) and will not be asked again; reply “confirm carried” to confirm them "
            f"all. {again} findings whose evidence is out of date are asked again.",
        ]
        if plan.renew:
            parts.append("Evidence to renew (please upload a current version):")
    else:
        parts = [
            f"本次是在已签署评估（第 {plan.version} 版）基础上的复评：沿用了 **{carried}** 项"
            f"认定（沿用待确认），这些不再提问；回复“确认沿用”即可一并确认。"
            f"另有 {again} 项因证据过期将重新提问。",
        ]
        if plan.renew:
            parts.append("需要更新的证据（请上传现行版本）：")
    return "\n".join([*parts, *_renew_lines(plan, language)])


@dataclass(frozen=True)
class CarriedStart:
    """What ``InterviewService.start`` records in a new re-assessment session."""

    plan: Carry
    actor: Actor  # who started it: the applicant, or an assessor
    actor_name: str | None = None

    @property
    def previous_session_id(self) -> str:
        return self.plan.previous_session_id

    @property
    def findings(self) -> dict[str, RecordedFinding]:
        return dict(self.plan.findings)

    def records(self, session_id: str) -> tuple[EvidenceRecord, ...]:
        return carried_records(self.plan, session_id)

    def changes(self, at: datetime) -> list[FindingChange]:
        """One audit line per carried finding: who carried it, from which version."""
        return [
            FindingChange(
                indicator_id=finding.indicator_id,
                previous=None,
                status=finding.status,
                actor=self.actor,
                actor_name=self.actor_name,
                reason=carried_reason(self.plan.version),
                at=at,
            )
            for finding in self.plan.findings.values()
        ]

    def messages(self, language: Language) -> list[str]:
        return [opening(self.plan, language)]


def confirm_carried(
    state: InterviewState, findings: Mapping[str, RecordedFinding], now: datetime
) -> Outcome:
    """Every carried finding confirmed as it stands: ``carried`` cleared, one audit line each."""
    kept = dict(findings)
    changes: list[FindingChange] = []
    for key, finding in findings.items():
        if not finding.carried:
            continue
        kept[key] = finding.model_copy(update={"carried": False, "updated_at": now})
        changes.append(
            FindingChange(
                indicator_id=key,
                previous=finding.status,
                status=finding.status,
                actor=Actor.APPLICANT,
                reason=_CONFIRMED_REASON,
                at=now,
            )
        )
    english = state.language == "en"
    if changes:
        text = (
            f"Confirmed {len(changes)} carried findings."
            if english
            else f"已确认沿用 {len(changes)} 项认定。"
        )
    else:
        text = "No carried finding is waiting." if english else "没有待确认的沿用认定。"
    return Outcome(state=state, findings=kept, messages=[text], changes=changes)


class CarryingManager(DialogueManager):
    """The dialogue manager, plus the one command of a re-assessment (确认沿用)."""

    def handle(
        self,
        state: InterviewState,
        findings: Mapping[str, RecordedFinding],
        user: UserTurn,
        now: datetime,
    ) -> Outcome:
        said = user.quick_reply or user.text
        if user.answers is None and said is not None and is_confirm_carried(said):
            return confirm_carried(state, findings, now)
        return super().handle(state, findings, user, now)


def offer_confirm(reply: Reply, findings: Mapping[str, RecordedFinding]) -> Reply:
    """While some finding is carried, the question offers the 确认沿用 button."""
    question = reply.question
    if question is None or not any(f.carried for f in findings.values()):
        return reply
    label = "Confirm carried" if reply.language == "en" else CONFIRM_CARRIED
    button = QuickReply(value=CONFIRM_CARRIED, label=label)
    if button in question.quick_replies:
        return reply
    offered = question.model_copy(update={"quick_replies": (*question.quick_replies, button)})
    return reply.model_copy(update={"question": offered})
