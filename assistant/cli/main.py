"""``smecmm``: the command line (zh first, en second)."""

from __future__ import annotations

from assistant.cli import rating_commands, retrieval_commands
from assistant.cli.app import app

__all__ = ["app", "rating_commands", "retrieval_commands"]
