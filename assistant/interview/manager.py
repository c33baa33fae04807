"""The dialogue manager: a state machine over the interview (DESIGN §7), not a prompt.

``handle`` is a function of (state, findings, user turn, clock) plus the injected mapper and
answerer; it returns the new state and what changed, and never touches storage. The service
persists the outcome in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from assistant.errors import AssistantError
from assistant.evidence.models import EvidenceRecord
from assistant.interview.commands import (
    Command,
    ParsedCommand,
    parse_command,
    read_evidence_edits,
)
from assistant.interview.mapping import (
    CONFIDENT,
    DeterministicMapper,
    parse_checklist_text,
    parse_status,
)
from assistant.interview.ports import Answerer, AnswerMapper
from assistant.interview.profile import ProfileAnswerError, next_field, read_field
from assistant.interview.readings import undo_change
from assistant.interview.render import QuestionRenderer
from assistant.interview.scope import QuestionUnit, Scope
from assistant.interview.texts import say
from assistant.knowledge.schema import EvidenceKind, FindingStatus
from assistant.qa.layout import brief
from assistant.qa.models import Citation
from assistant.session.models import (
    MAX_INDICATOR_ID_CHARS,
    AnswerReading,
    Language,
    ProposedFinding,
    QuestionKind,
    UserTurn,
)
from assistant.session.state import (
    Actor,
    FindingChange,
    InterviewState,
    Pending,
    RecordedFinding,
    Stage,
)
from assistant.textnorm import normalize_user_text
from assistant.vocabulary import star_label, status_label

__all__ = ["MAX_LINKS_UNCONFIRMED", "DialogueManager", "Outcome"]

_HISTORY_LIMIT = 50
_QUESTION = re.compile(
    r"[？?]\s*$|^(请问|什么|怎么|如何|为什么|为何|哪些|哪个|是否需要|需不需要|标准)|"
    r"^(what|how|why|which|when|where|does|do|is|are|can|should|could|must)\b",
    re.IGNORECASE,
)
# A question typed without "？" ("服务转化三星的核心指标是哪几条"): taken as one only where the
# text does not answer the question asked (no profile value, no status read from it).
_LOOSE_QUESTION = re.compile(
    r"哪几|哪些|哪个|什么|怎么|怎样|如何|多少|几条|几项|几份|是否|能否|要不要|需不需要|[吗呢]$|"
    r"^(who|what|which|how|why|when|where)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"^(是|对|是的|对的|没错|确认|好的?|可以|ok|okay|yes|yep|correct|right|confirm)[。.!！]*$", re.I
)
_ALL = re.compile(r"^(全部|都是|全部关联|是|yes|all|link all)[。.!！]*$", re.I)
_NONE = re.compile(r"^(否|不|都不是|不关联|暂不关联|no|none|don'?t link)[。.!！]*$", re.I)
_INDICATOR_ID = re.compile(r"(?<![A-Za-z0-9])(SS|SD|ST|SO|CSI)-[1-5]-\d{2}(?!\d)", re.I)
_ANSWERABLE = (QuestionKind.INDICATOR, QuestionKind.CHECKLIST, QuestionKind.CONFIRM)
MAX_LINKS_UNCONFIRMED = 2  # linking one file to more indicators lists them and asks first


@dataclass
class Outcome:
    """What one turn did. The service turns it into a reply and persists it."""

    state: InterviewState
    findings: dict[str, RecordedFinding]
    messages: list[str] = field(default_factory=list)
    proposals: tuple[ProposedFinding, ...] = ()
    changes: list[FindingChange] = field(default_factory=list)
    citations: tuple[Citation, ...] = ()
    show_rating: bool = False
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)  # evidence id → indicators
    # evidence id → corrected metadata the applicant gave ("日期 2026-03-01", "类型 截图")
    evidence_edits: dict[str, dict[str, object]] = field(default_factory=dict)


class _Turn:
    """Mutable scratch space for one turn."""

    def __init__(
        self, state: InterviewState, findings: Mapping[str, RecordedFinding], now: datetime
    ) -> None:
        self.out = Outcome(state=state, findings=dict(findings))
        self.now = now
        self.advance = False

    @property
    def state(self) -> InterviewState:
        return self.out.state

    def update(self, **changes: object) -> None:
        self.out.state = self.out.state.model_copy(update=changes)

    @property
    def language(self) -> Language:
        return self.out.state.language

    def say(self, key: str, /, **values: object) -> None:
        self.out.messages.append(say(key, self.language, **values))


class DialogueManager:
    def __init__(
        self,
        scope: Scope,
        renderer: QuestionRenderer,
        *,
        mapper: AnswerMapper | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.scope = scope
        self.renderer = renderer
        self._mapper = mapper or DeterministicMapper(catalog=scope.catalog)
        self._answerer = answerer

    # ---------------------------------------------------------------- entry points

    def greet(
        self, state: InterviewState, findings: Mapping[str, RecordedFinding], now: datetime
    ) -> Outcome:
        turn = _Turn(state, findings, now)
        turn.say("welcome")
        self._advance(turn)
        return turn.out

    def handle(
        self,
        state: InterviewState,
        findings: Mapping[str, RecordedFinding],
        user: UserTurn,
        now: datetime,
    ) -> Outcome:
        turn = _Turn(state, findings, now)
        if user.answers is not None:
            self._structured(turn, user.answers)
        else:
            self._input(turn, normalize_user_text(user.quick_reply or user.text or ""))
        if turn.advance:
            self._advance(turn)
        return turn.out

    def uploaded(
        self, state: InterviewState, findings: Mapping[str, RecordedFinding], record: EvidenceRecord
    ) -> Outcome:
        """An upload interrupts the current question with an evidence confirmation."""
        turn = _Turn(state, findings, record.uploaded_at)
        pending = state.pending
        interrupted = pending if pending and pending.kind is not QuestionKind.EVIDENCE else None
        turn.update(
            pending=Pending(
                kind=QuestionKind.EVIDENCE,
                indicator_ids=record.suggested_ids,
                evidence_id=record.id,
            ),
            interrupted=interrupted or state.interrupted,
        )
        kind = self.renderer.kind_label(record.kind, turn.language)
        comma = "，" if turn.language == "zh" else ", "
        dated = f"{comma}{record.dated.isoformat()}" if record.dated else ""
        dated += self._valid_until(record.valid_until, turn.language)
        turn.say("evidence_received", filename=record.filename, kind=kind, dated=dated)
        if not record.suggested_ids:
            turn.say("evidence_none")
        return turn.out

    # ---------------------------------------------------------------- dispatch

    def _input(self, turn: _Turn, text: str) -> None:
        command = parse_command(text)
        if command is not None:
            self._command(turn, command)
            return
        pending = turn.state.pending
        kind = pending.kind if pending else QuestionKind.DONE
        if _is_stale(text, kind):  # a button of an earlier question, pressed late
            turn.say("stale_choice")
        elif kind is QuestionKind.PROFILE:
            self._profile(turn, text)
        elif kind is QuestionKind.INDICATOR:
            self._indicator(turn, text)
        elif kind is QuestionKind.CHECKLIST:
            self._checklist(turn, text)
        elif kind is QuestionKind.CONFIRM:
            self._confirm(turn, text)
        elif kind is QuestionKind.EVIDENCE:
            self._evidence(turn, text)
        else:
            self._ask(turn, text)

    def _command(self, turn: _Turn, parsed: ParsedCommand) -> None:
        command = parsed.command
        if command is Command.SKIP:
            self._skip(turn)
        elif command is Command.BACK:
            self._back(turn)
        elif command is Command.PROGRESS:
            self._progress(turn)
        elif command is Command.REPORT:
            turn.out.show_rating = True
        elif command is Command.HELP:
            turn.say("help")
        elif command is Command.FULL_GAP:
            turn.update(full_gap_analysis=True, stage=_reopen(turn.state.stage), revisiting=False)
            turn.say("full_gap")
            turn.advance = _is_done(turn.state.pending)
        elif command in (Command.LANG_ZH, Command.LANG_EN):
            turn.update(language="en" if command is Command.LANG_EN else "zh")
            turn.say("language")
        else:
            self._change(turn, parsed)

    # ---------------------------------------------------------------- answers

    def _profile(self, turn: _Turn, text: str) -> None:
        pending = turn.state.pending
        assert pending is not None and pending.field is not None
        if _QUESTION.search(text) and not text.startswith(("type:", "stars:")):
            self._ask(turn, text)
            return
        try:
            value = read_field(pending.field, text)
        except ProfileAnswerError as error:
            if _LOOSE_QUESTION.search(text):
                self._ask(turn, text)
            else:
                turn.say(error.key, **error.values)
            return
        skipped = turn.state.profile_skipped
        if value is None:
            skipped = (*skipped, pending.field)
        profile = turn.state.profile.updated(**{pending.field: value})
        turn.update(profile=profile, profile_skipped=skipped)
        turn.advance = True

    def _indicator(self, turn: _Turn, text: str, indicator_id: str | None = None) -> None:
        pending = turn.state.pending
        assert pending is not None
        indicator_id = indicator_id or pending.indicator_ids[0]
        status = parse_status(text)
        if status is FindingStatus.NOT_RATED:  # 不清楚: hints, and the same question again
            turn.say("unsure")
            return
        if status is not None:
            if self._record(turn, indicator_id, status, reason=None):
                turn.say("recorded", status=status_label(status, turn.language, inline=True))
                turn.advance = True
            return
        if _QUESTION.search(text) or _LOOSE_QUESTION.search(text):
            self._ask(turn, text)
            return
        self._propose(turn, text, (indicator_id,))

    def _propose(self, turn: _Turn, text: str, indicator_ids: tuple[str, ...]) -> None:
        proposals = tuple(
            self._mapper.propose(
                text,
                self.scope.by_id[i],
                language=turn.language,
                profile=turn.state.profile,
            )
            for i in indicator_ids
        )
        if all(p.status is FindingStatus.NOT_RATED for p in proposals):
            turn.out.proposals = proposals
            turn.say("unsure")
            return
        if all(self._confident(p) for p in proposals):
            self._record_proposals(turn, proposals, text)
            turn.advance = True
            return
        turn.out.proposals = proposals
        turn.update(
            pending=Pending(
                kind=QuestionKind.CONFIRM, indicator_ids=indicator_ids, proposals=proposals
            )
        )

    def _confident(self, proposal: ProposedFinding) -> bool:
        indicator = self.scope.by_id[proposal.indicator_id]
        allowed = proposal.status is not FindingStatus.NOT_APPLICABLE or indicator.na_allowed
        return (
            allowed
            and proposal.status is not FindingStatus.NOT_RATED
            and proposal.confidence >= CONFIDENT
        )

    def _record_proposals(
        self, turn: _Turn, proposals: tuple[ProposedFinding, ...], text: str
    ) -> None:
        recorded = []
        for proposal in proposals:
            if proposal.status is FindingStatus.NOT_RATED:
                recorded.append(proposal)
                continue
            reason = f"{text[:200]}（{proposal.rationale}）" if text else proposal.rationale
            if self._record(
                turn,
                proposal.indicator_id,
                proposal.status,
                reason=reason,
                operating_months=proposal.operating_months,
            ):
                recorded.append(proposal.model_copy(update={"recorded": True}))
        turn.out.proposals = tuple(recorded)
        if len(proposals) == 1 and recorded and recorded[0].recorded:
            turn.say(
                "recorded", status=status_label(proposals[0].status, turn.language, inline=True)
            )
        else:
            turn.say("recorded_many", count=sum(1 for p in recorded if p.recorded))

    def _checklist(self, turn: _Turn, text: str) -> None:
        pending = turn.state.pending
        assert pending is not None
        ids = pending.indicator_ids
        if text.startswith("all:"):
            status = parse_status(text.removeprefix("all:"))
            answers = dict.fromkeys(ids, status) if status else {}
        else:
            answers = parse_checklist_text(text, ids)
        if answers:
            self._structured(turn, answers)
        elif _QUESTION.search(text):
            self._ask(turn, text)
        else:
            self._propose(turn, text, ids)

    def _confirm(self, turn: _Turn, text: str) -> None:
        pending = turn.state.pending
        assert pending is not None
        if text.lower() == "confirm" or _YES.match(text):
            self._record_proposals(turn, pending.proposals, "")
            turn.advance = True
            return
        status = parse_status(text)
        if status is not None:
            answers = dict.fromkeys(pending.indicator_ids, status)
        else:
            answers = parse_checklist_text(text, pending.indicator_ids)
        if answers:
            self._structured(turn, answers)
            self._keep_other_proposals(turn, pending)
            return
        if len(pending.indicator_ids) == 1:
            self._indicator(turn, text, pending.indicator_ids[0])
        elif _QUESTION.search(text):
            self._ask(turn, text)
        else:
            self._propose(turn, text, pending.indicator_ids)

    def _keep_other_proposals(self, turn: _Turn, confirmed: Pending) -> None:
        """After correcting some lines of a confirm, the other lines still wait for a yes."""
        rest = tuple(p for p in confirmed.proposals if p.indicator_id not in turn.out.findings)
        if rest and len(rest) < len(confirmed.proposals):
            ids = tuple(p.indicator_id for p in rest)
            turn.out.proposals = rest
            turn.update(
                pending=Pending(kind=QuestionKind.CONFIRM, indicator_ids=ids, proposals=rest)
            )
            turn.advance = False

    def _structured(self, turn: _Turn, answers: Mapping[str, FindingStatus]) -> None:
        pending = turn.state.pending
        if pending is not None and pending.kind is QuestionKind.EVIDENCE:
            self._link(turn, pending, tuple(answers))
            return
        allowed = self._answerable(pending)
        self._report_ignored(turn, [i for i in answers if i not in allowed], "answers_ignored")
        recorded = 0
        for indicator_id, status in answers.items():
            if indicator_id in allowed:
                recorded += self._record(turn, indicator_id, status, reason=None)
        if recorded:
            turn.say("recorded_many", count=recorded)
        self._after_answers(turn)

    def _answerable(self, pending: Pending | None) -> Container[str]:
        """A question takes answers for its own indicators only; outside one, any indicator."""
        if pending is not None and pending.kind in _ANSWERABLE:
            return frozenset(pending.indicator_ids)
        return self.scope.by_id

    def _report_ignored(self, turn: _Turn, ignored: Sequence[str], many_key: str) -> None:
        """One sentence however many ids were ignored: a client may send dozens of junk ids."""
        if len(ignored) > 1:
            turn.say(many_key, count=f"{len(ignored):,}")
        elif ignored:
            only = ignored[0]
            key = "answer_not_in_question" if only in self.scope.by_id else "unknown_indicator"
            turn.say(key, id=_shown_id(only))

    def _after_answers(self, turn: _Turn) -> None:
        pending = turn.state.pending
        if pending is None or pending.kind not in _ANSWERABLE:
            turn.advance = pending is None
            return
        remaining = tuple(i for i in pending.indicator_ids if i not in turn.out.findings)
        if not remaining:
            turn.advance = True
        elif len(remaining) < len(pending.indicator_ids) and len(remaining) > 1:
            turn.say("checklist_rest")
            turn.update(pending=Pending(kind=QuestionKind.CHECKLIST, indicator_ids=remaining))
        elif len(remaining) == 1:
            turn.update(pending=Pending(kind=QuestionKind.INDICATOR, indicator_ids=remaining))

    def _record(
        self,
        turn: _Turn,
        indicator_id: str,
        status: FindingStatus,
        *,
        reason: str | None,
        operating_months: int | None = None,
    ) -> bool:
        indicator = self.scope.by_id[indicator_id]
        if status is FindingStatus.NOT_APPLICABLE and not indicator.na_allowed:
            turn.say("not_applicable_refused", id=indicator_id)
            return False
        previous = turn.out.findings.get(indicator_id)
        if previous is not None and previous.assessor_confirmed and previous.status is status:
            return True  # the assessor already confirmed exactly this; keep their record
        turn.out.findings[indicator_id] = RecordedFinding(
            indicator_id=indicator_id,
            status=status,
            reason=reason,
            actor=Actor.APPLICANT,
            operating_months=operating_months,
            updated_at=turn.now,
        )
        turn.update(
            skipped=tuple(i for i in turn.state.skipped if i != indicator_id),
            left_open=tuple(i for i in turn.state.left_open if i != indicator_id),
        )
        if previous is None or previous.status is not status:
            turn.out.changes.append(
                FindingChange(
                    indicator_id=indicator_id,
                    previous=previous.status if previous else None,
                    status=status,
                    actor=Actor.APPLICANT,
                    reason=reason,
                    at=turn.now,
                )
            )
        return True

    # ---------------------------------------------------------------- evidence

    @staticmethod
    def _valid_until(until: object, language: str) -> str:
        if not isinstance(until, date):
            return ""
        return f"，有效期至 {until.isoformat()}" if language == "zh" else f", valid until {until}"

    def _evidence(self, turn: _Turn, text: str) -> None:
        pending = turn.state.pending
        assert pending is not None and pending.evidence_id is not None
        edits = read_evidence_edits(text)
        if edits:
            turn.out.evidence_edits[pending.evidence_id] = edits
            kind = edits.get("kind")
            dated = edits.get("dated")
            until = edits.get("valid_until")
            turn.say(
                "evidence_edited",
                kind=self.renderer.kind_label(kind, turn.language)
                if isinstance(kind, EvidenceKind)
                else "—",
                dated=dated.isoformat() if isinstance(dated, date) else "—",
                valid_until=self._valid_until(until, turn.language),
            )
            return
        lowered = text.lower()
        confirming = pending.confirm_links and (
            lowered == "link:confirm" or bool(_YES.match(text) or _ALL.match(text))
        )
        if confirming or lowered == "link:all" or _ALL.match(text):
            chosen = pending.indicator_ids
        elif lowered == "link:none" or _NONE.match(text):
            chosen = ()
        elif lowered.startswith("link:"):
            chosen = tuple(dict.fromkeys(i.strip().upper() for i in text[5:].split(",")))
        else:
            chosen = tuple(dict.fromkeys(m.group().upper() for m in _INDICATOR_ID.finditer(text)))
            if not chosen:
                self._ask(turn, text) if _QUESTION.search(text) else turn.say("evidence_none")
                return
        self._link(turn, pending, chosen, confirmed=confirming)

    def _link(
        self, turn: _Turn, pending: Pending, chosen: tuple[str, ...], *, confirmed: bool = False
    ) -> None:
        unknown = [i for i in chosen if i not in self.scope.by_id]
        self._report_ignored(turn, unknown, "unknown_indicators")
        valid = tuple(i for i in chosen if i in self.scope.by_id)
        assert pending.evidence_id is not None
        if len(valid) > MAX_LINKS_UNCONFIRMED and not confirmed:
            self._confirm_links(turn, pending, valid)
            return
        turn.out.links[pending.evidence_id] = valid
        if valid:
            turn.say("evidence_linked", ids="、".join(valid))
        else:
            turn.say("evidence_unlinked")
        resumed = turn.state.interrupted
        turn.update(pending=resumed, interrupted=None)
        turn.advance = resumed is None

    def _confirm_links(self, turn: _Turn, pending: Pending, ids: tuple[str, ...]) -> None:
        """One file, many indicators: list them and wait for a yes before linking."""
        lines = "\n".join(f"- {i} {self._title(i, turn.language)}" for i in ids)
        turn.say("evidence_confirm_links", limit=MAX_LINKS_UNCONFIRMED, count=len(ids), lines=lines)
        turn.update(
            pending=Pending(
                kind=QuestionKind.EVIDENCE,
                indicator_ids=ids,
                evidence_id=pending.evidence_id,
                confirm_links=True,
            )
        )

    # ---------------------------------------------------------------- commands

    def _skip(self, turn: _Turn) -> None:
        pending = turn.state.pending
        if pending is None or pending.kind is QuestionKind.DONE:
            return
        if pending.kind is QuestionKind.PROFILE and pending.field:
            turn.update(profile_skipped=(*turn.state.profile_skipped, pending.field))
        elif pending.kind is QuestionKind.EVIDENCE:
            self._link(turn, pending, ())
            return
        elif turn.state.revisiting:
            turn.update(left_open=(*turn.state.left_open, *pending.indicator_ids))
            turn.say("left_open")
        else:
            turn.update(skipped=(*turn.state.skipped, *pending.indicator_ids))
            turn.say("skipped")
        turn.advance = True

    def _back(self, turn: _Turn) -> None:
        history = turn.state.history
        if not history:
            turn.say("back_none")
            return
        turn.update(pending=history[-1], history=history[:-1], stage=_stage_of(history[-1]))
        turn.say("back")

    def _progress(self, turn: _Turn) -> None:
        progress = self.scope.progress(turn.state, turn.out.findings)
        turn.say("progress", answered=progress.answered, total=progress.total)
        names = {a.code: a.name for a in self.scope.catalog.areas}
        english = turn.language == "en"
        lines = [
            f"- {names[area].en}: {item.answered} / {item.total}"
            if english
            else f"- {names[area].zh}：{item.answered} / {item.total}"
            for area, item in progress.by_area.items()
        ]
        turn.out.messages.append("\n".join(lines))

    def _change(self, turn: _Turn, parsed: ParsedCommand) -> None:
        indicator_id = parsed.indicator_id or ""
        if indicator_id not in self.scope.by_id:
            turn.say("unknown_indicator", id=indicator_id)
            return
        status = parse_status(parsed.argument or "")
        if status is None:
            turn.say("unsure")
            return
        if self._record(turn, indicator_id, status, reason=None):
            turn.say(
                "changed",
                id=indicator_id,
                title=self._title(indicator_id, turn.language),
                status=status_label(status, turn.language, inline=True),
            )
            self._after_answers(turn)

    def _title(self, indicator_id: str, language: Language) -> str:
        title = self.scope.by_id[indicator_id].title
        return title.en if language == "en" else title.zh

    # ---------------------------------------------------------------- undo

    def undo(
        self,
        state: InterviewState,
        findings: Mapping[str, RecordedFinding],
        reading: AnswerReading,
        now: datetime,
    ) -> Outcome:
        """Revert the finding ``reading`` recorded to what it was before, and ask it again."""
        turn = _Turn(state, findings, now)
        restored, change = undo_change(reading, now)
        ident = reading.indicator_id
        if restored is None:
            turn.out.findings.pop(ident, None)
        else:
            turn.out.findings[ident] = restored
        turn.out.changes.append(change)
        language = turn.language
        turn.say(
            "undone",
            id=ident,
            title=self._title(ident, language),
            status=status_label(reading.status, language, inline=True),
            previous=status_label(
                reading.previous or FindingStatus.NOT_RATED, language, inline=True
            ),
        )
        pending = turn.state.pending
        if pending is None or pending.kind in (QuestionKind.INDICATOR, QuestionKind.CHECKLIST):
            self._move(turn, Pending(kind=QuestionKind.INDICATOR, indicator_ids=(ident,)))
        elif pending.kind is QuestionKind.DONE:
            turn.update(stage=Stage.INDICATORS)
            self._move(turn, Pending(kind=QuestionKind.INDICATOR, indicator_ids=(ident,)))
        return turn.out

    def _ask(self, turn: _Turn, text: str) -> None:
        if self._answerer is None:
            turn.say("no_answerer")
            return
        try:
            answer = self._answerer.ask(text)
        except AssistantError as error:
            turn.out.messages.append(error.message(turn.language))
            return
        # The answer comes first and without its quotes: a chat shows each quote in its
        # citation chip, placed between the answer and the rule ("---") before the question.
        turn.out.messages.append(brief(answer))
        turn.out.citations = answer.citations
        if not _is_done(turn.state.pending):
            turn.out.messages.append("---\n" + say("resume", turn.language))

    # ---------------------------------------------------------------- moving on

    def _advance(self, turn: _Turn) -> None:
        if turn.state.stage is Stage.PROFILE:
            field_name = next_field(turn.state.profile, turn.state.profile_skipped)
            if field_name is not None:
                self._move(turn, Pending(kind=QuestionKind.PROFILE, field=field_name))
                return
            turn.update(stage=Stage.INDICATORS)
            self._announce_plan(turn)
        if turn.state.stage is Stage.INDICATORS:
            unit = self._next_unit(turn)
            if unit is not None:
                kind = unit.kind
                self._move(turn, Pending(kind=kind, indicator_ids=unit.indicator_ids))
                return
            turn.update(stage=Stage.DONE)
            turn.say("done")
        if not _is_done(turn.state.pending):
            self._move(turn, Pending(kind=QuestionKind.DONE))
        turn.out.show_rating = True

    def _next_unit(self, turn: _Turn) -> QuestionUnit | None:
        unit = self.scope.next_unit(turn.state, turn.out.findings)
        if unit is None and turn.state.skipped and not turn.state.revisiting:
            turn.update(revisiting=True)
            unit = self.scope.next_unit(turn.state, turn.out.findings)
            if unit is not None:
                turn.say("revisit", count=len(turn.state.skipped))
        return unit

    def _announce_plan(self, turn: _Turn) -> None:
        top = self.scope.top_level(turn.state.profile, turn.state.full_gap_analysis)
        total = len(self.scope.in_scope(turn.state, turn.out.findings))
        star = star_label(top, turn.language, inline=True)
        turn.say("plan_one" if top == 1 else "plan", top=star, total=total)

    def _move(self, turn: _Turn, pending: Pending) -> None:
        previous = turn.state.pending
        history = turn.state.history
        if previous is not None and previous.kind in (
            QuestionKind.PROFILE,
            QuestionKind.INDICATOR,
            QuestionKind.CHECKLIST,
        ):
            history = (*history, previous)[-_HISTORY_LIMIT:]
        turn.update(pending=pending, history=history)


_BUTTON_KINDS = {
    "link:": QuestionKind.EVIDENCE,
    "type:": QuestionKind.PROFILE,
    "stars:": QuestionKind.PROFILE,
    "all:": QuestionKind.CHECKLIST,
}


def _is_stale(text: str, kind: QuestionKind) -> bool:
    lowered = text.lower()
    if lowered == "confirm":
        return kind is not QuestionKind.CONFIRM
    return any(lowered.startswith(p) and kind is not k for p, k in _BUTTON_KINDS.items())


def _shown_id(indicator_id: str) -> str:
    """An id as echoed back: a typed ``link:`` may carry thousands of characters."""
    if len(indicator_id) <= MAX_INDICATOR_ID_CHARS:
        return indicator_id
    return indicator_id[:MAX_INDICATOR_ID_CHARS] + "…"


def _is_done(pending: Pending | None) -> bool:
    return pending is None or pending.kind is QuestionKind.DONE


def _reopen(stage: Stage) -> Stage:
    return Stage.INDICATORS if stage is Stage.DONE else stage


def _stage_of(pending: Pending) -> Stage:
    return Stage.PROFILE if pending.kind is QuestionKind.PROFILE else Stage.INDICATORS
