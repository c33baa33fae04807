"""An XLSX's text: each sheet's name on a line, then its rows, cells joined by tabs; sheets
apart by a blank line.

openpyxl reads in read-only mode, at most ``MAX_SHEETS`` sheets, ``MAX_ROWS`` x
``MAX_COLUMNS`` of each and ``MAX_CELLS`` non-empty cells in all. Before it does, every
XML part is streamed once under the XML caps (DTDs refused), and each worksheet as far as
openpyxl will read it (it stops at a row numbered past ``MAX_ROWS``, and parses every cell
of a row it reads, however far right): the cells in those rows count against
``Limits.max_cells``. A sheet of a million tidy rows costs nothing; one row of a million
cells, or a 100 MB shared-strings table, is refused before openpyxl sees it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

from assistant.documents.extracted import Extracted
from assistant.documents.limits import Limits
from assistant.documents.refusal import DocumentRefused, corrupt, too_complex
from assistant.documents.xmlstream import parse_part, release

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "MAX_SHEETS", "xlsx_text"]

MAX_SHEETS = 50
MAX_ROWS = 5_000  # per sheet
MAX_COLUMNS = 100
MAX_CELLS = 200_000  # non-empty cells over the whole workbook
_XML_SUFFIXES = (".xml", ".rels")


def xlsx_text(
    archive: zipfile.ZipFile, data: bytes, limits: Limits, *, budget: int = MAX_CELLS
) -> Extracted:
    """The workbook's text; ``budget`` non-empty cells at most."""
    _scan(archive, limits)
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # no stubs installed

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it skips; silence only its own
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                text = "\n\n".join(_sheets(workbook.worksheets[:MAX_SHEETS], budget))
            finally:
                workbook.close()
    except MemoryError:  # the child answers that it ran out
        raise
    except Exception as exc:  # a parser fed hostile bytes can fail in any way
        raise corrupt("XLSX", exc) from exc
    return Extracted("xlsx", text)


# --- the scan --------------------------------------------------------------------------------


def _scan(archive: zipfile.ZipFile, limits: Limits) -> None:
    cells = 0
    for info in archive.infolist():
        name = info.filename
        if not name.lower().endswith(_XML_SUFFIXES):
            continue
        try:
            if name.startswith("xl/worksheets/") and name.count("/") == 2:
                cells += _scan_sheet(archive, name, limits, limits.max_cells - cells)
            else:
                for event, element in parse_part(archive, name, limits, kind="XLSX"):
                    if event == "end":
                        release(element)
        except (DocumentRefused, MemoryError):
            raise
        except Exception as exc:  # zlib, CRC, struct: a broken member
            raise corrupt("XLSX", exc) from exc


def _scan_sheet(archive: zipfile.ZipFile, part: str, limits: Limits, cells_left: int) -> int:
    """The cells openpyxl would parse in ``part``; refused past ``cells_left``."""
    cells = row = 0
    events = parse_part(archive, part, limits, kind="XLSX", whole=False)
    for event, element in events:
        if event == "start":
            if str(element.tag).endswith("}row"):
                row = _row_number(element.get("r"), row)
                if row > MAX_ROWS:  # openpyxl stops here
                    break
            continue
        tag = str(element.tag)
        if tag.endswith("}c"):
            cells += 1
            if cells > cells_left:
                raise too_complex(
                    f"工作表中的单元格超过 {limits.max_cells} 个",
                    f"the sheets hold over {limits.max_cells} cells in the rows read",
                )
            release(element)
        elif tag.endswith("}row"):
            release(element)
    events.close()
    return cells


def _row_number(value: str | None, previous: int) -> int:
    """As openpyxl numbers rows: ``r`` when given, else one after the previous row."""
    if value is None:
        return previous + 1
    try:
        return int(value)
    except ValueError:
        return int(float(value))


# --- the text --------------------------------------------------------------------------------


def _sheets(sheets: Iterable[Any], budget: int) -> Iterator[str]:
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
