"""What a re-assessment carries from a signed snapshot, a year on."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from assistant.assessment.carry import Carry, carried_records, carry, carry_id
from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, RuleSet
from assistant.session.state import Actor
from tests.unit.assessment import signed
from tests.unit.assessment.signed import A_YEAR_LATER, SIGNED_ON

NOW = datetime(2027, 6, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def plan(real_catalog: Catalog, real_rules: RuleSet) -> Carry:
    return carry(signed.signoff(real_catalog, real_rules), real_catalog, A_YEAR_LATER, at=NOW)


def test_findings_whose_evidence_still_holds_are_carried(plan: Carry) -> None:
    assert set(plan.findings) == {"SS-2-01", "SD-2-04", "ST-1-01", "SS-1-01"}
    assert all(f.carried and f.updated_at == NOW for f in plan.findings.values())
    assert plan.findings["ST-1-01"].reason == "本机构不承担此项"  # n.a. keeps its reason


def test_met_findings_with_stale_or_missing_evidence_are_asked_again(plan: Carry) -> None:
    # the ledger is 14 months old (12 allowed), the contract ended, one had no file at all;
    # the assessor's SS-1-02 stood on a ledger that is now out of date
    assert set(plan.asked_again) == {"SD-1-01", "SS-1-04", "SD-1-02", "SS-1-02"}
    assert "SD-2-01" not in plan.asked_again  # partly met: simply asked, not "again"


def test_the_assessors_status_is_carried_not_confirmed(plan: Carry) -> None:
    carried = plan.findings["SS-1-01"]

    assert carried.status is FindingStatus.LARGELY_MET
    assert carried.actor is Actor.ASSESSOR
    assert carried.reason == "访谈后改定"
    assert not carried.assessor_confirmed  # whoever signs next year confirms it again


def test_fresh_evidence_is_carried_with_its_links_and_stale_is_not(plan: Carry) -> None:
    assert {r.id for r in plan.evidence} == {"ev-plan", "ev-policy"}
    assert {r.id for r in plan.stale} == {"ev-ledger", "ev-contract", "ev-ss-ledger"}

    records = carried_records(plan, "new-session")

    assert {r.session_id for r in records} == {"new-session"}
    by_sha = {r.sha256: r for r in records}
    for old in plan.evidence:
        new = by_sha[old.sha256]
        assert new.id == carry_id("new-session", old.id) != old.id
        assert new.indicator_ids == old.indicator_ids


def test_what_to_renew_names_the_requirement_the_kind_and_the_age(plan: Carry) -> None:
    renew = {(item.indicator_id, item.kind): item for item in plan.renew}

    assert set(renew) == {
        ("SD-1-01", EvidenceKind.LEDGER),
        ("SS-1-04", EvidenceKind.CONTRACT),
        ("SS-1-02", EvidenceKind.LEDGER),
    }
    ledger = renew[("SD-1-01", EvidenceKind.LEDGER)]
    assert ledger.max_age_months == 12
    assert ledger.stale_files == ("ev-ledger.pdf",)
    assert "12 个月内" in ledger.text_zh and "ev-ledger.pdf" in ledger.text_zh
    assert "within 12 months" in ledger.text_en
    contract = renew[("SS-1-04", EvidenceKind.CONTRACT)]
    assert contract.max_age_months is None
    assert "现行有效" in contract.text_zh and "in force" in contract.text_en


def test_on_the_day_it_was_signed_everything_with_evidence_carries(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    same_day = carry(signed.signoff(real_catalog, real_rules), real_catalog, SIGNED_ON, at=NOW)

    assert set(same_day.asked_again) == {"SD-1-02"}  # the one without a file
    assert same_day.renew == () and same_day.stale == ()


def test_an_indicator_the_catalog_dropped_is_never_carried(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    smaller = real_catalog.model_copy(
        update={"indicators": tuple(i for i in real_catalog.indicators if i.id != "SS-2-01")}
    )

    plan = carry(signed.signoff(real_catalog, real_rules), smaller, A_YEAR_LATER, at=NOW)

    assert "SS-2-01" not in plan.findings


def test_carry_and_compare_stay_pure() -> None:
    """No store, interview, model, web or vector database behind them (a fresh interpreter)."""
    code = (
        "import sys, assistant.assessment.carry, assistant.assessment.compare\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'fastapi', 'chromadb', 'httpx', 'openai') or m.startswith("
        "('assistant.storage', 'assistant.interview', 'assistant.llm')))))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
