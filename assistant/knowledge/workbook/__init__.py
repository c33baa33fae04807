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

Modules: ``layout`` (sheets, columns, limits), ``cells`` (an untrusted file into rows, located
errors), ``reading`` (rows into the catalog's models; the YAML import), ``writing`` (the export).
"""

from assistant.knowledge.workbook.cells import CellError, WorkbookError
from assistant.knowledge.workbook.layout import (
    MAX_BYTES,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    SHEETS,
)
from assistant.knowledge.workbook.reading import ImportResult, import_workbook, read_workbook
from assistant.knowledge.workbook.writing import export_workbook

__all__ = [
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "SHEETS",
    "CellError",
    "ImportResult",
    "WorkbookError",
    "export_workbook",
    "import_workbook",
    "read_workbook",
]
