"""The SQL of the shared index stamp, each function run inside the caller's transaction.

The bump is one upsert that adds one to the stored version, so two workers reindexing at once
get two different versions (PostgreSQL makes the second wait for the first; SQLite serialises
writers with ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from assistant.storage.base import IndexStamp
from assistant.storage.tables import index_stamps

__all__ = ["RETRIEVAL", "bump_index_stamp", "read_index_stamp"]

RETRIEVAL = "retrieval"  # the row of the retrieval index


def read_index_stamp(conn: Connection, name: str = RETRIEVAL) -> IndexStamp | None:
    query = sa.select(index_stamps.c.version, index_stamps.c.content_hash, index_stamps.c.at)
    row = conn.execute(query.where(index_stamps.c.name == name)).first()
    return None if row is None else IndexStamp.model_validate(dict(row._mapping))


def bump_index_stamp(
    conn: Connection, content_hash: str, at: datetime, name: str = RETRIEVAL
) -> IndexStamp:
    insert: Any = (sqlite if conn.dialect.name == "sqlite" else postgresql).insert(index_stamps)
    statement = insert.values(name=name, version=1, content_hash=content_hash, at=at)
    upsert = statement.on_conflict_do_update(
        index_elements=["name"],
        set_={"version": index_stamps.c.version + 1, "content_hash": content_hash, "at": at},
    ).returning(index_stamps.c.version, index_stamps.c.content_hash, index_stamps.c.at)
    row = conn.execute(upsert).one()
    return IndexStamp.model_validate(dict(row._mapping))
