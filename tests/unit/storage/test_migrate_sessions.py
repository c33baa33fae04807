"""Sessions recorded under catalog 2024.1, carried onto 2.0 on every backend (memory, SQLite,
PostgreSQL): both ratings kept, every finding accounted for, the interview goes on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from assistant.evidence.models import EvidenceRecord
from assistant.interview.migration import ACTOR_NAME, migrate_session, migrate_sessions
from assistant.interview.service import InterviewService
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.migration import CatalogMigration, find_migration
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.rating import Finding, rate
from assistant.rating.models import RatingResult
from assistant.session.models import Profile, UserTurn
from assistant.session.state import Actor, FindingChange, RecordedFinding
from assistant.storage import InMemorySessionStore
from assistant.storage.base import SessionRecord, SessionStore, TurnRecord
from assistant.storage.sql import SqlSessionStore
from assistant.storage.tables import ratings
from tests.unit.storage.conftest import Store
from tests.utils.old_catalog import old_catalog, old_rules

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=30)
RULES_DIR = default_knowledge_dir() / "rules"

# What the applicant answered under 2024.1 (ids of the old catalog).
ANSWERS = {
    "SS-1-01": FindingStatus.MET,  # kept: same id, same meaning
    "SS-1-06": FindingStatus.MET,  # merged into CSI-1-02 …
    "CSI-1-02": FindingStatus.PARTLY_MET,  # … which was partly met: the lower is kept
    "SD-2-05": FindingStatus.LARGELY_MET,  # split into SO-2-01 and SO-2-02
    "SO-1-01": FindingStatus.NOT_MET,
}
RETIRED = "SO-5-04"  # AI features: retired in 2.0; an assessor had rated it


@pytest.fixture(scope="module")
def new() -> tuple[Catalog, RuleSet, CatalogMigration]:
    return load_catalog(RULES_DIR), load_rules(RULES_DIR), find_migration(RULES_DIR, "2.0")


def clock(at: datetime) -> Iterator[datetime]:
    while True:
        yield at
        at += timedelta(seconds=1)


def answer_as_2024_1_did(store: SessionStore, session_id: str, now: datetime) -> SessionRecord:
    """The applicant's ANSWERS in one turn. The 2024.1 service took answers to any indicator
    at any question; today's takes only the question's own, so the turn is written as it was."""
    record = store.get(session_id)
    findings = {
        i: RecordedFinding(indicator_id=i, status=s, updated_at=now) for i, s in ANSWERS.items()
    }
    changes = [
        FindingChange(indicator_id=i, previous=None, status=s, actor=Actor.APPLICANT, at=now)
        for i, s in ANSWERS.items()
    ]
    rated = [Finding(indicator_id=i, status=s) for i, s in ANSWERS.items()]
    turn = TurnRecord(
        session_id=session_id,
        index=record.version + 1,
        at=now,
        user=UserTurn(answers=dict(ANSWERS)),
        reply=store.last_turn(session_id).reply,
    )
    stored = record.model_copy(update={"findings": findings, "updated_at": now})
    rating = rate(old_catalog(), old_rules(), rated, now.date())
    return store.commit_turn(stored, turn, changes=changes, rating=rating)


def record_old_session(store: SessionStore) -> str:
    """A session as the 2024.1 service stored it: answers, an assessor's finding, a file."""
    ticks = clock(T0)
    service = InterviewService(old_catalog(), old_rules(), store, clock=lambda: next(ticks))
    profile = Profile(
        name="示例中小企业服务中心",
        institution_type="public_service",
        service_fields="融资对接",
        smes_served_per_year=300,
        target_stars=3,
    )
    session_id = service.start(profile=profile).session_id
    record = answer_as_2024_1_did(store, session_id, next(ticks))
    upload = EvidenceRecord(
        id="ev-1",
        session_id=session_id,
        sha256="0" * 64,
        filename="产品说明.pdf",
        media_type="application/pdf",
        size=10,
        kind="policy",
        indicator_ids=("SD-2-05", RETIRED),
        suggested_ids=("SS-1-06",),
        uploaded_at=next(ticks),
    )
    turn = TurnRecord(
        session_id=session_id,
        index=record.version + 1,
        at=next(ticks),
        user=None,
        upload_evidence_id="ev-1",
        reply=store.last_turn(session_id).reply,
    )
    store.commit_turn(record, turn, evidence=[upload])
    service.override(
        session_id, RETIRED, FindingStatus.PARTLY_MET, reason="现场查看", assessor="评估员甲"
    )
    return session_id


def stored_ratings(store: Store, session_id: str) -> list[tuple[str, int, int]]:
    if isinstance(store, InMemorySessionStore):
        found: list[RatingResult] = store._entry(session_id).ratings  # noqa: SLF001
        return [(r.versions.catalog_version, r.declared.stars, r.evidenced.stars) for r in found]
    assert isinstance(store, SqlSessionStore)
    query = (
        sa.select(ratings.c.catalog_version, ratings.c.declared_stars, ratings.c.evidenced_stars)
        .where(ratings.c.session_id == session_id)
        .order_by(ratings.c.seq)
    )
    with store._engine.connect() as conn:  # noqa: SLF001
        return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]


def test_a_session_recorded_under_the_old_catalog_is_carried_over(
    store: Store, new: tuple[Catalog, RuleSet, CatalogMigration]
) -> None:
    catalog, rules, migration = new
    session_id = record_old_session(store)
    before = store.get(session_id)
    old_rating = store.latest_rating(session_id)
    assert old_rating is not None and old_rating.versions.catalog_version == "2024.1"
    assert set(before.findings) == {*ANSWERS, RETIRED}

    dry = migrate_sessions(store, migration, catalog, rules, now=LATER, dry_run=True)
    assert [(r.session_id, r.outcome) for r in dry] == [(session_id, "migrated")]
    assert store.get(session_id) == before  # a dry run writes nothing

    [result] = migrate_sessions(store, migration, catalog, rules, now=LATER)
    after = store.get(session_id)

    # Both ratings: the old row stays, the new one is the latest and names catalog 2.0.
    kept = stored_ratings(store, session_id)
    assert [version for version, _, _ in kept][-2:] == ["2024.1", "2.0"]
    latest = store.latest_rating(session_id)
    assert latest is not None
    assert (latest.versions.catalog_version, latest.versions.rules_version) == ("2.0", "2.0")
    [entry] = after.state.migrations
    assert (entry.from_version, entry.to_version, entry.at) == ("2024.1", "2.0", LATER)
    assert (entry.old_declared_stars, entry.old_evidenced_stars) == (
        old_rating.declared.stars,
        old_rating.evidenced.stars,
    )
    assert entry.old_rules_version == "2024.1"

    # Every finding accounted for: carried onto its new id(s), or kept as retired.
    for old_id, finding in before.findings.items():
        targets = migration.targets(old_id)
        if not targets:
            assert finding in entry.retired
        for target in targets:
            assert target in after.findings, (old_id, target)
    assert after.findings["SS-1-01"] == before.findings["SS-1-01"]
    assert after.findings["CSI-1-02"].status is FindingStatus.PARTLY_MET
    assert "SS-1-06" not in after.findings
    assert after.findings["SO-2-01"].status is FindingStatus.LARGELY_MET
    assert after.findings["SO-2-02"].status is FindingStatus.LARGELY_MET
    assert RETIRED not in after.findings
    assert [(f.indicator_id, f.status) for f in entry.retired] == [
        (RETIRED, FindingStatus.PARTLY_MET)
    ]
    assert result.merged and "CSI-1-02" in result.merged and result.retired == (RETIRED,)

    # The audit trail says what moved, what merged (the lower kept) and what retired.
    trail = {(c.indicator_id, c.actor_name): c for c in store.history(session_id)}
    merged = trail[("CSI-1-02", ACTOR_NAME)]
    assert merged.previous is FindingStatus.PARTLY_MET
    assert merged.status is FindingStatus.PARTLY_MET
    assert merged.reason and "SS-1-06" in merged.reason and "较低" in merged.reason
    assert merged.reason and "lowest" in merged.reason
    split = trail[("SO-2-01", ACTOR_NAME)]
    assert split.reason and "SD-2-05" in split.reason and split.previous is None
    retired = trail[(RETIRED, ACTOR_NAME)]
    assert (retired.previous, retired.status) == (FindingStatus.PARTLY_MET, FindingStatus.NOT_RATED)
    assert retired.reason and "retired" in retired.reason
    assert ("SS-1-01", ACTOR_NAME) not in trail  # an unchanged finding needs no line

    # The evidence follows its indicators; the question on screen is a 2.0 question.
    [upload] = store.evidence(session_id)
    assert upload.indicator_ids == ("SO-2-01", "SO-2-02")
    assert upload.suggested_ids == ("CSI-1-02",)
    new_ids = {i.id for i in catalog.indicators}
    pending = after.state.pending
    assert pending is not None and set(pending.indicator_ids) <= new_ids
    reply = store.last_turn(session_id).reply
    assert "2024.1" in reply.text and "2.0" in reply.text and reply.rating == latest

    # The interview goes on under the new catalog.
    service = InterviewService(catalog, rules, store, clock=lambda: LATER + timedelta(hours=1))
    assert service.view(session_id).findings == after.findings
    service.send(session_id, UserTurn(text="进度"))
    assert service.rating(session_id).versions.catalog_version == "2.0"

    # Running it again changes nothing.
    again = migrate_session(store, session_id, migration, catalog, rules, now=LATER)
    assert again.outcome == "already"
