"""Load the catalog and rules from ``knowledge/rules/`` into validated, hashed models."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import KnowledgeError
from assistant.knowledge.schema import Catalog, CatalogHeader, IndicatorFile, RuleSet
from assistant.knowledge.yamlio import format_validation_error, load_model

__all__ = [
    "ReferenceProblem",
    "assemble_catalog",
    "content_hash",
    "default_knowledge_dir",
    "load_catalog",
    "load_rules",
    "reference_problems",
]


def default_knowledge_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "knowledge"


def content_hash(payload: object) -> str:
    """SHA-256 of canonical JSON: formatting and key order never change the hash."""
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_rules(rules_dir: Path) -> RuleSet:
    path = rules_dir / "rules.yaml"
    try:
        rules = load_model(path, RuleSet)
    except ValueError as exc:
        raise KnowledgeError(str(exc)) from exc
    digest = content_hash(rules.model_dump(mode="json", exclude={"content_hash"}))
    return rules.model_copy(update={"content_hash": digest})


def load_catalog(rules_dir: Path) -> Catalog:
    try:
        header = load_model(rules_dir / "catalog.yaml", CatalogHeader)
        files = [
            load_model(path, IndicatorFile)
            for path in sorted((rules_dir / "indicators").glob("*.yaml"))
        ]
    except ValueError as exc:
        raise KnowledgeError(str(exc)) from exc
    catalog = assemble_catalog(header, files, str(rules_dir))
    problems = reference_problems(catalog)
    if problems:
        raise KnowledgeError("\n".join(f"{str(rules_dir)!r}: {p.text}" for p in problems))
    return catalog


def assemble_catalog(header: CatalogHeader, files: list[IndicatorFile], source: str) -> Catalog:
    """The header plus every file's indicators, sorted by area, level and id, and hashed."""
    indicators = tuple(
        sorted((i for f in files for i in f.indicators), key=lambda i: (i.area, i.level, i.id))
    )
    body = {
        **header.model_dump(mode="json"),
        "indicators": [i.model_dump(mode="json", by_alias=True) for i in indicators],
    }
    try:
        return Catalog.model_validate(
            {**header.model_dump(), "indicators": indicators, "content_hash": content_hash(body)}
        )
    except ValidationError as exc:
        raise KnowledgeError(format_validation_error(source, exc)) from exc


@dataclass(frozen=True)
class ReferenceProblem:
    """A reference between files that does not resolve: which indicator, which field, why."""

    indicator_id: str
    field: str
    text: str  # zh and en


def reference_problems(catalog: Catalog) -> list[ReferenceProblem]:
    """Duplicate ids, and items, characteristics or see_also ids that do not exist."""
    problems: list[ReferenceProblem] = []
    seen: set[str] = set()
    items = {item.code for area in catalog.areas for item in area.items}
    characteristics = {c.id for level in catalog.levels for c in level.characteristics}
    ids = {indicator.id for indicator in catalog.indicators}
    for indicator in catalog.indicators:
        ident = indicator.id
        if ident in seen:
            problems.append(
                ReferenceProblem(
                    ident, "id", f"indicator id {ident!r} appears twice / 指标编号重复"
                )
            )
        seen.add(ident)
        if indicator.item not in items:
            problems.append(
                ReferenceProblem(
                    ident,
                    "item",
                    f"indicator {ident!r}: item {indicator.item!r} is not in catalog.yaml"
                    " / 能力项未定义",
                )
            )
        for code in indicator.characteristics:
            if code not in characteristics:
                problems.append(
                    ReferenceProblem(
                        ident,
                        "characteristics",
                        f"indicator {ident!r}: characteristic {code!r} is not in catalog.yaml"
                        " / 等级特征未定义",
                    )
                )
        for other in indicator.see_also:
            if other not in ids:
                problems.append(
                    ReferenceProblem(
                        ident,
                        "see_also",
                        f"indicator {ident!r}: see_also {other!r} is not in the catalog"
                        " / 交叉引用的指标不存在",
                    )
                )
    return problems
