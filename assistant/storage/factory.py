"""Choosing the session store from a URL, at the edge (CLI, API start-up)."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import ConfigurationError
from assistant.storage.base import SessionStore
from assistant.storage.memory import InMemorySessionStore

__all__ = ["MEMORY_URL", "default_database_url", "open_store"]

MEMORY_URL = "memory://"  # the in-memory fake: nothing survives the process


def default_database_url(data_dir: Path) -> str:
    """The embedded default: a SQLite file ``assistant.db`` in the data directory."""
    return f"sqlite:///{(data_dir / 'assistant.db').absolute()}"


def open_store(url: str) -> SessionStore:
    """``sqlite:///path``, ``postgresql+psycopg://…`` (or ``postgresql://``) or ``memory://``.

    Raises ``ConfigurationError`` for an empty or unsupported URL and for a database that
    cannot be opened.
    """
    if not url.strip():
        raise ConfigurationError(
            "未配置数据库地址：请设置 SMECMM_DATABASE_URL，或留空以使用数据目录中的 SQLite 文件。",
            en="No database URL: set SMECMM_DATABASE_URL, or leave it unset to use the SQLite "
            "file in the data directory.",
        )
    if url == MEMORY_URL:
        return InMemorySessionStore()
    from assistant.storage.sql import SqlSessionStore  # SQLAlchemy only when a database is used

    return SqlSessionStore(url)
