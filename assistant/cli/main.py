"""``smecmm``: the command line (zh first, en second)."""

from __future__ import annotations

from assistant.cli import (
    backup_commands,
    catalog_commands,
    chat_commands,
    key_commands,
    rating_commands,
    retrieval_commands,
    serve_commands,
    session_commands,
    session_migrate_commands,
)
from assistant.cli.app import app

__all__ = [
    "app",
    "backup_commands",
    "catalog_commands",
    "chat_commands",
    "key_commands",
    "rating_commands",
    "retrieval_commands",
    "serve_commands",
    "session_commands",
    "session_migrate_commands",
]
