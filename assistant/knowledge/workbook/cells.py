"""An untrusted .xlsx file into rows of cell values, within the layout's limits, with every
problem located (sheet, row, column) and told in zh and en."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from assistant.errors import KnowledgeError
from assistant.knowledge.workbook.layout import (
    BOOL,
    IDS,
    LINES,
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SCANNED,
    MAX_UNZIPPED,
    NUMBER,
    SCORING,
    SHEETS,
)

__all__ = [
    "LIST_SPLIT",
    "CellError",
    "Row",
    "Sheet",
    "WorkbookError",
    "cell_text",
    "message_en",
    "message_zh",
    "read_sheets",
    "row_values",
    "whole_workbook",
]

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
LIST_SPLIT = re.compile(r"[,，;；\s]+")
_TRUE = {"true", "是", "yes", "y", "1", "t"}
_FALSE = {"false", "否", "no", "n", "0", "f"}

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


def message_zh(kind: str, message: str) -> str:
    if kind == "value_error":
        text = message.removeprefix("Value error, ")
        return text.split(" / ", 1)[1] if " / " in text else text
    return _MESSAGES_ZH.get(kind, "取值无效")


def message_en(kind: str, message: str) -> str:
    text = message.removeprefix("Value error, ")
    return text.split(" / ", 1)[0] if kind == "value_error" else text


# --- reading cells -----------------------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]


@dataclass
class Sheet:
    name: str
    rows: list[Row] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_zip(data: bytes) -> list[CellError]:
    if len(data) > MAX_BYTES:
        return [
            whole_workbook(f"文件超过 {MAX_BYTES // 1048576} MB", f"file over {MAX_BYTES} bytes")
        ]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNZIPPED:
                return [whole_workbook("工作簿解压后过大", "workbook too large when unpacked")]
            for info in infos:  # Excel never writes a DTD: one here is an entity-expansion trap
                if info.filename.endswith((".xml", ".rels")) and _DTD.search(archive.read(info)):
                    return [
                        whole_workbook("工作簿含有不允许的 XML 声明", "workbook XML declares a DTD")
                    ]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return [whole_workbook("不是 .xlsx 工作簿", "not an .xlsx workbook")]
    return []


def whole_workbook(zh: str, en: str) -> CellError:
    return CellError("(workbook)", None, None, zh, en)


def read_sheets(data: bytes) -> tuple[dict[str, Sheet], list[CellError]]:
    errors = _check_zip(data)
    if errors:
        return {}, errors
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file
        return {}, [
            whole_workbook(f"无法读取工作簿（{type(exc).__name__}）", f"cannot read: {exc}")
        ]
    sheets: dict[str, Sheet] = {}
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


def _read_sheet(worksheet: Any, name: str, expected: list[str]) -> tuple[Sheet, list[CellError]]:
    errors: list[CellError] = []
    sheet = Sheet(name)
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
        if len(sheet.rows) >= MAX_ROWS or number > MAX_SCANNED:
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
        sheet.rows.append(Row(name, number, cells))
    return sheet, errors


_OPTIONAL_COLUMNS = frozenset(
    {"must", "event", "basis", "basis_note", "see_also", "question_en", "hints_en"}
    | {f"scoring_en_{part}" for part in SCORING}
    | {"min_count", "max_age_months", "operating_months"}
)


def cell_text(value: Any) -> str | None:
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
        return [part for part in LIST_SPLIT.split(str(cell_text(value))) if part]
    if kind == LINES:
        lines = str(value).replace("\r\n", "\n").split("\n")
        return [line.strip() for line in lines if line.strip()]
    return cell_text(value)


def _kinds(sheet: str) -> dict[str, str]:
    return dict(SHEETS[sheet])


def row_values(row: Row) -> dict[str, Any]:
    kinds = _kinds(row.sheet)
    out = {}
    for key, value in row.values.items():
        converted = _convert(value, kinds[key])
        if converted is not None:
            out[key] = converted
    return out
