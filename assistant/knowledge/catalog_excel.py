"""The catalog as an Excel/WPS workbook, and back: the operator's way to own the instrument.

``export_workbook`` writes one sheet per record type (README, catalog, areas, items, levels,
characteristics, indicators, evidence, rules); ``read_workbook`` reads such a workbook, an
untrusted file, within fixed limits, into the SAME strict models the YAML loader uses, and
reports every problem with its sheet, row, column and reason (zh and en). ``import_workbook``
writes the YAML files (canonical layout, ``yaml_writer``) only when the whole workbook is valid.

Conventions (also on the README sheet): row 1 holds the column keys, one record a row, blank
rows are skipped, columns may be reordered. List fields: ``hints``/``hints_en`` one item a line
(Alt+Enter in the cell); id lists (``characteristics``, ``see_also``, ``core_pass_statuses``)
separated by commas, semicolons or spaces. Booleans: TRUE/FALSE, true/false or 是/否.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from pydantic import ValidationError

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import assemble_catalog, content_hash, reference_problems
from assistant.knowledge.schema import (
    Catalog,
    CatalogHeader,
    EvidenceKind,
    FindingStatus,
    IndicatorFile,
    RuleSet,
)
from assistant.knowledge.yaml_writer import write_rules_dir, yaml_files

__all__ = [
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "CellError",
    "ImportResult",
    "WorkbookError",
    "export_workbook",
    "import_workbook",
    "read_workbook",
]

MAX_BYTES = 10 * 1024 * 1024  # the workbook file
MAX_UNZIPPED = 50 * 1024 * 1024  # its parts, uncompressed (a zip bomb stops here)
MAX_ROWS = 5000  # per sheet
MAX_COLUMNS = 60  # per sheet
MAX_CELL_CHARS = 10000  # per cell
_MAX_SCANNED = 20 * MAX_ROWS  # rows read, blank ones included

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[,，;；\s]+")
_TRUE = {"true", "是", "yes", "y", "1", "t"}
_FALSE = {"false", "否", "no", "n", "0", "f"}

# Column kinds: how a cell becomes a model value.
TEXT, BOOL, NUMBER, IDS, LINES = "text", "bool", "number", "ids", "lines"

SHEETS: dict[str, tuple[tuple[str, str], ...]] = {
    "catalog": (("key", TEXT), ("value", TEXT)),
    "areas": (("code", TEXT), ("name_zh", TEXT), ("name_en", TEXT), ("clause", TEXT)),
    "items": (("area", TEXT), ("code", TEXT), ("name_zh", TEXT), ("name_en", TEXT)),
    "levels": (("level", NUMBER), ("name_zh", TEXT), ("name_en", TEXT), ("clause", TEXT)),
    "characteristics": (
        ("level", NUMBER),
        ("id", TEXT),
        ("text_zh", TEXT),
        ("text_en", TEXT),
        ("must", BOOL),
    ),
    "indicators": (
        ("id", TEXT),
        ("area", TEXT),
        ("item", TEXT),
        ("level", NUMBER),
        ("title_zh", TEXT),
        ("title_en", TEXT),
        ("requirement", TEXT),
        ("core", BOOL),
        ("weight", NUMBER),
        ("na_allowed", BOOL),
        ("event", BOOL),
        ("basis", TEXT),
        ("basis_note", TEXT),
        ("clause", TEXT),
        ("characteristics", IDS),
        ("see_also", IDS),
        ("question", TEXT),
        ("question_en", TEXT),
        ("hints", LINES),
        ("hints_en", LINES),
        ("scoring_met", TEXT),
        ("scoring_largely", TEXT),
        ("scoring_partly", TEXT),
        ("scoring_sample", TEXT),
        ("scoring_en_met", TEXT),
        ("scoring_en_largely", TEXT),
        ("scoring_en_partly", TEXT),
        ("scoring_en_sample", TEXT),
    ),
    "evidence": (
        ("indicator_id", TEXT),
        ("position", NUMBER),
        ("kind", TEXT),
        ("class", TEXT),
        ("description", TEXT),
        ("min_count", NUMBER),
        ("max_age_months", NUMBER),
        ("operating_months", NUMBER),
    ),
    "rules": (("key", TEXT), ("value", TEXT)),
}
_RULE_KEYS = (
    "version",
    "threshold",
    "level_thresholds",
    "score_met",
    "score_largely_met",
    "score_partly_met",
    "score_not_met",
    "core_pass_statuses",
    "evidence_cap",
)
_SCORING = ("met", "largely", "partly", "sample")


# --- errors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None  # 1-based, as the spreadsheet shows it; None: the sheet as a whole
    column: str | None  # the column key; None: the row as a whole
    zh: str
    en: str

    def __str__(self) -> str:
        where_zh = f"工作表 {self.sheet}"
        where_en = f"sheet {self.sheet!r}"
        if self.row is not None:
            where_zh += f" 第 {self.row} 行"
            where_en += f", row {self.row}"
        if self.column is not None:
            where_zh += f" 列 {self.column}"
            where_en += f", column {self.column!r}"
        return f"{where_zh}：{self.zh} / {where_en}: {self.en}"


class WorkbookError(KnowledgeError):
    """The workbook is not valid; nothing was written."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = tuple(errors)
        shown = "\n".join(str(e) for e in self.errors[:200])
        more = len(self.errors) - 200
        if more > 0:
            shown += f"\n……另有 {more} 处错误 / {more} more errors"
        super().__init__(shown)


_MESSAGES_ZH = {
    "missing": "必填项为空",
    "string_too_short": "不能为空",
    "too_short": "至少需要一项",
    "bool_parsing": "应为 是/否（TRUE/FALSE）",
    "bool_type": "应为 是/否（TRUE/FALSE）",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为文字",
}


def _zh(kind: str, message: str) -> str:
    if kind == "value_error":
        text = message.removeprefix("Value error, ")
        return text.split(" / ", 1)[1] if " / " in text else text
    return _MESSAGES_ZH.get(kind, "取值无效")


def _en(kind: str, message: str) -> str:
    text = message.removeprefix("Value error, ")
    return text.split(" / ", 1)[0] if kind == "value_error" else text


# --- reading cells -----------------------------------------------------------------------------


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, Any]


@dataclass
class _Sheet:
    name: str
    rows: list[_Row] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_zip(data: bytes) -> list[CellError]:
    if len(data) > MAX_BYTES:
        return [_whole(f"文件超过 {MAX_BYTES // 1048576} MB", f"file over {MAX_BYTES} bytes")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNZIPPED:
                return [_whole("工作簿解压后过大", "workbook too large when unpacked")]
            for info in infos:  # Excel never writes a DTD: one here is an entity-expansion trap
                if info.filename.endswith((".xml", ".rels")) and _DTD.search(archive.read(info)):
                    return [_whole("工作簿含有不允许的 XML 声明", "workbook XML declares a DTD")]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return [_whole("不是 .xlsx 工作簿", "not an .xlsx workbook")]
    return []


def _whole(zh: str, en: str) -> CellError:
    return CellError("(workbook)", None, None, zh, en)


def _read_sheets(data: bytes) -> tuple[dict[str, _Sheet], list[CellError]]:
    errors = _check_zip(data)
    if errors:
        return {}, errors
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file
        return {}, [_whole(f"无法读取工作簿（{type(exc).__name__}）", f"cannot read: {exc}")]
    sheets: dict[str, _Sheet] = {}
    try:
        for name, columns in SHEETS.items():
            if name not in book.sheetnames:
                errors.append(CellError(name, None, None, "缺少该工作表", "sheet missing"))
                continue
            sheet, problems = _read_sheet(book[name], name, [c for c, _ in columns])
            sheets[name] = sheet
            errors += problems
    finally:
        book.close()
    return sheets, errors


def _read_sheet(worksheet: Any, name: str, expected: list[str]) -> tuple[_Sheet, list[CellError]]:
    errors: list[CellError] = []
    sheet = _Sheet(name)
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    header_row = next(rows, None)
    header = [str(v).strip() if not _blank(v) else "" for v in (header_row or ())]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        errors.append(CellError(name, 1, None, "列数过多", f"more than {MAX_COLUMNS} columns"))
        return sheet, errors
    for index, key in enumerate(header):
        if key and key not in expected:
            errors.append(CellError(name, 1, key, "不认识的列", "unknown column"))
        if key and header.index(key) != index:
            errors.append(CellError(name, 1, key, "列重复", "column appears twice"))
    for key in expected:
        if key not in header and key not in _OPTIONAL_COLUMNS:
            errors.append(CellError(name, 1, key, "缺少该列", "column missing"))
    if errors:
        return sheet, errors
    for number, values in enumerate(rows, start=2):
        if len(sheet.rows) >= MAX_ROWS or number > _MAX_SCANNED:
            errors.append(CellError(name, number, None, "行数过多", f"over {MAX_ROWS} rows"))
            break
        cells = {key: values[i] for i, key in enumerate(header) if key and i < len(values)}
        extra = [v for i, v in enumerate(values) if i >= len(header) and not _blank(v)]
        if extra:
            errors.append(
                CellError(name, number, None, "表头以外的列有内容", "a cell past the header")
            )
        if all(_blank(v) for v in cells.values()):
            continue
        for key, value in cells.items():
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                errors.append(
                    CellError(name, number, key, "单元格文字过长", f"over {MAX_CELL_CHARS} chars")
                )
        sheet.rows.append(_Row(name, number, cells))
    return sheet, errors


_OPTIONAL_COLUMNS = frozenset(
    {"must", "event", "basis", "basis_note", "see_also", "question_en", "hints_en"}
    | {f"scoring_en_{part}" for part in _SCORING}
    | {"min_count", "max_age_months", "operating_months"}
)


def _text(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # "6.1" stays "6.1"; a whole number typed in a cell is an int
    return str(value).strip()


def _convert(value: Any, kind: str) -> Any:
    """A cell's value as the model expects it; ``None`` when blank (the field is left out)."""
    if _blank(value):
        return None
    if kind == BOOL:
        word = str(value).strip().lower() if not isinstance(value, bool) else None
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        return value
    if kind == NUMBER:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value.strip() if isinstance(value, str) else value
    if kind == IDS:
        return [part for part in _LIST_SPLIT.split(str(_text(value))) if part]
    if kind == LINES:
        lines = str(value).replace("\r\n", "\n").split("\n")
        return [line.strip() for line in lines if line.strip()]
    return _text(value)


def _kinds(sheet: str) -> dict[str, str]:
    return dict(SHEETS[sheet])


def _values(row: _Row) -> dict[str, Any]:
    kinds = _kinds(row.sheet)
    out = {}
    for key, value in row.values.items():
        converted = _convert(value, kinds[key])
        if converted is not None:
            out[key] = converted
    return out


# --- building the models, with every error located ------------------------------------------


@dataclass
class _Locator:
    """Maps a pydantic error location to the sheet, row and column it came from."""

    sheet: str  # where an error that no row explains is reported
    spans: list[tuple[tuple[Any, ...], _Row, dict[tuple[Any, ...], str]]] = field(
        default_factory=list
    )

    def add(self, path: tuple[Any, ...], row: _Row, columns: dict[tuple[Any, ...], str]) -> None:
        self.spans.append((path, row, columns))

    def locate(self, loc: tuple[Any, ...], message: str) -> tuple[str, int | None, str | None]:
        best: tuple[tuple[Any, ...], _Row, dict[tuple[Any, ...], str]] | None = None
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
                _zh(problem["type"], problem["msg"]),
                _en(problem["type"], problem["msg"]),
            )
        )
    return out


def _pairs(sheet: _Sheet) -> tuple[dict[str, tuple[str, _Row]], list[CellError]]:
    """A key/value sheet (catalog, rules): each key once."""
    out: dict[str, tuple[str, _Row]] = {}
    errors = []
    for row in sheet.rows:
        key = _text(row.values.get("key"))
        value = _text(row.values.get("value"))
        if key is None:
            errors.append(CellError(sheet.name, row.number, "key", "键为空", "key is blank"))
        elif key in out:
            errors.append(CellError(sheet.name, row.number, "key", "键重复", "key appears twice"))
        else:
            out[key] = (value or "", row)
    return out, errors


def _header(sheets: dict[str, _Sheet]) -> tuple[CatalogHeader | None, list[CellError]]:
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
        v = _values(row)
        area = {
            **_present({"code": v.get("code"), "clause": v.get("clause")}),
            "name": _localized(v, "name"),
            "items": [],
        }
        locator.add(("areas", len(areas)), row, _columns("code", "clause", name="name"))
        areas.append(area)
        by_code.setdefault(str(v.get("code")), area)
    for row in sheets["items"].rows:
        v = _values(row)
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
        v = _values(row)
        spec = {
            **_present({"level": v.get("level"), "clause": v.get("clause")}),
            "name": _localized(v, "name"),
            "characteristics": [],
        }
        locator.add(("levels", len(levels)), row, _columns("level", "clause", name="name"))
        levels.append(spec)
        by_level.setdefault(str(v.get("level")), spec)
    for row in sheets["characteristics"].rows:
        v = _values(row)
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
    **{("scoring", part): f"scoring_{part}" for part in _SCORING},
    **{("scoring_en", part): f"scoring_en_{part}" for part in _SCORING},
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
    record["scoring"] = _present({part: values.get(f"scoring_{part}") for part in _SCORING})
    english = _present({part: values.get(f"scoring_en_{part}") for part in _SCORING})
    if english:
        record["scoring_en"] = english
    record["evidence"] = []
    return record


def _indicator_files(
    sheets: dict[str, _Sheet], areas: Sequence[str]
) -> tuple[list[IndicatorFile], dict[str, _Row], list[CellError]]:
    errors: list[CellError] = []
    files: dict[str, list[dict[str, Any]]] = {code: [] for code in areas}
    rows_by_id: dict[str, _Row] = {}
    records: dict[str, tuple[str, int, dict[str, Any]]] = {}
    locators = {code: _Locator("indicators") for code in areas}
    for row in sheets["indicators"].rows:
        values = _values(row)
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
    sheet: _Sheet,
    records: dict[str, tuple[str, int, dict[str, Any]]],
    locators: dict[str, _Locator],
) -> list[CellError]:
    errors = []
    grouped: dict[str, list[tuple[Any, _Row, dict[str, Any]]]] = {}
    for row in sheet.rows:
        values = _values(row)
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


def _rules(sheet: _Sheet) -> tuple[RuleSet | None, list[CellError]]:
    pairs, errors = _pairs(sheet)
    locator = _Locator("rules")
    for key, (_, row) in pairs.items():
        if key not in _RULE_KEYS:
            errors.append(CellError("rules", row.number, "key", "不认识的键", "unknown key"))
    data: dict[str, Any] = {"scores": {}}
    for key in _RULE_KEYS:
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
            data[key] = [p for p in _LIST_SPLIT.split(value) if p]
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
    sheets, errors = _read_sheets(data)
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
        raise WorkbookError([_whole(str(exc), str(exc))]) from exc
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


# --- writing -----------------------------------------------------------------------------------

_README: tuple[tuple[str, str], ...] = (
    ("指标目录工作簿", "Catalog workbook"),
    (
        "本工作簿由 smecmm catalog export 导出，包含评估指标目录和评级规则的全部内容。",
        "Exported by `smecmm catalog export`: the whole indicator catalog and rating rules.",
    ),
    (
        "修改后用 smecmm catalog import 文件.xlsx --dry-run 检查，无误后去掉 --dry-run 导入。",
        "After editing, check with `smecmm catalog import FILE.xlsx --dry-run`, then import.",
    ),
    (
        "整个工作簿全部通过校验才会写入；任何错误都会列出工作表、行、列和原因，且不写入任何文件。",
        "Nothing is written unless the whole workbook is valid; each error names sheet, row, "
        "column and reason.",
    ),
    (
        "第 1 行是列名（不要改名），每行一条记录，空行忽略，列的先后可以调整。",
        "Row 1 holds the column keys (keep them); one record a row; blank rows are skipped; "
        "columns may be reordered.",
    ),
    (
        "列表字段：hints、hints_en 每行一条（单元格内 Alt+Enter 换行）；characteristics、"
        "see_also、core_pass_statuses 用逗号、分号或空格分隔。",
        "List fields: hints and hints_en one item a line (Alt+Enter in the cell); "
        "characteristics, see_also and core_pass_statuses separated by commas, semicolons or "
        "spaces.",
    ),
    (
        "是/否字段可填 TRUE/FALSE、true/false 或 是/否。",
        "Booleans: TRUE/FALSE, true/false or 是/否.",
    ),
    (
        "工作表：catalog（版本、标准号）、areas（能力域）、items（能力项）、levels（等级）、"
        "characteristics（等级特征，must 为该等级必须具备、须有核心指标覆盖）、indicators（指标，"
        "每行一条）、evidence（证据要求，按指标编号和序号 position 排列）、rules（评级规则参数）。",
        "Sheets: catalog (version, standard), areas, items, levels, characteristics (must: the "
        "level requires it and a core indicator covers it), indicators (one a row), evidence "
        "(requirements, keyed by indicator id and position), rules (rating parameters).",
    ),
    (
        "证据类型 kind：policy 制度文件、plan 规划/计划、record 记录、report 报告、screenshot 平台"
        "截图、contract 合同/协议、certificate 证书/资质、ledger 台账/数据表、case 案例材料、"
        "interview 访谈记录、observation 现场查看（后两类只能由评估人员确认）。",
        "Evidence kinds: policy, plan, record, report, screenshot, contract, certificate, ledger, "
        "case, interview, observation (the last two only through an assessor's confirmation).",
    ),
    (
        "证据规则：直接证据中记录、台账、报告、截图、案例、计划须填 max_age_months；"
        "制度、证书、合同在有效期内有效，不填时效；operating_months 只能用于记录、台账、报告；"
        "荣誉只作间接证据。",
        "Evidence rules: a direct record, ledger, report, screenshot, case or plan needs "
        "max_age_months; policies, certificates and contracts count while in force (no maximum "
        "age); operating_months only on records, ledgers and reports; honours are indirect only.",
    ),
    (
        "依据 basis：notice 为公开通知所述；practice 为本项目的做法，须在 basis_note 写明理由。",
        "basis: notice (stated by the public notice) or practice (the project's own reading, "
        "with its reason in basis_note).",
    ),
    (
        "版本：修改任何内容后请在 catalog 表（及改了规则时在 rules 表）更新版本号。",
        "Versions: after any change, raise the version on the catalog sheet (and on the rules "
        "sheet when a rule changed).",
    ),
)


def _sheet(book: Workbook, name: str) -> Any:
    sheet = book.create_sheet(name)
    keys = [key for key, _ in SHEETS[name]]
    sheet.append(keys)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _choice(sheet: Any, column: str, options: Sequence[str]) -> None:
    keys = [key for key, _ in SHEETS[sheet.title]]
    letter = get_column_letter(keys.index(column) + 1)
    rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
    rule.add(f"{letter}2:{letter}{MAX_ROWS}")
    sheet.add_data_validation(rule)


def _rows(catalog: Catalog, rules: RuleSet) -> Iterator[tuple[str, list[Any]]]:
    yield "catalog", ["version", catalog.version]
    yield "catalog", ["standard", catalog.standard]
    for area in catalog.areas:
        yield "areas", [area.code.value, area.name.zh, area.name.en, area.clause]
        for item in area.items:
            yield "items", [area.code.value, item.code, item.name.zh, item.name.en]
    for spec in catalog.levels:
        yield "levels", [int(spec.level), spec.name.zh, spec.name.en, spec.clause]
        for c in spec.characteristics:
            yield "characteristics", [int(spec.level), c.id, c.text.zh, c.text.en, c.must]
    for i in catalog.indicators:
        english = i.scoring_en
        yield (
            "indicators",
            [
                i.id,
                i.area.value,
                i.item,
                int(i.level),
                i.title.zh,
                i.title.en,
                i.requirement,
                i.core,
                float(i.weight),
                i.na_allowed,
                i.event,
                i.basis,
                i.basis_note,
                i.clause,
                ", ".join(i.characteristics),
                ", ".join(i.see_also) or None,
                i.question,
                i.question_en,
                "\n".join(i.hints) or None,
                "\n".join(i.hints_en) or None,
                *(getattr(i.scoring, part) for part in _SCORING),
                *((getattr(english, part) if english else None) for part in _SCORING),
            ],
        )
        for position, r in enumerate(i.evidence, start=1):
            yield (
                "evidence",
                [
                    i.id,
                    position,
                    r.kind.value,
                    r.evidence_class.value,
                    r.description,
                    r.min_count,
                    r.max_age_months,
                    r.operating_months,
                ],
            )
    yield "rules", ["version", rules.version]
    yield "rules", ["threshold", rules.threshold]
    overrides = "; ".join(f"{int(k)}: {v!r}" for k, v in sorted(rules.level_thresholds.items()))
    yield "rules", ["level_thresholds", overrides or None]
    for status in FindingStatus:
        if status in rules.scores:
            yield "rules", [f"score_{status.value}", rules.scores[status]]
    passing = [s.value for s in FindingStatus if s in rules.core_pass_statuses]
    yield "rules", ["core_pass_statuses", ", ".join(passing)]
    yield "rules", ["evidence_cap", rules.evidence_cap.value]


_WIDE = {"requirement", "question", "question_en", "hints", "hints_en", "description", "value"}
_WIDE |= {"basis_note", *(f"scoring_{p}" for p in _SCORING)}


def export_workbook(catalog: Catalog, rules: RuleSet) -> bytes:
    """The catalog and rules as an .xlsx workbook (the README sheet first)."""
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    readme.append(["中文", "English"])
    for zh, en in _README:
        readme.append([zh, en])
    readme.column_dimensions["A"].width = 90
    readme.column_dimensions["B"].width = 90
    for row in readme.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheets = {name: _sheet(book, name) for name in SHEETS}
    for name, values in _rows(catalog, rules):
        sheets[name].append(values)
    for name, sheet in sheets.items():
        for index, (key, _) in enumerate(SHEETS[name]):
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].width = 48 if key in _WIDE else 14
    booleans = ["TRUE", "FALSE"]
    for column in ("core", "na_allowed", "event"):
        _choice(sheets["indicators"], column, booleans)
    _choice(sheets["characteristics"], "must", booleans)
    _choice(sheets["indicators"], "basis", ["notice", "practice"])
    _choice(sheets["evidence"], "kind", [k.value for k in EvidenceKind])
    _choice(sheets["evidence"], "class", ["direct", "indirect"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
