"""Catalog 2024.1, as the sessions stored before catalog 2.0 knew it (tests/data fixture).

Only what a rating and a migration read is kept (ids, items, levels, core flags, weights,
not-applicable, characteristics, the kinds of direct evidence); texts are placeholders, so the
old catalog validates with today's strict models.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.knowledge.schema import DATED_KINDS, Catalog, EvidenceKind, RuleSet

__all__ = ["OLD_CATALOG_FILE", "old_catalog", "old_rules"]

OLD_CATALOG_FILE = Path(__file__).resolve().parents[1] / "data" / "catalog-2024.1.yaml"
_SCORING = {"met": "满足", "largely": "基本满足", "partly": "部分满足", "sample": "抽查"}


def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(OLD_CATALOG_FILE.read_text(encoding="utf-8"))
    return data


def _text(word: str) -> dict[str, str]:
    return {"zh": word, "en": word}


def _requirement(kind: str) -> dict[str, Any]:
    dated = EvidenceKind(kind) in DATED_KINDS
    return {
        "kind": kind,
        "class": "direct",
        "description": f"{kind} 材料",
        **({"max_age_months": 24} if dated else {}),
    }


@cache
def old_catalog() -> Catalog:
    data = _data()
    indicators = []
    for raw in data["indicators"]:
        area, level, _ = raw["id"].split("-")
        indicators.append(
            {
                "id": raw["id"],
                "area": area,
                "item": raw["item"],
                "level": int(level),
                "title": _text(f"指标 {raw['id']}"),
                "requirement": f"旧目录指标 {raw['id']} 的要求",
                "core": raw["core"],
                "weight": raw["weight"],
                "na_allowed": raw["na"],
                "clause": raw["clause"],
                "characteristics": raw["c"] or [f"L{level}-C1"],
                "question": f"{raw['id']}？",
                "evidence": [_requirement(kind) for kind in raw["direct"]],
                "scoring": _SCORING,
            }
        )
    return Catalog.model_validate(
        {
            "version": data["version"],
            "content_hash": "sha256:catalog-2024.1-fixture",
            "standard": "T/ZXGJXH 002—2023",
            "areas": [
                {
                    "code": a["code"],
                    "name": _text(a["code"]),
                    "clause": a["clause"],
                    "items": [{"code": code, "name": _text(code)} for code in a["items"]],
                }
                for a in data["areas"]
            ],
            "levels": [
                {
                    "level": lv["level"],
                    "name": _text(f"{lv['level']}星"),
                    "clause": lv["clause"],
                    "characteristics": [
                        {"id": code, "text": _text(code)} for code in lv["characteristics"]
                    ],
                }
                for lv in data["levels"]
            ],
            "indicators": indicators,
        }
    )


@cache
def old_rules() -> RuleSet:
    return RuleSet.model_validate({**_data()["rules"], "content_hash": "sha256:rules-2024.1"})
