"""Rows into the catalog's strict models (the same the YAML loader uses), each pydantic
error traced back to the cell it came from; and the import that writes the YAML only when the
whole workbook is valid."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import assemble_catalog, content_hash, reference_problems
from assistant.knowledge.schema import (
    Catalog,
    CatalogHeader,
    IndicatorFile,
    RuleSet,
)
from assistant.knowledge.workbook.cells import (
    LIST_SPLIT,
    CellError,
    Row,
    Sheet,
    WorkbookError,
    cell_text,
    message_en,
    message_zh,
    read_sheets,
    row_values,
    whole_workbook,
)
from assistant.knowledge.workbook.layout import RULE_KEYS, SCORING
from assistant.knowledge.yaml_writer import write_rules_dir, yaml_files

__all__ = ["ImportResult", "import_workbook", "read_workbook"]

# --- building the models, with every error located ------------------------------------------


@dataclass
class _Locator:
    """Maps a pydantic error location to the sheet, row and column it came from."""

    sheet: str  # where an error that no row explains is reported
    spans: list[tuple[tuple[Any, ...], Row, dict[tuple[Any, ...], str]]] = field(
        default_factory=list
    )

    def add(self, path: tuple[Any, ...], row: Row, columns: dict[tuple[Any, ...], str]) -> None:
        self.spans.append((path, row, columns))

    def locate(self, loc: tuple[Any, ...], message: str) -> tuple[str, int | None, str | None]:
        best: tuple[tuple[Any, ...], Row, dict[tuple[Any, ...], str]] | None = None
        for path, row, columns in self.spans:
            if loc[: len(path)] == path and (best is None or len(path) > len(best[0])):
                best = (path, row, columns)
        if best is None:
            return self.sheet, None, None
        path, row, columns = best
        rest = loc[len(path) :]
        for size in (2, 1):
            if len(rest) >= size and rest[:size] in columns:
                return row.sheet, row.number, columns[rest[:size]]
        if () in columns:
            return row.sheet, row.number, columns[()]
        # A check across fields names the field it is about in its message.
        named = sorted(
            (c for c in set(columns.values()) if re.search(rf"\b{re.escape(c)}\b", message)),
            key=len,
            reverse=True,
        )
        return row.sheet, row.number, (named[0] if named else None)


def _validation_errors(
    exc: ValidationError, locator: _Locator, prefix: tuple[Any, ...] = ()
) -> list[CellError]:
    out = []
    for problem in exc.errors():
        loc = prefix + tuple(problem["loc"])
        sheet, row, column = locator.locate(loc, problem["msg"])
        out.append(
            CellError(
                sheet,
                row,
                column,
                message_zh(problem["type"], problem["msg"]),
                message_en(problem["type"], problem["msg"]),
            )
        )
    return out


def _pairs(sheet: Sheet) -> tuple[dict[str, tuple[str, Row]], list[CellError]]:
    """A key/value sheet (catalog, rules): each key once."""
    out: dict[str, tuple[str, Row]] = {}
    errors = []
    for row in sheet.rows:
        key = cell_text(row.values.get("key"))
        value = cell_text(row.values.get("value"))
        if key is None:
            errors.append(CellError(sheet.name, row.number, "key", "键为空", "key is blank"))
        elif key in out:
            errors.append(CellError(sheet.name, row.number, "key", "键重复", "key appears twice"))
        else:
            out[key] = (value or "", row)
    return out, errors


def _header(sheets: dict[str, Sheet]) -> tuple[CatalogHeader | None, list[CellError]]:
    locator = _Locator("catalog")
    pairs, errors = _pairs(sheets["catalog"])
    for key in pairs:
        if key not in ("version", "standard"):
            errors.append(
                CellError("catalog", pairs[key][1].number, "key", "不认识的键", "unknown")
            )
    data: dict[str, Any] = {}
    for key in ("version", "standard"):
        if key in pairs:
            data[key] = pairs[key][0]
            locator.add((key,), pairs[key][1], {(): "value"})
        else:
            errors.append(CellError("catalog", None, key, "缺少该键", f"key {key!r} missing"))
    areas: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for row in sheets["areas"].rows:
        v = row_values(row)
        area = {
            **_present({"code": v.get("code"), "clause": v.get("clause")}),
            "name": _localized(v, "name"),
            "items": [],
        }
        locator.add(("areas", len(areas)), row, _columns("code", "clause", name="name"))
        areas.append(area)
        by_code.setdefault(str(v.get("code")), area)
    for row in sheets["items"].rows:
        v = row_values(row)
        owner = by_code.get(str(v.get("area")))
        if owner is None:
            errors.append(
                CellError("items", row.number, "area", "能力域不在 areas 表中", "area not listed")
            )
            continue
        path = ("areas", areas.index(owner), "items", len(owner["items"]))
        locator.add(path, row, _columns("code", name="name"))
        owner["items"].append({**_present({"code": v.get("code")}), "name": _localized(v, "name")})
    levels: list[dict[str, Any]] = []
    by_level: dict[str, dict[str, Any]] = {}
    for row in sheets["levels"].rows:
        v = row_values(row)
        spec = {
            **_present({"level": v.get("level"), "clause": v.get("clause")}),
            "name": _localized(v, "name"),
            "characteristics": [],
        }
        locator.add(("levels", len(levels)), row, _columns("level", "clause", name="name"))
        levels.append(spec)
        by_level.setdefault(str(v.get("level")), spec)
    for row in sheets["characteristics"].rows:
        v = row_values(row)
        level_spec = by_level.get(str(v.get("level")))
        if level_spec is None:
            errors.append(
                CellError(
                    "characteristics", row.number, "level", "等级不在 levels 表中", "level unknown"
                )
            )
            continue
        path = (
            "levels",
            levels.index(level_spec),
            "characteristics",
            len(level_spec["characteristics"]),
        )
        locator.add(path, row, _columns("id", "must", text="text"))
        record = {**_present({"id": v.get("id")}), "text": _localized(v, "text")}
        if "must" in v:
            record["must"] = v["must"]
        level_spec["characteristics"].append(record)
    data |= {"areas": areas, "levels": levels}
    try:
        return CatalogHeader.model_validate(data), errors
    except ValidationError as exc:
        return None, errors + _validation_errors(exc, locator)


def _present(pairs: dict[str, Any]) -> dict[str, Any]:
    """Blank cells left out, so the model says "required" rather than "not a string"."""
    return {k: v for k, v in pairs.items() if v is not None}


def _localized(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    return _present({"zh": values.get(f"{prefix}_zh"), "en": values.get(f"{prefix}_en")})


def _columns(*plain: str, **localized: str) -> dict[tuple[Any, ...], str]:
    columns: dict[tuple[Any, ...], str] = {(key,): key for key in plain}
    for field_name, prefix in localized.items():
        columns[(field_name,)] = f"{prefix}_zh"
        columns[(field_name, "zh")] = f"{prefix}_zh"
        columns[(field_name, "en")] = f"{prefix}_en"
    return columns


# An indicator's plain fields, one column each, in the sheet's order (title and scoring follow).
_INDICATOR_FIELDS = (
    "id",
    "area",
    "item",
    "level",
    "requirement",
    "core",
    "weight",
    "na_allowed",
    "event",
    "basis",
    "basis_note",
    "clause",
    "characteristics",
    "see_also",
    "question",
    "question_en",
    "hints",
    "hints_en",
)
_INDICATOR_COLUMNS: dict[tuple[Any, ...], str] = {
    **_columns(*_INDICATOR_FIELDS, title="title"),
    **{("scoring", part): f"scoring_{part}" for part in SCORING},
    **{("scoring_en", part): f"scoring_en_{part}" for part in SCORING},
    ("scoring",): "scoring_met",
    ("scoring_en",): "scoring_en_met",
}
_EVIDENCE_COLUMNS: dict[tuple[Any, ...], str] = _columns(
    "kind", "class", "description", "min_count", "max_age_months", "operating_months"
)
_KIND_NAMES = {
    "制度文件": "policy",
    "规划/计划": "plan",
    "记录": "record",
    "报告": "report",
    "平台截图": "screenshot",
    "合同/协议": "contract",
    "证书/资质": "certificate",
    "台账/数据表": "ledger",
    "案例材料": "case",
    "访谈记录": "interview",
    "现场查看": "observation",
}


def _indicator(values: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {"title": _localized(values, "title")}
    for key in _INDICATOR_FIELDS:
        if key in values:
            record[key] = values[key]
    record["characteristics"] = values.get("characteristics", [])
    record["scoring"] = _present({part: values.get(f"scoring_{part}") for part in SCORING})
    english = _present({part: values.get(f"scoring_en_{part}") for part in SCORING})
    if english:
        record["scoring_en"] = english
    record["evidence"] = []
    return record


def _indicator_files(
    sheets: dict[str, Sheet], areas: Sequence[str]
) -> tuple[list[IndicatorFile], dict[str, Row], list[CellError]]:
    errors: list[CellError] = []
    files: dict[str, list[dict[str, Any]]] = {code: [] for code in areas}
    rows_by_id: dict[str, Row] = {}
    records: dict[str, tuple[str, int, dict[str, Any]]] = {}
    locators = {code: _Locator("indicators") for code in areas}
    for row in sheets["indicators"].rows:
        values = row_values(row)
        area = str(values.get("area"))
        if area not in files:
            errors.append(
                CellError("indicators", row.number, "area", "能力域不在 areas 表中", "unknown area")
            )
            continue
        record = _indicator(values)
        position = len(files[area])
        files[area].append(record)
        locators[area].add(("indicators", position), row, _INDICATOR_COLUMNS)
        ident = str(values.get("id"))
        if ident in rows_by_id:
            errors.append(CellError("indicators", row.number, "id", "编号重复", "id appears twice"))
            continue
        rows_by_id[ident] = row
        records[ident] = (area, position, record)
    errors += _attach_evidence(sheets["evidence"], records, locators)
    out = []
    for code, indicators in files.items():
        try:
            out.append(IndicatorFile.model_validate({"area": code, "indicators": indicators}))
        except ValidationError as exc:
            errors += _validation_errors(exc, locators[code])
    return out, rows_by_id, errors


def _attach_evidence(
    sheet: Sheet,
    records: dict[str, tuple[str, int, dict[str, Any]]],
    locators: dict[str, _Locator],
) -> list[CellError]:
    errors = []
    grouped: dict[str, list[tuple[Any, Row, dict[str, Any]]]] = {}
    for row in sheet.rows:
        values = row_values(row)
        ident = str(values.get("indicator_id"))
        if ident not in records:
            errors.append(
                CellError("evidence", row.number, "indicator_id", "指标不存在", "no such indicator")
            )
            continue
        kind = values.get("kind")
        if isinstance(kind, str):
            values["kind"] = _KIND_NAMES.get(kind, kind)
        grouped.setdefault(ident, []).append((values.get("position"), row, values))
    for ident, entries in grouped.items():
        positions = [p for p, _, _ in entries]
        expected = list(range(1, len(entries) + 1))
        if sorted(p for p in positions if isinstance(p, int)) != expected:
            for _, row, _ in entries:
                errors.append(
                    CellError(
                        "evidence",
                        row.number,
                        "position",
                        f"同一指标的序号应为 1 至 {len(entries)}，各一次",
                        f"positions of one indicator must be 1 to {len(entries)}, each once",
                    )
                )
            continue
        area, position, record = records[ident]
        for index, (_, row, values) in enumerate(sorted(entries, key=lambda e: e[0])):
            requirement = {
                key: values[key]
                for key in (
                    "kind",
                    "class",
                    "description",
                    "min_count",
                    "max_age_months",
                    "operating_months",
                )
                if key in values
            }
            record["evidence"].append(requirement)
            path = ("indicators", position, "evidence", index)
            locators[area].add(path, row, _EVIDENCE_COLUMNS)
    return errors


def _rules(sheet: Sheet) -> tuple[RuleSet | None, list[CellError]]:
    pairs, errors = _pairs(sheet)
    locator = _Locator("rules")
    for key, (_, row) in pairs.items():
        if key not in RULE_KEYS:
            errors.append(CellError("rules", row.number, "key", "不认识的键", "unknown key"))
    data: dict[str, Any] = {"scores": {}}
    for key in RULE_KEYS:
        if key not in pairs:
            if key != "level_thresholds":
                errors.append(CellError("rules", None, key, "缺少该键", f"key {key!r} missing"))
            continue
        value, row = pairs[key]
        if key.startswith("score_"):
            status = key.removeprefix("score_")
            data["scores"][status] = value
            locator.add(("scores", status), row, {(): "value"})
        elif key == "level_thresholds":
            parsed, problem = _level_thresholds(value)
            if problem:
                errors.append(CellError("rules", row.number, "value", *problem))
            data[key] = parsed
            locator.add((key,), row, {(): "value"})
        elif key == "core_pass_statuses":
            data[key] = [p for p in LIST_SPLIT.split(value) if p]
            locator.add((key,), row, {(): "value"})
        else:
            data[key] = value
            locator.add((key,), row, {(): "value"})
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        return None, errors + _validation_errors(exc, locator)
    digest = content_hash(rules.model_dump(mode="json", exclude={"content_hash"}))
    return rules.model_copy(update={"content_hash": digest}), errors


def _level_thresholds(value: str) -> tuple[dict[str, str], tuple[str, str] | None]:
    """``"5: 0.85; 4: 0.8"`` → ``{"5": "0.85", "4": "0.8"}``; blank or ``{}`` → none."""
    text = value.strip().strip("{}").strip()
    out: dict[str, str] = {}
    if not text:
        return out, None
    for part in re.split(r"[,，;；]", text):
        level, sep, threshold = part.partition(":")
        if not sep:
            level, sep, threshold = part.partition("：")
        if not sep or not level.strip() or not threshold.strip():
            return {}, ("应写作“等级: 门槛”，如 5: 0.85", "write level: threshold, e.g. 5: 0.85")
        out[level.strip()] = threshold.strip()
    return out, None


def read_workbook(data: bytes) -> tuple[Catalog, RuleSet]:
    """Validate a workbook with the catalog's strict models; raise ``WorkbookError`` if not."""
    sheets, errors = read_sheets(data)
    if errors:
        raise WorkbookError(errors)
    header, errors = _header(sheets)
    rules, rule_errors = _rules(sheets["rules"])
    errors += rule_errors
    codes = [area.code.value for area in header.areas] if header else []
    files, rows_by_id, indicator_errors = _indicator_files(sheets, codes)
    errors += indicator_errors
    if errors or header is None or rules is None:
        raise WorkbookError(errors)
    try:
        catalog = assemble_catalog(header, files, "workbook")
    except KnowledgeError as exc:
        raise WorkbookError([whole_workbook(str(exc), str(exc))]) from exc
    problems = reference_problems(catalog)
    if problems:
        raise WorkbookError(
            [
                CellError(
                    "indicators",
                    rows_by_id[p.indicator_id].number,
                    p.field,
                    p.text.split(" / ")[-1],
                    p.text.split(" / ")[0],
                )
                for p in problems
            ]
        )
    return catalog, rules


@dataclass(frozen=True)
class ImportResult:
    catalog: Catalog
    rules: RuleSet
    changed: tuple[str, ...]  # files (relative to the rules directory) whose text changes
    written: bool


def import_workbook(data: bytes, rules_dir: Path, *, dry_run: bool) -> ImportResult:
    """Validate, then (unless ``dry_run``) write every YAML file of ``rules_dir``."""
    catalog, rules = read_workbook(data)
    files = yaml_files(catalog, rules)
    changed = tuple(
        relative
        for relative, text in sorted(files.items())
        if not (rules_dir / relative).is_file()
        or (rules_dir / relative).read_text(encoding="utf-8") != text
    )
    if not dry_run and changed:
        write_rules_dir({k: v for k, v in files.items() if k in changed}, rules_dir)
    return ImportResult(catalog, rules, changed, written=not dry_run and bool(changed))
