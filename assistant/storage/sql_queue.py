"""The SQL of session summaries: the assessor queue (``query_sessions``), the dashboard's
stream of every summary, and the columns that ``list_sessions`` and ``prunable`` read.

A summary's sign-off columns come from the session's live sign-off (its latest version, not
reopened), found through the signoffs primary key. The queue's filters are all SQL, so a page
reads only its own rows; a text search is a LIKE with its wildcards escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.assessment.models import SessionQuery
from assistant.storage import rows
from assistant.storage.base import SessionSummary
from assistant.storage.tables import sessions, signoffs

__all__ = [
    "PAGE",
    "SESSION_COLUMNS",
    "iterate",
    "query_sessions",
    "summary_page",
    "summary_select",
]

PAGE = 500  # summaries per statement of ``all_summaries``
_LIKE_ESCAPE = "!"  # not a backslash: PostgreSQL and SQLite read that one differently

# The summary's columns that the sessions row holds (the sign-off ones come from signoffs).
SESSION_COLUMNS: tuple[sa.ColumnElement[Any], ...] = tuple(
    sessions.c[name] for name in SessionSummary.model_fields if name in sessions.c
)

_later = signoffs.alias("later")
_live = signoffs.alias("live")
_LIVE_JOIN = sa.and_(
    _live.c.session_id == sessions.c.id,
    _live.c.reopened_at.is_(None),
    ~sa.exists().where(
        _later.c.session_id == _live.c.session_id, _later.c.version > _live.c.version
    ),
)
_FROM = sessions.outerjoin(_live, _LIVE_JOIN)


def summary_select() -> sa.Select[Any]:
    """Every summary column, sessions joined to their live sign-off (at most one)."""
    return sa.select(*SESSION_COLUMNS, _live.c.confirmed_stars.label("signed_stars")).select_from(
        _FROM
    )


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _escaped(text: str) -> str:
    for special in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, _LIKE_ESCAPE + special)
    return f"%{text}%"


def _filters(query: SessionQuery) -> list[sa.ColumnElement[bool]]:
    found: list[sa.ColumnElement[bool]] = []
    exact = {
        "declared_stars": query.declared_stars,
        "evidenced_stars": query.evidenced_stars,
        "stage": query.stage,
        "institution_type": None
        if query.institution_type is None
        else query.institution_type.value,
    }
    found.extend(sessions.c[name] == value for name, value in exact.items() if value is not None)
    if query.signed is not None:
        live = _live.c.session_id
        found.append(live.is_not(None) if query.signed else live.is_(None))
    if query.updated_from is not None:
        found.append(sessions.c.updated_at >= _day_start(query.updated_from))
    if query.updated_to is not None:
        found.append(sessions.c.updated_at < _day_start(query.updated_to) + timedelta(days=1))
    if query.text:
        pattern = _escaped(query.text)
        found.append(
            sa.or_(
                sessions.c.institution.ilike(pattern, escape=_LIKE_ESCAPE),
                sessions.c.id.ilike(pattern, escape=_LIKE_ESCAPE),
            )
        )
    return found


def query_sessions(conn: Connection, query: SessionQuery) -> tuple[list[SessionSummary], int]:
    """One page (most recently updated first, then by id) and the number of matches."""
    where = _filters(query)
    # At most one live sign-off per session: the join changes the count only as a filter.
    counted = _FROM if query.signed is not None else sessions
    total = conn.scalar(sa.select(sa.func.count()).select_from(counted).where(*where))
    page = (
        summary_select()
        .where(*where)
        .order_by(sessions.c.updated_at.desc(), sessions.c.id)
        .limit(query.limit)
        .offset(query.offset)
    )
    return [rows.summary_from_row(r._mapping) for r in conn.execute(page)], int(total or 0)


def summary_page(conn: Connection, after: str | None) -> list[SessionSummary]:
    """The next ``PAGE`` summaries by id after ``after`` (keyset paging: no OFFSET scan)."""
    query = summary_select().order_by(sessions.c.id).limit(PAGE)
    if after is not None:
        query = query.where(sessions.c.id > after)
    return [rows.summary_from_row(r._mapping) for r in conn.execute(query)]


def iterate(read_page: Callable[[str | None], list[SessionSummary]]) -> Iterator[SessionSummary]:
    """Stream pages from ``read_page(after)`` (each read in its own transaction)."""
    after: str | None = None
    while True:
        page = read_page(after)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].id
