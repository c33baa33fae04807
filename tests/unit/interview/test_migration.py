"""Carrying findings through a catalog change, on small hand-made catalogs (the rules of it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.interview.migration import migrate_session
from assistant.interview.service import InterviewService
from assistant.knowledge.migration import CatalogMigration
from assistant.knowledge.schema import Catalog, FindingStatus
from assistant.session.models import Profile, UserTurn
from assistant.storage import InMemorySessionStore
from tests.utils.builders import catalog, indicator, rules

T0 = datetime(2026, 3, 1, tzinfo=UTC)
LATER = T0 + timedelta(days=1)
OLD: Catalog = catalog(
    indicator("SS-1-01", na_allowed=True),
    indicator("SS-1-02"),
    indicator("SS-1-03", na_allowed=True),
    indicator("SS-1-04"),
    indicator("SS-1-05"),
    areas=("SS",),
).model_copy(update={"version": "1"})
NEW: Catalog = catalog(
    indicator("SS-1-01"),  # no longer allows not applicable
    indicator("SS-1-06"),
    indicator("SS-1-07", na_allowed=True),
    areas=("SS",),
).model_copy(update={"version": "2"})
MIGRATION = CatalogMigration(
    from_version="1",
    to_version="2",
    indicators={
        "SS-1-01": ("SS-1-01",),
        "SS-1-02": ("SS-1-06",),
        "SS-1-03": ("SS-1-07",),
        "SS-1-04": ("SS-1-06", "SS-1-07"),
        "SS-1-05": (),
    },
)
PROFILE = Profile(
    name="甲中心",
    institution_type="market",
    service_fields="融资",
    smes_served_per_year=10,
    target_stars=1,
)


def session(store: InMemorySessionStore, answers: dict[str, FindingStatus]) -> str:
    """Applicant answers, then SS-1-02 confirmed and SS-1-03 not applicable by an assessor."""
    service = InterviewService(OLD, rules(), store, clock=lambda: T0)
    session_id = service.start(profile=PROFILE).session_id
    service.send(session_id, UserTurn(answers=answers))
    service.override(session_id, "SS-1-02", answers["SS-1-02"], reason="复核", assessor="甲")
    service.override(
        session_id, "SS-1-03", FindingStatus.NOT_APPLICABLE, reason="不涉及", assessor="甲"
    )
    return session_id


def migrate(store: InMemorySessionStore, session_id: str) -> object:
    return migrate_session(store, session_id, MIGRATION, NEW, rules(), now=LATER)


def test_merging_keeps_the_lowest_scored_status_and_skips_not_applicable() -> None:
    store = InMemorySessionStore()
    answers = {
        "SS-1-01": FindingStatus.MET,
        "SS-1-02": FindingStatus.MET,
        "SS-1-04": FindingStatus.LARGELY_MET,
        "SS-1-05": FindingStatus.NOT_MET,
    }
    session_id = session(store, answers)
    migrate(store, session_id)
    after = store.get(session_id).findings
    # SS-1-06 ← SS-1-02 (met, by an assessor) + SS-1-04 (largely met, applicant): the lower.
    assert after["SS-1-06"].status is FindingStatus.LARGELY_MET
    assert not after["SS-1-06"].assessor_confirmed  # confirmed only if every source was
    # SS-1-07 ← SS-1-03 (not applicable) + SS-1-04 (largely met): the scored one wins.
    assert after["SS-1-07"].status is FindingStatus.LARGELY_MET


def test_a_not_applicable_the_new_indicator_refuses_is_reopened_not_lost() -> None:
    store = InMemorySessionStore()
    service = InterviewService(OLD, rules(), store, clock=lambda: T0)
    session_id = service.start(profile=PROFILE).session_id
    service.override(
        session_id, "SS-1-01", FindingStatus.NOT_APPLICABLE, reason="不涉及", assessor="甲"
    )
    result = migrate(store, session_id)
    record = store.get(session_id)
    assert "SS-1-01" not in record.findings
    [entry] = record.state.migrations
    assert [(f.indicator_id, f.status, f.reason) for f in entry.reopened] == [
        ("SS-1-01", FindingStatus.NOT_APPLICABLE, "不涉及")
    ]
    assert getattr(result, "reopened") == ("SS-1-01",)  # noqa: B009
    line = store.history(session_id, "SS-1-01")[-1]
    assert line.status is FindingStatus.NOT_RATED and "not applicable" in (line.reason or "")


def test_a_session_of_another_catalog_version_is_left_alone() -> None:
    store = InMemorySessionStore()
    service = InterviewService(NEW, rules(), store, clock=lambda: T0)
    session_id = service.start(profile=PROFILE).session_id
    service.override(session_id, "SS-1-06", FindingStatus.MET, reason="复核", assessor="甲")
    before = store.get(session_id)
    result = migrate(store, session_id)
    assert getattr(result, "outcome") == "skipped"  # noqa: B009
    assert store.get(session_id) == before


def test_a_session_without_a_rating_is_judged_by_its_ids() -> None:
    store = InMemorySessionStore()
    fresh = InterviewService(OLD, rules(), store, clock=lambda: T0).start(profile=PROFILE)
    assert store.latest_rating(fresh.session_id) is None
    assert getattr(migrate(store, fresh.session_id), "outcome") == "migrated"  # noqa: B009
    pending = store.get(fresh.session_id).state.pending
    assert pending is not None and set(pending.indicator_ids) <= {"SS-1-01", "SS-1-06", "SS-1-07"}
    newer = InterviewService(NEW, rules(), store, clock=lambda: T0).start(profile=PROFILE)
    # Its question names SS-1-06, an id the old catalog never had: not an old session.
    assert getattr(migrate(store, newer.session_id), "outcome") == "skipped"  # noqa: B009
