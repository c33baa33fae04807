"""Builders for small, hand-made catalogs and findings used by the rating tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from assistant.knowledge.schema import (
    DATED_KINDS,
    AreaCode,
    AreaSpec,
    Catalog,
    EvidenceKind,
    EvidenceRequirement,
    Indicator,
    ItemSpec,
    LevelCharacteristic,
    LevelSpec,
    Localized,
    RuleSet,
)
from assistant.rating.models import EvidenceItem, Finding

AS_OF = date(2026, 6, 30)
SCORING = {
    "met": "要求全部落实",
    "largely": "仅有个别欠缺",
    "partly": "只落实了一部分",
    "sample": "抽查近12个月的记录不少于3条",
}


def text(zh: str) -> Localized:
    return Localized(zh=zh, en=zh)


def indicator(ident: str, *, core: bool = False, weight: float = 1.0, **extra: Any) -> Indicator:
    area, level, _ = ident.split("-")
    return Indicator.model_validate(
        {
            "id": ident,
            "area": area,
            "item": f"{area}.1",
            "level": int(level),
            "title": {"zh": f"指标{ident}", "en": f"Indicator {ident}"},
            "requirement": "测试要求",
            "core": core,
            "weight": weight,
            "clause": "6.1.1",
            "characteristics": [f"L{level}-C1"],
            "question": "测试问题？",
            "scoring": SCORING,
            **extra,
        }
    )


def requirement(kind: str = "record", **extra: Any) -> EvidenceRequirement:
    """A direct requirement; a dated kind gets a generous maximum age unless one is given."""
    data: dict[str, Any] = {"kind": kind, "class": "direct", "description": f"{kind} 证据"}
    if EvidenceKind(kind) in DATED_KINDS:
        data["max_age_months"] = 120
    return EvidenceRequirement.model_validate({**data, **extra})


def catalog(*indicators: Indicator, areas: tuple[str, ...] = ("SS", "SD")) -> Catalog:
    return Catalog(
        version="test",
        content_hash="sha256:test",
        standard="T/ZXGJXH 002—2023",
        areas=tuple(
            AreaSpec(
                code=AreaCode(code),
                name=text(code),
                clause="6",
                items=(ItemSpec(code=f"{code}.1", name=text("项")),),
            )
            for code in areas
        ),
        levels=tuple(
            LevelSpec(
                level=lv,
                name=text(f"{lv}星"),
                clause=f"5.{lv}",
                characteristics=(LevelCharacteristic(id=f"L{lv}-C1", text=text("特征")),),
            )
            for lv in range(1, 6)
        ),
        indicators=indicators,
    )


def rules(threshold: float = 0.8) -> RuleSet:
    return RuleSet.model_validate(
        {
            "version": "test",
            "threshold": threshold,
            "scores": {"met": 1.0, "largely_met": 0.75, "partly_met": 0.5, "not_met": 0.0},
            "core_pass_statuses": ["met", "largely_met"],
            "evidence_cap": "partly_met",
        }
    )


def finding(ident: str, status: str, *evidence: EvidenceItem, **extra: Any) -> Finding:
    return Finding.model_validate(
        {"indicator_id": ident, "status": status, "evidence": evidence, **extra}
    )


def item(kind: str = "record", dated: date | None = AS_OF, **extra: Any) -> EvidenceItem:
    return EvidenceItem.model_validate({"kind": kind, "dated": dated, **extra})
