"""Where an answerer reports text as it is written, for callers that stream (SSE).

A streaming caller sets ``answer_deltas`` to a function for the duration of one call; an
answerer that writes token by token (a language model) hands each piece to it. Nothing is
streamed when it is unset, and the final answer is always returned as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

__all__ = ["answer_deltas"]

answer_deltas: ContextVar[Callable[[str], None] | None] = ContextVar("answer_deltas", default=None)
