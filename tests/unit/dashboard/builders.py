"""Sessions for the dashboard's tests: summaries with ratings from the real engine, made
from a seed (the same seed, the same sessions)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from assistant.assessment.models import SignedSnapshot, SignOff, snapshot_sha256
from assistant.knowledge.schema import Catalog, FindingStatus, InstitutionType, RuleSet
from assistant.rating.engine import rate
from assistant.rating.models import Finding, RatingResult
from assistant.session.models import Profile
from assistant.session.state import InterviewState, Stage
from assistant.storage import SessionStore, SessionSummary
from assistant.storage.base import SessionRecord
from tests.utils.sessions import new_session, next_turn, recorded

__all__ = ["AS_OF", "RISKY", "Built", "add_session", "build_sessions", "ratings_for", "sign"]

AS_OF = date(2026, 6, 1)
_START = datetime(2025, 11, 3, 8, 0, tzinfo=UTC)
_TYPES = (*InstitutionType, None)
_EAGERNESS = (0.0, 0.4, 0.8, 0.97, 1.0)  # share of indicators answered met


@dataclass(frozen=True)
class Built:
    summary: SessionSummary
    rating: RatingResult | None


def ratings_for(catalog: Catalog, rules: RuleSet, rng: random.Random, eager: float) -> RatingResult:
    findings = []
    for indicator in catalog.indicators:
        roll = rng.random()
        if roll < eager:
            status = FindingStatus.MET
        elif roll < eager + (1 - eager) / 3:
            status = FindingStatus.PARTLY_MET
        elif roll < eager + 2 * (1 - eager) / 3:
            status = FindingStatus.NOT_MET
        else:
            status = FindingStatus.NOT_RATED
        # Assessor-confirmed met findings need no evidence: some sessions reach high stars on
        # the evidenced reading too; the others are capped for want of evidence.
        findings.append(
            Finding(
                indicator_id=indicator.id,
                status=status,
                assessor_confirmed=status is FindingStatus.MET and rng.random() < eager,
            )
        )
    return rate(catalog, rules, findings, AS_OF)


def build_sessions(
    catalog: Catalog, rules: RuleSet, count: int, *, seed: int = 7, name: str = "机构"
) -> list[Built]:
    rng = random.Random(seed)
    built = []
    for n in range(count):
        rating = None
        if n % 6:  # every sixth session is not rated yet
            rating = ratings_for(catalog, rules, rng, rng.choice(_EAGERNESS))
        signed = rng.choice((None, None, *range(6))) if rating else None
        created = _START + timedelta(days=rng.randrange(0, 200), minutes=n)
        summary = SessionSummary(
            id=f"s{n:05d}",
            institution=f"{name}{n}",
            stage="interview",
            created_at=created,
            updated_at=created + timedelta(hours=2),
            answered=0,
            declared_stars=rating.declared.stars if rating else None,
            evidenced_stars=rating.evidenced.stars if rating else None,
            institution_type=rng.choice(_TYPES),
            signed_stars=signed,
            locked=signed is not None,
        )
        built.append(Built(summary, rating))
    return built


# -- a store with a few whole sessions (for the export) -----------------------------------------

RISKY = ('=HYPERLINK("http://evil.example","点我")', "+1+2", "-3", "@SUM(A1)", "\t=1", "\r=1")


def _profiled(session: SessionRecord, name: str, kind: InstitutionType | None) -> InterviewState:
    profile = Profile(name=name, institution_type=kind)
    return session.state.model_copy(update={"profile": profile, "stage": Stage.INDICATORS})


def add_session(
    store: SessionStore,
    catalog: Catalog,
    rules: RuleSet,
    session_id: str,
    *,
    name: str,
    kind: InstitutionType | None,
    statuses: dict[str, FindingStatus],
    reasons: tuple[str, ...] = (),
    created: datetime = _START,
) -> RatingResult | None:
    """A session with its profile, findings (reasons in turn from ``reasons``) and rating."""
    session, greeting = new_session(session_id, created=created)
    store.create(session, greeting)
    findings = {
        indicator_id: recorded(
            indicator_id,
            status,
            when=created + timedelta(hours=1),
            reason=reasons[n % len(reasons)] if reasons else None,
        )
        for n, (indicator_id, status) in enumerate(sorted(statuses.items()))
    }
    rating = (
        rate(
            catalog, rules, [Finding(indicator_id=k, status=v) for k, v in statuses.items()], AS_OF
        )
        if statuses
        else None
    )
    updated, turn = next_turn(
        session,
        findings=findings,
        state=_profiled(session, name, kind),
        when=created + timedelta(hours=1),
        rating=rating,
    )
    store.commit_turn(updated, turn, rating=rating)
    return rating


def sign(store: SessionStore, session_id: str, rating: RatingResult, *, by: str) -> SignOff:
    record = store.get(session_id)
    snapshot = SignedSnapshot(
        profile=record.state.profile,
        findings=record.findings,
        evidence=(),
        checks=(),
        notes=(),
        rating=rating,
        confirmed=rating,
    )
    versions = rating.versions
    signoff = SignOff(
        session_id=session_id,
        version=1,
        signed_by=by,
        signed_at=record.updated_at + timedelta(days=3),
        declared_stars=rating.declared.stars,
        evidenced_stars=rating.evidenced.stars,
        confirmed_stars=rating.evidenced.stars,
        catalog_version=versions.catalog_version,
        catalog_hash=versions.catalog_hash,
        rules_version=versions.rules_version,
        rules_hash=versions.rules_hash,
        snapshot_sha256=snapshot_sha256(snapshot),
        snapshot=snapshot,
    )
    store.add_signoff(signoff)
    return signoff
