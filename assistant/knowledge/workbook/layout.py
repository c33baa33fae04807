"""Sheets, their columns and the kind of each column, and the limits a workbook must keep;
shared by the reader and the writer."""

from __future__ import annotations

__all__ = [
    "BOOL",
    "IDS",
    "LINES",
    "MAX_BYTES",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_SCANNED",
    "MAX_UNZIPPED",
    "NUMBER",
    "RULE_KEYS",
    "SCORING",
    "SHEETS",
    "TEXT",
]

MAX_BYTES = 10 * 1024 * 1024  # the workbook file
MAX_UNZIPPED = 50 * 1024 * 1024  # its parts, uncompressed (a zip bomb stops here)
MAX_ROWS = 5000  # per sheet
MAX_COLUMNS = 60  # per sheet
MAX_CELL_CHARS = 10000  # per cell
MAX_SCANNED = 20 * MAX_ROWS  # rows read, blank ones included

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
RULE_KEYS = (
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
SCORING = ("met", "largely", "partly", "sample")
