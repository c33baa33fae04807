"""A re-assessment through the real service: fewer questions, carried findings never asked,
expired evidence asked again, 确认沿用, the audit trail and the comparison.

The three example institutions run once per module (``tests.benchmarks.reassessment_questions``
prints the same figures); the other tests start their own re-assessments from those signed
sessions, which stay as they were signed.
"""

from __future__ import annotations

import pytest

from assistant.assessment.reassess import NotReassessment, NotSigned, comparison, start_reassessment
from assistant.interview.carried import (
    CONFIRM_CARRIED,
    MAX_RENEW_SHOWN,
    is_confirm_carried,
    opening,
)
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.session.models import UserTurn
from assistant.session.state import Actor
from tests.benchmarks.reassessment_questions import (
    ASSESSOR,
    EXAMPLES,
    Measurement,
    measure,
)

NAMES = [path.stem for path in EXAMPLES]


@pytest.fixture(scope="module")
def measured(real_catalog: Catalog, real_rules: RuleSet) -> dict[str, Measurement]:
    return {path.stem: measure(path, real_catalog, real_rules) for path in EXAMPLES}


@pytest.fixture
def starter(measured: dict[str, Measurement]) -> Measurement:
    return measured["one-star-starter"]


def test_the_three_examples_are_measured() -> None:
    assert NAMES == ["declared-without-evidence", "one-star-starter", "three-star-candidate"]


@pytest.mark.parametrize("name", NAMES)
def test_a_reassessment_asks_fewer_questions(measured: dict[str, Measurement], name: str) -> None:
    m = measured[name]

    assert m.plan.findings  # something was carried
    assert m.reassessment.questions < m.fresh.questions
    # not only the profile, answered last time: fewer questions about the standard too
    assert m.reassessment.indicator_questions < m.fresh.indicator_questions
    assert len(m.reassessment.asked) < len(m.fresh.asked)


@pytest.mark.parametrize("name", NAMES)
def test_carried_findings_are_never_asked(measured: dict[str, Measurement], name: str) -> None:
    m = measured[name]

    assert not set(m.plan.findings) & m.reassessment.asked


@pytest.mark.parametrize("name", NAMES)
def test_findings_on_expired_evidence_are_asked_again(
    measured: dict[str, Measurement], name: str
) -> None:
    m = measured[name]
    stale_backed = {item.indicator_id for item in m.plan.renew}

    assert stale_backed <= set(m.plan.asked_again)
    assert set(m.plan.asked_again) <= m.reassessment.asked


def test_expired_evidence_is_not_carried_and_fresh_is(
    measured: dict[str, Measurement],
) -> None:
    m = measured["three-star-candidate"]
    new_id = m.reassessment.session_id
    carried = {r.sha256 for r in m.service.store.evidence(new_id)}

    assert m.plan.renew and m.plan.stale
    assert carried == {r.sha256 for r in m.plan.evidence}
    assert not carried & {r.sha256 for r in m.plan.stale}


@pytest.mark.parametrize("name", NAMES)
def test_the_comparison_shows_the_overridden_finding(
    measured: dict[str, Measurement], name: str
) -> None:
    m = measured[name]

    result = comparison(m.service, m.reassessment.session_id)

    row = next(r for r in result.findings if r.indicator_id == m.overridden)
    assert row.assessor_then and row.actor_then is Actor.ASSESSOR
    assert row.status_then is FindingStatus.LARGELY_MET
    assert result.version == m.signoff.version
    assert result.declared.then == m.signoff.declared_stars


def test_the_opening_says_what_was_carried_and_what_to_renew(starter: Measurement) -> None:
    opening = starter.reassessment.replies[0]

    assert f"沿用了 **{len(starter.plan.findings)}** 项" in opening.text
    assert starter.plan.renew[0].text_zh in opening.text
    assert opening.question is not None
    assert CONFIRM_CARRIED in {q.value for q in opening.question.quick_replies}


def test_a_long_renew_list_is_cut_and_counted_in_either_language(
    measured: dict[str, Measurement],
) -> None:
    plan = measured["three-star-candidate"].plan
    rest = len(plan.renew) - MAX_RENEW_SHOWN

    zh, en = opening(plan, "zh"), opening(plan, "en")

    assert rest > 0
    assert plan.renew[MAX_RENEW_SHOWN - 1].text_zh in zh
    assert plan.renew[MAX_RENEW_SHOWN].text_zh not in zh
    assert f"另有 {rest} 项" in zh
    assert f"**{len(plan.findings)}** findings were carried over" in en
    assert f"and {rest} more" in en and plan.renew[0].text_en in en


def test_carrying_is_audited_as_whoever_started_it(starter: Measurement) -> None:
    service = starter.service
    started = start_reassessment(
        service, starter.fresh.session_id, Actor.ASSESSOR, name=ASSESSOR
    ).started

    record = service.store.get(started.session_id)
    history = service.store.history(started.session_id)
    assert record.previous_session_id == starter.fresh.session_id
    assert {c.indicator_id for c in history} == set(starter.plan.findings)
    assert {(c.actor, c.actor_name) for c in history} == {(Actor.ASSESSOR, ASSESSOR)}
    assert all(c.reason and "v1" in c.reason for c in history)
    assert all(f.carried for f in record.findings.values())


def test_confirm_carried_confirms_them_all_at_once(starter: Measurement) -> None:
    service = starter.service
    started = start_reassessment(service, starter.fresh.session_id, Actor.APPLICANT).started
    before = service.store.get(started.session_id).findings

    reply = service.send(started.session_id, UserTurn(quick_reply=CONFIRM_CARRIED))

    after = service.store.get(started.session_id).findings
    assert f"已确认沿用 {len(before)} 项认定" in reply.text
    assert not any(f.carried for f in after.values())
    assert {k: f.status for k, f in after.items()} == {k: f.status for k, f in before.items()}
    confirmed = service.store.history(started.session_id)[len(before) :]
    assert {(c.indicator_id, c.actor) for c in confirmed} == {
        (key, Actor.APPLICANT) for key in before
    }
    assert reply.question is None or CONFIRM_CARRIED not in {
        q.value for q in reply.question.quick_replies
    }


def test_changing_a_carried_finding_ends_its_carrying(starter: Measurement) -> None:
    service = starter.service
    started = start_reassessment(service, starter.fresh.session_id, Actor.APPLICANT).started
    indicator_id = next(iter(starter.plan.findings))

    service.send(started.session_id, UserTurn(text=f"修改 {indicator_id} 为 部分满足"))

    changed = service.store.get(started.session_id).findings[indicator_id]
    assert changed.status is FindingStatus.PARTLY_MET and not changed.carried


def test_the_signed_session_is_left_as_it_was(starter: Measurement) -> None:
    service = starter.service
    signed_id = starter.fresh.session_id
    before = service.store.get(signed_id)

    start_reassessment(service, signed_id, Actor.APPLICANT)

    assert service.store.get(signed_id) == before
    assert service.store.signoffs(signed_id)[-1] == starter.signoff


def test_only_a_signed_session_can_be_reassessed(starter: Measurement) -> None:
    service = starter.service
    unsigned = service.start(language="zh").session_id
    count = len(service.store.list_sessions(limit=200))

    with pytest.raises(NotSigned) as refused:
        start_reassessment(service, unsigned, Actor.APPLICANT)

    assert "尚未由评估人员签署" in str(refused.value)
    assert "never signed off" in refused.value.message("en")
    assert len(service.store.list_sessions(limit=200)) == count  # nothing was created
    with pytest.raises(NotReassessment):
        comparison(service, unsigned)


@pytest.mark.parametrize(
    ("text", "confirms"),
    [
        ("确认沿用", True),
        ("/确认沿用。", True),
        ("Confirm carried!", True),
        ("confirm all carried", True),
        ("确认", False),  # a plain yes belongs to the question on screen
        ("confirm", False),
        ("确认沿用的项目有哪些？", False),
    ],
)
def test_the_confirm_carried_command(text: str, confirms: bool) -> None:
    assert is_confirm_carried(text) is confirms
