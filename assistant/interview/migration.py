"""Carry stored sessions onto a new catalog (``smecmm sessions migrate --to 2.0``).

For each session recorded under the migration's ``from_version`` (its latest rating names that
catalog version; a session without a rating qualifies when every indicator id it mentions is
an old id), one system turn is committed through the ordinary storage port:

* findings follow the mapping: one old id → several new ids copies the finding to each; several
  old ids → one new id keeps the LOWEST status (met > largely met > partly met > not met; not
  rated only when nothing was rated; not applicable only when nothing was scored), and the
  audit line says which findings were merged and which status was kept;
* a finding on a retired indicator is kept, as it was, in the session's ``MigrationRecord``
  (``state.migrations``) and an audit line (actor ``system``, name ``migration``) says so; a
  carried "not applicable" that the new indicator no longer allows is reopened the same way;
* evidence links, the question on screen, the skipped and left-open lists follow the mapping;
* the session is re-rated with the new catalog and rules: the new rating row is stored beside
  the old one (the ratings table keeps both, each naming its catalog and rules versions and
  hashes), and the migration record names the old versions and stars;
* the new turn's reply repeats the question on screen, with the old reply's citations
  re-numbered through the mapping (``resolve_clause``).

A session already migrated to the target version is left alone, so the command can be re-run.
Nothing is written in a dry run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assistant.assessment.lock import is_locked
from assistant.errors import KnowledgeError
from assistant.evidence.models import EvidenceRecord
from assistant.interview.rated import rate_session
from assistant.interview.render import QuestionRenderer
from assistant.interview.scope import Scope
from assistant.knowledge.migration import CatalogMigration, resolve_clause
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating.models import RatingResult
from assistant.session.models import Language, QuestionKind, Reply
from assistant.session.state import (
    Actor,
    FindingChange,
    InterviewState,
    MigrationRecord,
    Pending,
    RecordedFinding,
)
from assistant.storage.base import SessionRecord, SessionStore, TurnRecord
from assistant.verdict import present
from assistant.vocabulary import STARS, status_label

__all__ = ["ACTOR_NAME", "SessionMigration", "migrate_session", "migrate_sessions"]

ACTOR_NAME = "migration"
_RANK = {
    FindingStatus.NOT_MET: 0,
    FindingStatus.PARTLY_MET: 1,
    FindingStatus.LARGELY_MET: 2,
    FindingStatus.MET: 3,
}
_INDICATOR_KINDS = (QuestionKind.INDICATOR, QuestionKind.CHECKLIST, QuestionKind.CONFIRM)


@dataclass(frozen=True)
class SessionMigration:
    """What happened (or would happen, in a dry run) to one session."""

    session_id: str
    outcome: str  # "migrated", "already", "skipped"
    note: str = ""
    carried: int = 0  # findings now held under new ids
    merged: tuple[str, ...] = ()  # new ids that took several old findings (lowest kept)
    retired: tuple[str, ...] = ()  # old ids whose findings are kept in the migration record
    reopened: tuple[str, ...] = ()
    old_stars: tuple[int, int] | None = None  # declared, evidenced
    new_stars: tuple[int, int] | None = None
    changes: tuple[FindingChange, ...] = field(default=(), repr=False)


def _status_text(status: FindingStatus, language: Language) -> str:
    return status_label(status, language, inline=True)


def _lowest(findings: Sequence[RecordedFinding]) -> RecordedFinding:
    scored = [f for f in findings if f.status in _RANK]
    if scored:
        return min(scored, key=lambda f: _RANK[f.status])  # the first of equals: file order
    applicable = [f for f in findings if f.status is FindingStatus.NOT_APPLICABLE]
    return applicable[0] if applicable else findings[0]


def _ids_of(record: SessionRecord, evidence: Sequence[EvidenceRecord]) -> set[str]:
    state = record.state
    ids = set(record.findings) | set(state.skipped) | set(state.left_open)
    for pending in (state.pending, state.interrupted, *state.history):
        if pending is not None:
            ids |= set(pending.indicator_ids)
    for item in evidence:
        ids |= set(item.indicator_ids) | set(item.suggested_ids)
    return ids


def _map_ids(ids: Iterable[str], migration: CatalogMigration) -> tuple[str, ...]:
    mapped: list[str] = []
    for ident in ids:
        mapped.extend(migration.indicators.get(ident, (ident,)))
    return tuple(dict.fromkeys(mapped))


def _map_pending(pending: Pending | None, migration: CatalogMigration) -> Pending | None:
    if pending is None or not pending.indicator_ids:
        return pending
    mapped = _map_ids(pending.indicator_ids, migration)
    if mapped == pending.indicator_ids:
        return pending
    if pending.kind in _INDICATOR_KINDS:
        if not mapped:
            return None
        kind = QuestionKind.INDICATOR if len(mapped) == 1 else QuestionKind.CHECKLIST
        return Pending(kind=kind, indicator_ids=mapped)
    return pending.model_copy(update={"indicator_ids": mapped})


def _map_state(state: InterviewState, migration: CatalogMigration) -> InterviewState:
    history = tuple(p for p in (_map_pending(h, migration) for h in state.history) if p is not None)
    return state.model_copy(
        update={
            "pending": _map_pending(state.pending, migration),
            "interrupted": _map_pending(state.interrupted, migration),
            "history": history,
            "skipped": _map_ids(state.skipped, migration),
            "left_open": _map_ids(state.left_open, migration),
        }
    )


@dataclass
class _Carry:
    findings: dict[str, RecordedFinding] = field(default_factory=dict)
    changes: list[FindingChange] = field(default_factory=list)
    retired: list[RecordedFinding] = field(default_factory=list)
    reopened: list[RecordedFinding] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)


def _carry_findings(
    record: SessionRecord,
    migration: CatalogMigration,
    catalog: Catalog,
    now: datetime,
) -> _Carry:
    versions = f"{migration.from_version}→{migration.to_version}"
    carry = _Carry()
    by_id = {i.id: i for i in catalog.indicators}
    groups: dict[str, list[RecordedFinding]] = {}
    for old_id, finding in record.findings.items():
        for new_id in migration.targets(old_id):
            groups.setdefault(new_id, []).append(finding)
        if not migration.targets(old_id):
            carry.retired.append(finding)
            label = _status_text(finding.status, "zh")
            carry.changes.append(
                FindingChange(
                    indicator_id=old_id,
                    previous=finding.status,
                    status=FindingStatus.NOT_RATED,
                    actor=Actor.SYSTEM,
                    actor_name=ACTOR_NAME,
                    reason=f"目录 {versions}：指标 {old_id} 已撤销，原结论（{label}）"
                    f"保留在迁移记录中 / retired in catalog {migration.to_version}; the finding "
                    f"({_status_text(finding.status, 'en')}) is kept in the migration record",
                    at=now,
                )
            )
    for new_id, sources in groups.items():
        kept = _lowest(sources)
        origin = ", ".join(f.indicator_id for f in sources)
        moved = len(sources) > 1 or sources[0].indicator_id != new_id
        carried = kept.model_copy(
            update={
                "indicator_id": new_id,
                "assessor_confirmed": all(f.assessor_confirmed for f in sources),
                "updated_at": max(f.updated_at for f in sources) if moved else kept.updated_at,
            }
        )
        previous = record.findings.get(new_id)
        if carried.status is FindingStatus.NOT_APPLICABLE and not by_id[new_id].na_allowed:
            carry.reopened.append(carried)
            carry.changes.append(
                FindingChange(
                    indicator_id=new_id,
                    previous=previous.status if previous else None,
                    status=FindingStatus.NOT_RATED,
                    actor=Actor.SYSTEM,
                    actor_name=ACTOR_NAME,
                    reason=f"目录 {versions}：{new_id} 不再允许“不适用”（来自 {origin}），"
                    f"需重新回答 / {new_id} no longer allows not applicable (from {origin}); to be "
                    "answered again",
                    at=now,
                )
            )
            continue
        carry.findings[new_id] = carried
        if len(sources) > 1:
            carry.merged.append(new_id)
            parts_zh = "、".join(
                f"{f.indicator_id}（{_status_text(f.status, 'zh')}）" for f in sources
            )
            parts_en = ", ".join(
                f"{f.indicator_id} ({_status_text(f.status, 'en')})" for f in sources
            )
            reason = (
                f"目录 {versions}：由 {parts_zh} 合并，取其中较低者"
                f"“{_status_text(carried.status, 'zh')}” / merged from {parts_en}; the lowest, "
                f"{_status_text(carried.status, 'en')}, is kept"
            )
        elif moved:
            reason = (
                f"目录 {versions}：由 {origin} 转入 / carried over from {origin} "
                f"in catalog {migration.to_version}"
            )
        else:
            continue  # the same id, the same meaning: nothing changes
        carry.changes.append(
            FindingChange(
                indicator_id=new_id,
                previous=previous.status if previous else None,
                status=carried.status,
                actor=Actor.SYSTEM,
                actor_name=ACTOR_NAME,
                reason=reason,
                at=now,
            )
        )
    return carry


def _map_evidence(
    evidence: Sequence[EvidenceRecord], migration: CatalogMigration
) -> list[EvidenceRecord]:
    changed = []
    for item in evidence:
        links = _map_ids(item.indicator_ids, migration)
        suggested = _map_ids(item.suggested_ids, migration)
        if links != item.indicator_ids or suggested != item.suggested_ids:
            changed.append(
                item.model_copy(update={"indicator_ids": links, "suggested_ids": suggested})
            )
    return changed


def _notice(
    language: Language,
    migration: CatalogMigration,
    carry: _Carry,
    old: RatingResult | None,
    new: RatingResult,
) -> str:
    stars = {n: label.pick(language, inline=True) for n, label in STARS.items()}
    if language == "en":
        lines = [
            f"The indicator catalog was updated from {migration.from_version} to "
            f"{migration.to_version}; your answers were carried over."
        ]
        if old is not None:
            lines.append(
                f"Rating under {migration.from_version}: declared {stars[old.declared.stars]}, "
                f"evidenced {stars[old.evidenced.stars]}."
            )
        lines.append(
            f"Rating under {migration.to_version}: declared {stars[new.declared.stars]}, "
            f"evidenced {stars[new.evidenced.stars]}."
        )
        if carry.merged:
            lines.append(
                "Merged indicators keep the lowest of their findings: " + ", ".join(carry.merged)
            )
        if carry.retired:
            retired = ", ".join(f.indicator_id for f in carry.retired)
            lines.append(f"Retired indicators (findings kept on record): {retired}")
        if carry.reopened:
            lines.append("To answer again: " + ", ".join(f.indicator_id for f in carry.reopened))
        return "\n\n".join(lines)
    lines = [
        f"评估指标目录已由 {migration.from_version} 版更新为 {migration.to_version} 版，"
        "您此前的回答已转入新目录。"
    ]
    if old is not None:
        lines.append(
            f"{migration.from_version} 版下的评级：申报口径{stars[old.declared.stars]}，"
            f"证据口径{stars[old.evidenced.stars]}。"
        )
    lines.append(
        f"{migration.to_version} 版下的评级：申报口径{stars[new.declared.stars]}，"
        f"证据口径{stars[new.evidenced.stars]}。"
    )
    if carry.merged:
        lines.append("以下指标由多条合并，取其中较低的结论：" + "、".join(carry.merged))
    if carry.retired:
        retired = "、".join(f.indicator_id for f in carry.retired)
        lines.append(f"以下指标已撤销，原结论保留在记录中：{retired}")
    if carry.reopened:
        lines.append("以下指标需要重新回答：" + "、".join(f.indicator_id for f in carry.reopened))
    return "\n\n".join(lines)


def _old_enough(
    record: SessionRecord,
    old: RatingResult | None,
    evidence: Sequence[EvidenceRecord],
    migration: CatalogMigration,
) -> str | None:
    """Why this session is not one to migrate (``None`` when it is)."""
    if any(m.to_version == migration.to_version for m in record.state.migrations):
        return "already"
    if old is not None:
        version = old.versions.catalog_version
        if version != migration.from_version:
            return f"recorded under catalog {version!r}"
        unknown = sorted(set(record.findings) - migration.indicators.keys())
        if unknown:
            raise KnowledgeError(
                f"会话 {record.id!r} 的指标 {unknown} 不在迁移文件中",
                en=f"session {record.id!r}: indicators {unknown} are not in the migration file",
            )
        return None
    if _ids_of(record, evidence) - migration.indicators.keys():
        return "mentions ids of another catalog"
    return None


def migrate_session(
    store: SessionStore,
    session_id: str,
    migration: CatalogMigration,
    catalog: Catalog,
    rules: RuleSet,
    *,
    now: datetime,
    dry_run: bool = False,
) -> SessionMigration:
    record = store.get(session_id)
    if is_locked(store, session_id):  # a signed-off session changes only once reopened
        return SessionMigration(session_id, "skipped", note="signed off and locked")
    old = store.latest_rating(session_id)
    evidence = store.evidence(session_id)
    why_not = _old_enough(record, old, evidence, migration)
    if why_not is not None:
        outcome = "already" if why_not == "already" else "skipped"
        return SessionMigration(session_id, outcome, note=why_not)
    carry = _carry_findings(record, migration, catalog, now)
    changed_evidence = _map_evidence(evidence, migration)
    current = {e.id: e for e in evidence} | {e.id: e for e in changed_evidence}
    new = rate_session(catalog, rules, carry.findings, tuple(current.values()), now.date())
    entry = MigrationRecord(
        from_version=migration.from_version,
        to_version=migration.to_version,
        at=now,
        old_catalog_hash=old.versions.catalog_hash if old else None,
        old_rules_version=old.versions.rules_version if old else None,
        old_declared_stars=old.declared.stars if old else None,
        old_evidenced_stars=old.evidenced.stars if old else None,
        retired=tuple(carry.retired),
        reopened=tuple(carry.reopened),
    )
    state = _map_state(record.state, migration)
    state = state.model_copy(update={"migrations": (*state.migrations, entry)})
    result = SessionMigration(
        session_id,
        "migrated",
        carried=len(carry.findings),
        merged=tuple(carry.merged),
        retired=tuple(f.indicator_id for f in carry.retired),
        reopened=tuple(f.indicator_id for f in carry.reopened),
        old_stars=(old.declared.stars, old.evidenced.stars) if old else None,
        new_stars=(new.declared.stars, new.evidenced.stars),
        changes=tuple(carry.changes),
    )
    if dry_run:
        return result
    reply = _reply(record, state, carry, migration, catalog, rules, old, new, store)
    stored = record.model_copy(
        update={"state": state, "findings": carry.findings, "updated_at": now}
    )
    turn = TurnRecord(
        session_id=session_id, index=record.version + 1, at=now, user=None, reply=reply
    )
    store.commit_turn(stored, turn, changes=carry.changes, evidence=changed_evidence, rating=new)
    return result


def _reply(
    record: SessionRecord,
    state: InterviewState,
    carry: _Carry,
    migration: CatalogMigration,
    catalog: Catalog,
    rules: RuleSet,
    old: RatingResult | None,
    new: RatingResult,
    store: SessionStore,
) -> Reply:
    language = state.language
    renderer = QuestionRenderer(catalog, None)
    scope = Scope(catalog, rules)
    parts = [_notice(language, migration, carry, old, new)]
    pending = state.pending
    if pending is not None and pending.kind is not QuestionKind.DONE:
        text = renderer.text(pending, language, state.profile, carry.findings)
        if text:
            parts.append(text)
    previous = store.last_turn(record.id).reply
    citations = tuple(
        c.model_copy(update={"clause": resolve_clause(c.clause, migration)})
        for c in previous.citations
    )
    return Reply(
        session_id=record.id,
        language=language,
        text="\n\n".join(parts),
        question=renderer.question(pending, language) if pending else None,
        progress=scope.progress(state, carry.findings),
        rating=new,
        verdict=present(
            new,
            catalog,
            language,
            scope=scope.in_scope(state, carry.findings),
            pending=scope.still_open(state, carry.findings),
        ),
        citations=citations,
    )


def migrate_sessions(
    store: SessionStore,
    migration: CatalogMigration,
    catalog: Catalog,
    rules: RuleSet,
    *,
    now: datetime,
    dry_run: bool = False,
    page: int = 200,
) -> list[SessionMigration]:
    """Every stored session, oldest-updated last; ids are collected before anything changes."""
    ids: list[str] = []
    while True:
        batch = store.list_sessions(limit=page, offset=len(ids))
        ids.extend(summary.id for summary in batch)
        if len(batch) < page:
            break
    return [
        migrate_session(store, ident, migration, catalog, rules, now=now, dry_run=dry_run)
        for ident in ids
    ]
