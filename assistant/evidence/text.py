"""Text out of an accepted upload, for describing it and linking it to indicators.

PDF and DOCX go through the knowledge extractor (:mod:`assistant.knowledge.extract`), which
already refuses hostile files; a scanned PDF is kept with the little text it has, since a
scanned contract or certificate is good evidence. XLSX is read with openpyxl in read-only
mode, with caps on sheets, rows and columns so that a sheet claiming a million rows costs
nothing. Text is UTF-8 or GB18030. Images have no text (no OCR).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from assistant.evidence.formats import IMAGE_FORMATS, FileFormat, RejectReason, rejected
from assistant.knowledge.extract import DocumentRefused, read_docx, read_pdf

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SHEETS",
    "DocumentText",
    "decode_text",
    "document_text",
    "xlsx_text",
]

MAX_SHEETS = 50
MAX_ROWS = 5_000  # per sheet
MAX_COLUMNS = 100
MAX_CELLS = 200_000  # non-empty cells over the whole workbook
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class DocumentText:
    text: str
    title: str | None = None  # the title the file declares (PDF/DOCX properties, heading)


def document_text(data: bytes, fmt: FileFormat, *, label: str, max_unpacked: int) -> DocumentText:
    """The text of ``data`` read as ``fmt``; ``EvidenceRejected`` when it cannot be read."""
    if fmt in IMAGE_FORMATS:
        return DocumentText("")
    if fmt == "xlsx":
        return DocumentText(xlsx_text(data, label=label))
    if fmt in ("text", "markdown"):
        text = decode_text(data)
        if text is None:
            raise rejected(
                RejectReason.UNSUPPORTED_TYPE,
                label,
                "不是可读的文本（应为 UTF-8 或 GB18030 编码）",
                "not readable text (expected UTF-8 or GB18030)",
            )
        return DocumentText(text)
    try:
        if fmt == "pdf":
            extracted = read_pdf(data, label, require_text_layer=False)
        else:
            extracted = read_docx(data, label, max_unpacked=max_unpacked)
    except DocumentRefused as exc:
        raise rejected(_reason(exc.reason), label, exc.zh, exc.en) from exc
    return DocumentText(extracted.text, extracted.title)


def _reason(code: str) -> RejectReason:
    try:
        return RejectReason(code)
    except ValueError:  # a code the intake does not refuse for (no_text) cannot come here
        return RejectReason.CORRUPT


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM), else GB18030, line endings normalised; None if neither."""
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return None


# --- XLSX ------------------------------------------------------------------------------------


def xlsx_text(data: bytes, *, label: str) -> str:
    """Each sheet's name on a line, then its rows, cells joined by tabs; sheets apart by a blank
    line. Reads at most ``MAX_SHEETS`` sheets, ``MAX_ROWS`` x ``MAX_COLUMNS`` of each and
    ``MAX_CELLS`` non-empty cells in all."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs installed

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it skips; silence only its own
            # warnings (catch_warnings is process-wide: keep what a concurrent call may leak small)
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return "\n\n".join(_sheets(workbook.worksheets[:MAX_SHEETS]))
            finally:
                workbook.close()
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        raise rejected(
            RejectReason.CORRUPT,
            label,
            f"XLSX 文件已损坏或无法解析（{type(exc).__name__}）",
            f"corrupt or unreadable XLSX file ({type(exc).__name__}: {exc})",
        ) from exc


def _sheets(sheets: Iterable[Any]) -> Iterator[str]:
    budget = MAX_CELLS
    for sheet in sheets:
        lines = [str(sheet.title)]
        rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)
        for row in rows:
            cells = [_cell(value) for value in row]
            while cells and not cells[-1]:
                cells.pop()
            budget -= sum(1 for cell in cells if cell)
            if budget < 0:
                break
            if cells:
                lines.append("\t".join(cells))
        yield "\n".join(lines)
        if budget < 0:
            return


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())
