"""Every table of the session store as JSON lines, and back, through SQLAlchemy Core.

The rows are read and written with the store's own column types, so a timestamp stays UTC
and a JSON document keeps its keys in their order; dates and timestamps become ISO 8601
text in the lines. Serial keys (the audit trail, the ratings) keep their numbers, and
PostgreSQL's sequences are moved past them after a restore.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.backup.manifest import backup_error
from assistant.storage.tables import UtcDateTime, metadata, schema_version

__all__ = ["BACKED_UP", "check_table", "count_rows", "dump_table", "load_table", "reset_sequences"]

# Every table but the schema version, which the target's own schema sets; parents first.
BACKED_UP: tuple[sa.Table, ...] = tuple(
    t for t in metadata.sorted_tables if t is not schema_version
)
_BATCH = 500


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UtcDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, sa.Date):
        return date.fromisoformat(value)
    return value


def dump_table(conn: Connection, table: sa.Table, path: Path) -> int:
    """Write every row of ``table`` to ``path``, in primary-key order; returns how many."""
    columns = list(table.columns)
    query = sa.select(table).order_by(*table.primary_key.columns)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for row in conn.execute(query):
            values = {c.name: _encode(v) for c, v in zip(columns, row, strict=True)}
            out.write(json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n")
            count += 1
    return count


def load_table(conn: Connection, table: sa.Table, path: Path) -> int:
    """Insert the rows of ``path`` into ``table``; returns how many."""
    count = 0
    for batch in _batches(_rows(table, path)):
        conn.execute(sa.insert(table), batch)
        count += len(batch)
    return count


def check_table(table: sa.Table, path: Path) -> int:
    """How many rows ``path`` holds, each read as ``load_table`` would (``BackupError`` for
    one that does not fit the table)."""
    return sum(1 for _ in _rows(table, path))


def _rows(table: sa.Table, path: Path) -> Iterator[dict[str, Any]]:
    names = {c.name for c in table.columns}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            data = _parse(line)
            if not isinstance(data, dict) or set(data) != names:
                raise _bad_row(table, number)
            try:
                yield {c.name: _decode(c, data[c.name]) for c in table.columns}
            except (TypeError, ValueError):
                raise _bad_row(table, number) from None


def _bad_row(table: sa.Table, number: int) -> Exception:
    return backup_error(
        f"备份中表 {table.name!r} 第 {number} 行与本程序的列不符，未写入任何数据。",
        f"Row {number} of table {table.name!r} in the backup does not fit this program's "
        "columns; nothing was written.",
    )


def _parse(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def count_rows(conn: Connection, tables: Iterable[sa.Table] = BACKED_UP) -> dict[str, int]:
    """Rows per table (only the tables that have some)."""
    counts = {t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0 for t in tables}
    return {name: n for name, n in counts.items() if n}


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: the next serial number follows the largest restored one (SQLite picks
    ``max + 1`` by itself)."""
    if conn.dialect.name != "postgresql":
        return
    for table in BACKED_UP:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
            ),
            {"table": table.name, "column": column.name},
        )
