"""Drive a whole interview through ``InterviewService`` the way an applicant would."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from assistant.interview.service import InterviewService
from assistant.knowledge.schema import FindingStatus
from assistant.session.models import Language, QuestionKind, Reply, UserTurn

__all__ = ["ANSWERS", "Applicant", "Policy"]

# How people actually answer, per status and language; the mapper reads these.
ANSWERS: dict[Language, dict[FindingStatus, str]] = {
    "zh": {
        FindingStatus.MET: "有的，我们一直这样做，也有书面文件。",
        FindingStatus.LARGELY_MET: "基本都有，个别地方还在完善。",
        FindingStatus.PARTLY_MET: "只在一个部门试行。",
        FindingStatus.NOT_MET: "还没有。",
    },
    "en": {
        FindingStatus.MET: "Yes, we do this and it is written down.",
        FindingStatus.LARGELY_MET: "Mostly, a few gaps remain.",
        FindingStatus.PARTLY_MET: "Only one department has started it.",
        FindingStatus.NOT_MET: "Not yet.",
    },
}

Policy = Callable[[str], FindingStatus]  # indicator id → the true status


@dataclass
class Applicant:
    service: InterviewService
    session_id: str
    language: Language
    policy: Policy
    checklist_style: str = "answers"  # "answers" | "text"
    reply: Reply | None = None
    turns: int = 0
    confirmations: int = 0
    seen: list[Reply] = field(default_factory=list)

    def send(self, turn: UserTurn) -> Reply:
        self.reply = self.service.send(self.session_id, turn)
        self.turns += 1
        self.seen.append(self.reply)
        return self.reply

    def answer_profile(self, values: Mapping[str, str]) -> Reply:
        assert self.reply is not None
        while self.reply.question and self.reply.question.kind is QuestionKind.PROFILE:
            field_name = self.reply.question.field
            assert field_name is not None
            self.send(UserTurn(text=values[field_name]))
        return self.reply

    def step(self) -> Reply:
        """Answer the question on screen truthfully."""
        reply = self.reply
        assert reply is not None and reply.question is not None
        question = reply.question
        ids = [ref.id for ref in question.indicators]
        if question.kind is QuestionKind.INDICATOR:
            return self.send(UserTurn(text=ANSWERS[self.language][self.policy(ids[0])]))
        if question.kind is QuestionKind.CHECKLIST:
            return self._checklist(ids)
        if question.kind is QuestionKind.CONFIRM:
            return self._confirm(reply)
        raise AssertionError(f"unexpected question {question.kind}")

    def _checklist(self, ids: list[str]) -> Reply:
        truth = {i: self.policy(i) for i in ids}
        if self.checklist_style == "text":
            if len(set(truth.values())) == 1 and FindingStatus.MET in truth.values():
                return self.send(UserTurn(text="全部满足" if self.language == "zh" else "all met"))
            words = {
                "zh": {
                    "met": "满足",
                    "largely_met": "基本满足",
                    "partly_met": "部分满足",
                    "not_met": "不满足",
                },
                "en": {
                    "met": "met",
                    "largely_met": "largely met",
                    "partly_met": "partly met",
                    "not_met": "not met",
                },
            }[self.language]
            text = " ".join(f"{n}{words[s.value]}" for n, s in enumerate(truth.values(), 1))
            return self.send(UserTurn(text=text))
        return self.send(UserTurn(answers=truth))

    def _confirm(self, reply: Reply) -> Reply:
        self.confirmations += 1
        proposals = reply.proposed_findings
        truth = {p.indicator_id: self.policy(p.indicator_id) for p in proposals}
        if all(p.status is truth[p.indicator_id] for p in proposals):
            return self.send(UserTurn(quick_reply="confirm"))
        return self.send(UserTurn(answers=truth))

    def until(self, done: Callable[[Reply], bool], limit: int = 400) -> Reply:
        for _ in range(limit):
            assert self.reply is not None
            if done(self.reply):
                return self.reply
            self.step()
        raise AssertionError("the interview did not reach the expected point")

    def finish(self) -> Reply:
        return self.until(lambda r: r.question is not None and r.question.kind is QuestionKind.DONE)
