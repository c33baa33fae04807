"""Persistence of interview sessions: the ``SessionStore`` port and its backends.

``open_store(url)`` picks the backend; ``assistant.storage.sql.SqlSessionStore`` is the
SQLAlchemy one (SQLite file by default, PostgreSQL by URL) and ``InMemorySessionStore`` the
fake for wiring tests. SQLAlchemy is imported only when a database store is opened.
"""

from assistant.storage.base import (
    ApiKeyRecord,
    IndexStamp,
    KeyRole,
    SessionHead,
    SessionRecord,
    SessionStore,
    SessionSummary,
    TurnRecord,
)
from assistant.storage.factory import MEMORY_URL, default_database_url, open_store
from assistant.storage.memory import InMemorySessionStore

__all__ = [
    "MEMORY_URL",
    "ApiKeyRecord",
    "InMemorySessionStore",
    "IndexStamp",
    "KeyRole",
    "SessionHead",
    "SessionRecord",
    "SessionStore",
    "SessionSummary",
    "TurnRecord",
    "default_database_url",
    "open_store",
]
