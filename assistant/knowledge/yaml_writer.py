"""The canonical layout of ``knowledge/rules/``: one writer, so the same catalog always gives
the same bytes (the Excel round trip depends on it: export → import is byte-identical).

Layout rules, the same for every file:

* a fixed comment header (zh, then en), then the keys in the models' field order;
* an indicator file lists its indicators by level, then id, one blank line between them and
  a ``# ── 一星 / level 1 ──`` line before each level;
* ``title``, ``name``, ``text`` and ``scoring`` are flow mappings on one line or a block, id
  lists are flow sequences, texts (hints, evidence) block sequences;
* booleans, ``weight``, ``basis`` and ``scoring`` are always written; other fields are left out
  when they hold their default (``None``, an empty list, ``min_count: 1``, ``must: true``);
* a string is written plain when YAML reads it back as the same string, otherwise in double
  quotes (JSON escapes); clause numbers and versions are always quoted.

Comments other than the generated ones do not survive a rewrite: the catalog's own words
belong in its fields (``basis_note``, ``hints``…), where the workbook carries them too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from assistant.knowledge.schema import (
    AreaSpec,
    Catalog,
    CatalogHeader,
    EvidenceRequirement,
    FindingStatus,
    Indicator,
    LevelSpec,
    Localized,
    RuleSet,
    Scoring,
)

__all__ = [
    "catalog_yaml",
    "indicator_file_yaml",
    "rules_yaml",
    "scalar",
    "write_rules_dir",
    "yaml_files",
]

_INDENT = "  "
# What YAML does not keep as is in a quoted scalar: non-printable characters and the line
# breaks of YAML 1.1 (NEL, LS, PS). JSON already escapes everything below U+0020.
_NOT_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _reads_back(text: str, value: str) -> bool:
    try:
        return bool(yaml.safe_load(text) == {"k": value})
    except yaml.YAMLError:
        return False


def scalar(value: object, *, flow: bool = False, quote: bool = False) -> str:
    """One YAML scalar: plain when that reads back unchanged, else a double-quoted string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    text = str(value)
    quoted = _NOT_PRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False)
    )
    if quote or not text or text != text.strip() or "\n" in text or "#" in text:
        return quoted
    probe = f"{{k: {text}}}" if flow else f"k: {text}"
    return text if _reads_back(probe, text) else quoted


def _flow_map(pairs: Iterable[tuple[str, object]]) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in pairs) + "}"


def _flow_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(scalar(v, flow=True) for v in values) + "]"


def _localized(text: Localized) -> str:
    return _flow_map((("zh", text.zh), ("en", text.en)))


def _block_list(key: str, values: Iterable[str], indent: str) -> list[str]:
    items = list(values)
    if not items:
        return []
    return [f"{indent}{key}:", *(f"{indent}  - {scalar(v)}" for v in items)]


def _scoring(key: str, scoring: Scoring | None, indent: str) -> list[str]:
    if scoring is None:
        return []
    lines = [f"{indent}{key}:"]
    for field in ("met", "largely", "partly", "sample"):
        lines.append(f"{indent}  {field}: {scalar(getattr(scoring, field))}")
    return lines


def _requirement(requirement: EvidenceRequirement, indent: str) -> list[str]:
    lines = [
        f"{indent}- kind: {requirement.kind.value}",
        f"{indent}  class: {requirement.evidence_class.value}",
        f"{indent}  description: {scalar(requirement.description)}",
    ]
    if requirement.min_count != 1:
        lines.append(f"{indent}  min_count: {requirement.min_count}")
    if requirement.max_age_months is not None:
        lines.append(f"{indent}  max_age_months: {requirement.max_age_months}")
    if requirement.operating_months is not None:
        lines.append(f"{indent}  operating_months: {requirement.operating_months}")
    return lines


def _indicator(indicator: Indicator) -> list[str]:
    i = _INDENT * 2
    lines = [
        f"{_INDENT}- id: {indicator.id}",
        f"{i}area: {indicator.area.value}",
        f"{i}item: {indicator.item}",
        f"{i}level: {int(indicator.level)}",
        f"{i}title: {_localized(indicator.title)}",
        f"{i}requirement: {scalar(indicator.requirement)}",
        f"{i}core: {scalar(indicator.core)}",
        f"{i}weight: {scalar(float(indicator.weight))}",
        f"{i}na_allowed: {scalar(indicator.na_allowed)}",
        f"{i}event: {scalar(indicator.event)}",
        f"{i}basis: {indicator.basis}",
    ]
    if indicator.basis_note is not None:
        lines.append(f"{i}basis_note: {scalar(indicator.basis_note)}")
    lines.append(f"{i}clause: {scalar(indicator.clause, quote=True)}")
    lines.append(f"{i}characteristics: {_flow_list(indicator.characteristics)}")
    if indicator.see_also:
        lines.append(f"{i}see_also: {_flow_list(indicator.see_also)}")
    lines.append(f"{i}question: {scalar(indicator.question)}")
    if indicator.question_en is not None:
        lines.append(f"{i}question_en: {scalar(indicator.question_en)}")
    lines += _block_list("hints", indicator.hints, i)
    lines += _block_list("hints_en", indicator.hints_en, i)
    if indicator.evidence:
        lines.append(f"{i}evidence:")
        for requirement in indicator.evidence:
            lines += _requirement(requirement, i + _INDENT)
    lines += _scoring("scoring", indicator.scoring, i)
    lines += _scoring("scoring_en", indicator.scoring_en, i)
    return lines


def indicator_file_yaml(
    area: AreaSpec, levels: tuple[LevelSpec, ...], indicators: Iterable[Indicator]
) -> str:
    """``indicators/<AREA>.yaml``: one area's indicators, grouped by level."""
    code = area.code.value
    lines = [
        f"# {area.name.zh}（{code}）指标：本项目编写的参考指标，不是标准的正式指标清单。",
        f"# {area.name.en} ({code}) indicators: reference indicators written for this project,",
        "# not the standard's official list. Canonical layout: `smecmm catalog import` writes it.",
        f"area: {code}",
        "indicators:",
    ]
    names = {int(spec.level): spec.name for spec in levels}
    ordered = sorted(indicators, key=lambda x: (int(x.level), x.id))
    current = 0
    for indicator in ordered:
        level = int(indicator.level)
        if level != current:
            if current:
                lines.append("")
            name = names.get(level)
            label = f"{name.zh} / {name.en}" if name else f"level {level}"
            lines.append(f"{_INDENT}# ── {label} " + "─" * 40)
            current = level
        else:
            lines.append("")
        lines += _indicator(indicator)
    if not ordered:
        lines[-1] = "indicators: []"
    return "\n".join(lines) + "\n"


def catalog_yaml(header: CatalogHeader) -> str:
    """``catalog.yaml``: the model's areas, items, levels and characteristics."""
    lines = [
        "# 指标目录总表：能力域、能力项、等级与等级特征；指标按能力域存放于 indicators/*.yaml。",
        "# Catalog header: areas, items, levels and their characteristics; the indicators live",
        "# in indicators/*.yaml, one file per area. A reference catalog written for this project,",
        "# not the official indicator list (本目录为本项目编写的参考版本，不是标准正式文本).",
        f"version: {scalar(header.version, quote=True)}",
        f"standard: {scalar(header.standard, quote=True)}",
        "areas:",
    ]
    for area in header.areas:
        lines += [
            f"  - code: {area.code.value}",
            f"    name: {_localized(area.name)}",
            f"    clause: {scalar(area.clause, quote=True)}",
            "    items:",
        ]
        lines += [
            f"      - {{code: {item.code}, name: {_localized(item.name)}}}" for item in area.items
        ]
    lines.append("levels:")
    for spec in header.levels:
        lines += [
            f"  - level: {int(spec.level)}",
            f"    name: {_localized(spec.name)}",
            f"    clause: {scalar(spec.clause, quote=True)}",
            "    characteristics:",
        ]
        for c in spec.characteristics:
            must = "" if c.must else ", must: false"
            lines.append(f"      - {{id: {c.id}, text: {_localized(c.text)}{must}}}")
    return "\n".join(lines) + "\n"


_SCORE_NOTES = {
    FindingStatus.MET: "满足 / met",
    FindingStatus.LARGELY_MET: "基本满足 / largely met (ISO/IEC 33020: Largely achieves)",
    FindingStatus.PARTLY_MET: "部分满足 / partly met",
    FindingStatus.NOT_MET: "不满足 / not met",
}


def rules_yaml(rules: RuleSet) -> str:
    """``rules.yaml``: the rating rules' parameters, each with its meaning."""
    overrides = (
        "{" + ", ".join(f"{int(k)}: {v!r}" for k, v in sorted(rules.level_thresholds.items())) + "}"
    )
    order = [s for s in FindingStatus if s in rules.scores]
    passing = [s.value for s in order if s in rules.core_pass_statuses]
    lines = [
        "# 评级规则参数 / Rating rule parameters.",
        "# 评级引擎（assistant/rating）只读取本文件和指标目录；任何取值改变时须改版本号，",
        "# 已保存的评级记录其所用版本。/ The rating engine reads only this file and the catalog;",
        "# change the version whenever a value changes: stored ratings name the version they used.",
        f"version: {scalar(rules.version, quote=True)}",
        f"threshold: {rules.threshold!r}  # 能力域某等级所需的加权得分 / score an area needs",
        f"level_thresholds: {overrides}  # 按等级覆盖门槛 / per-level overrides, e.g. {{5: 0.85}}",
        "scores:  # 发现项状态得分 / score of each finding status",
    ]
    lines += [f"  {s.value}: {rules.scores[s]!r}  # {_SCORE_NOTES[s]}" for s in order]
    lines += [
        f"core_pass_statuses: [{', '.join(passing)}]  # 核心指标通过的状态 / a core passes",
        f"evidence_cap: {rules.evidence_cap.value}  # 证据不足时的上限 / cap without evidence",
    ]
    return "\n".join(lines) + "\n"


def yaml_files(catalog: Catalog, rules: RuleSet) -> dict[str, str]:
    """Every file of ``knowledge/rules/`` (relative path → text) in the canonical layout."""
    header = CatalogHeader(
        version=catalog.version,
        standard=catalog.standard,
        areas=catalog.areas,
        levels=catalog.levels,
    )
    files = {"catalog.yaml": catalog_yaml(header), "rules.yaml": rules_yaml(rules)}
    for area in catalog.areas:
        mine = [i for i in catalog.indicators if i.area == area.code]
        files[f"indicators/{area.code.value}.yaml"] = indicator_file_yaml(
            area, catalog.levels, mine
        )
    return files


def write_rules_dir(files: dict[str, str], rules_dir: Path) -> list[Path]:
    """Write every file (a temporary file each, then renamed into place); return the paths."""
    staged: list[tuple[Path, Path]] = []
    for relative, text in sorted(files.items()):
        target = rules_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        staged.append((temporary, target))
    for temporary, target in staged:
        temporary.replace(target)
    return [target for _, target in staged]
