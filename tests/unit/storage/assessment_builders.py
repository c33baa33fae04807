"""Builders of the assessor's records over stored sessions: an assessed session (profile,
findings, evidence, a rating), its sign-off with a real snapshot, checks and notes."""

from __future__ import annotations

from datetime import datetime

from assistant.assessment.models import (
    AssessorNote,
    EvidenceCheck,
    SignedSnapshot,
    SignOff,
    snapshot_sha256,
)
from assistant.knowledge.schema import FindingStatus, InstitutionType
from assistant.session.models import Profile
from assistant.session.state import Actor, Stage
from assistant.storage.base import SessionStore
from tests.utils.sessions import (
    INSTITUTION,
    at,
    change,
    evidence_record,
    new_session,
    next_turn,
    rating,
    recorded,
)

__all__ = ["ASSESSOR", "assessed", "check", "note", "signoff"]

ASSESSOR = "评估员 王工（key-assessor）"
WHEN = at(5)  # the turn of ``assessed``


def assessed(
    store: SessionStore,
    session_id: str,
    *,
    name: str | None = INSTITUTION,
    kind: InstitutionType | None = InstitutionType.PUBLIC_SERVICE,
    stars: tuple[int, int] | None = (3, 2),
    stage: Stage = Stage.INDICATORS,
    when: datetime = WHEN,
    previous: str | None = None,
) -> None:
    """Create a session and commit one turn: profile, two findings (one carried), one
    evidence record, and a rating unless ``stars`` is None."""
    session, greeting = new_session(session_id, created=at(0))
    store.create(session.model_copy(update={"previous_session_id": previous}), greeting)
    profile = Profile(name=name, institution_type=kind, smes_served_per_year=800)
    state = store.get(session_id).state.model_copy(update={"profile": profile, "stage": stage})
    findings = {
        "SS-1-01": recorded("SS-1-01", when=when),
        "SO-2-02": recorded("SO-2-02", FindingStatus.LARGELY_MET, when=when).model_copy(
            update={"carried": True}
        ),
    }
    store.commit_turn(
        *next_turn(store.get(session_id), state=state, findings=findings, when=when),
        changes=[change("SS-1-01", None, FindingStatus.MET, when=when)],
        evidence=[evidence_record(session_id, "ev-1", when=when, indicator_ids=("SS-1-01",))],
        rating=None if stars is None else rating(*stars),
    )


def check(session_id: str, evidence_id: str = "ev-1", **values: object) -> EvidenceCheck:
    fields: dict[str, object] = {
        "session_id": session_id,
        "evidence_id": evidence_id,
        "sampled": True,
        "verified": True,
        "note": "原件已核对，与扫描件一致。",
        "assessor": ASSESSOR,
        "at": at(20),
    }
    return EvidenceCheck.model_validate({**fields, **values})


def note(session_id: str, note_id: str, minute: float, **values: object) -> AssessorNote:
    fields: dict[str, object] = {
        "id": note_id,
        "session_id": session_id,
        "indicator_id": "SS-1-01",
        "text": "现场访谈：负责人说明了服务台账的登记流程。",
        "assessor": ASSESSOR,
        "at": at(minute),
    }
    return AssessorNote.model_validate({**fields, **values})


def signoff(
    store: SessionStore, session_id: str, version: int = 1, *, confirmed: int = 1
) -> SignOff:
    """The sign-off of the session as stored now (its snapshot and hash), not yet added."""
    session = store.get(session_id)
    rated = store.latest_rating(session_id) or rating(0, 0)
    confirmed_rating = rating(rated.declared.stars, confirmed)
    snapshot = SignedSnapshot(
        profile=session.state.profile,
        findings={
            **session.findings,
            "SD-1-01": recorded("SD-1-01", actor=Actor.ASSESSOR, assessor_confirmed=True),
        },
        evidence=tuple(store.evidence(session_id)),
        checks=tuple(store.evidence_checks(session_id)),
        notes=tuple(store.notes(session_id)),
        rating=rated,
        confirmed=confirmed_rating,
    )
    versions = rated.versions
    return SignOff(
        session_id=session_id,
        version=version,
        signed_by=ASSESSOR,
        signed_at=at(30 + version),
        declared_stars=rated.declared.stars,
        evidenced_stars=rated.evidenced.stars,
        confirmed_stars=confirmed,
        catalog_version=versions.catalog_version,
        catalog_hash=versions.catalog_hash,
        rules_version=versions.rules_version,
        rules_hash=versions.rules_hash,
        snapshot_sha256=snapshot_sha256(snapshot),
        snapshot=snapshot,
    )
