"""Catalog 2.0's contract in the schema: scoring, basis, events, see_also, evidence rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import load_catalog
from assistant.knowledge.schema import (
    DATED_KINDS,
    IN_FORCE_KINDS,
    OPERATING_TIME_KINDS,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
    LevelCharacteristic,
    Localized,
)
from assistant.knowledge.yaml_writer import write_rules_dir, yaml_files
from tests.utils.builders import SCORING, catalog, indicator, requirement, rules


def raw(**extra: Any) -> dict[str, Any]:
    base = indicator("SS-1-01").model_dump(mode="json", by_alias=True)
    return {**base, **extra}


def test_scoring_is_required_with_all_four_parts() -> None:
    with pytest.raises(ValidationError, match="scoring"):
        Indicator.model_validate({k: v for k, v in raw().items() if k != "scoring"})
    with pytest.raises(ValidationError, match=r"scoring\.sample"):
        Indicator.model_validate(raw(scoring={k: v for k, v in SCORING.items() if k != "sample"}))
    with pytest.raises(ValidationError, match=r"scoring\.met"):
        Indicator.model_validate(raw(scoring={**SCORING, "met": ""}))
    english = Indicator.model_validate(raw(scoring_en=SCORING))
    assert english.scoring_en is not None and english.scoring_en.sample == SCORING["sample"]


def test_practice_needs_its_reason_and_notice_takes_none() -> None:
    with pytest.raises(ValidationError, match="basis_note"):
        Indicator.model_validate(raw(basis="practice"))
    with pytest.raises(ValidationError, match="basis_note"):
        Indicator.model_validate(raw(basis="practice", basis_note="   "))
    with pytest.raises(ValidationError, match="only for basis 'practice'"):
        Indicator.model_validate(raw(basis_note="理由"))
    with pytest.raises(ValidationError, match="basis"):
        Indicator.model_validate(raw(basis="custom"))
    kept = Indicator.model_validate(raw(basis="practice", basis_note="本项目的理解"))
    assert (kept.basis, kept.basis_note, kept.event) == ("practice", "本项目的理解", False)


def test_characteristics_are_required_and_of_the_own_level() -> None:
    with pytest.raises(ValidationError, match="at least 1"):
        Indicator.model_validate(raw(characteristics=[]))
    with pytest.raises(ValidationError, match="another level"):
        Indicator.model_validate(raw(characteristics=["L2-C1"]))


def test_see_also_is_well_formed_and_never_itself() -> None:
    with pytest.raises(ValidationError, match="see_also"):
        Indicator.model_validate(raw(see_also=["SS-1"]))
    with pytest.raises(ValidationError, match="itself"):
        Indicator.model_validate(raw(see_also=["SS-1-01"]))
    with pytest.raises(ValidationError, match="twice"):
        Indicator.model_validate(raw(see_also=["SD-1-01", "SD-1-01"]))


@pytest.mark.parametrize("clause", ["R", "R.1", "R.1.2", "6", "6.1.2", "A.1"])
def test_annex_and_standard_clause_numbers_are_accepted(clause: str) -> None:
    assert Indicator.model_validate(raw(clause=clause)).clause == clause


@pytest.mark.parametrize("clause", ["R.", "r.1", "6.", "R1", "附录R"])
def test_malformed_clause_numbers_are_refused(clause: str) -> None:
    with pytest.raises(ValidationError, match="clause"):
        Indicator.model_validate(raw(clause=clause))


def test_the_kind_groups() -> None:
    assert {k.value for k in DATED_KINDS} == {
        "record",
        "ledger",
        "report",
        "screenshot",
        "case",
        "plan",
    }
    assert {k.value for k in IN_FORCE_KINDS} == {"policy", "certificate", "contract"}
    assert {k.value for k in OPERATING_TIME_KINDS} == {"record", "ledger", "report"}
    assert EvidenceKind("interview") and EvidenceKind("observation")


@pytest.mark.parametrize("kind", sorted(k.value for k in DATED_KINDS))
def test_a_direct_dated_requirement_needs_a_maximum_age(kind: str) -> None:
    with pytest.raises(ValidationError, match="max_age_months"):
        EvidenceRequirement.model_validate({"kind": kind, "class": "direct", "description": "x"})
    indirect = {"kind": kind, "class": "indirect", "description": "x"}
    assert EvidenceRequirement.model_validate(indirect).max_age_months is None


@pytest.mark.parametrize("kind", sorted(k.value for k in IN_FORCE_KINDS))
def test_in_force_kinds_take_no_maximum_age(kind: str) -> None:
    plain = requirement(kind)
    assert plain.in_force and plain.max_age_months is None
    assert "in_force" not in plain.model_dump(by_alias=True)  # derived, never written
    with pytest.raises(ValidationError, match="in force"):
        requirement(kind, max_age_months=12)


@pytest.mark.parametrize("kind", [k.value for k in EvidenceKind])
def test_operating_time_only_on_records_ledgers_and_reports(kind: str) -> None:
    data = {"kind": kind, "class": "indirect", "description": "x", "operating_months": 6}
    if EvidenceKind(kind) in OPERATING_TIME_KINDS:
        assert EvidenceRequirement.model_validate(data).operating_months == 6
    else:
        with pytest.raises(ValidationError, match="operating_months only"):
            EvidenceRequirement.model_validate(data)


def test_assessor_kinds_are_marked() -> None:
    assert requirement("interview").assessor_only
    assert requirement("observation").assessor_only
    assert not requirement("record").assessor_only


def test_a_characteristic_is_a_must_unless_said_otherwise() -> None:
    text = Localized(zh="特征", en="trait")
    assert LevelCharacteristic(id="L3-C5", text=text).must
    assert not LevelCharacteristic(id="L5-C8", text=text, must=False).must


def _write(tmp_path: Path, *indicators: Indicator) -> Path:
    rules_dir = tmp_path / "rules"
    write_rules_dir(yaml_files(catalog(*indicators), rules()), rules_dir)
    return rules_dir


def test_see_also_must_name_an_indicator_of_the_catalog(tmp_path: Path) -> None:
    rules_dir = _write(tmp_path, indicator("SS-1-01", see_also=["SD-1-09"]), indicator("SD-1-01"))
    with pytest.raises(KnowledgeError, match=r"see_also 'SD-1-09' is not in the catalog"):
        load_catalog(rules_dir)


def test_characteristics_must_exist_in_the_header(tmp_path: Path) -> None:
    rules_dir = _write(tmp_path, indicator("SS-1-01", characteristics=["L1-C7"]))
    with pytest.raises(KnowledgeError, match=r"characteristic 'L1-C7' is not in catalog.yaml"):
        load_catalog(rules_dir)


def test_a_consistent_small_catalog_loads(tmp_path: Path) -> None:
    rules_dir = _write(tmp_path, indicator("SS-1-01", see_also=["SD-1-01"]), indicator("SD-1-01"))
    loaded = load_catalog(rules_dir)
    assert loaded.indicator("SS-1-01").see_also == ("SD-1-01",)
