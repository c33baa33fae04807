"""User text, made safe to read once where it enters: a chat turn, a question, an answer.

Runs of spaces become one space and runs of line breaks one line break (line breaks stay:
they separate the clauses of an answer), the ends are trimmed, and the text is cut at
``MAX_TEXT_CHARS``, the API's own limit for free text. Every pattern that reads user text
then sees at most that many characters and no long runs of blanks. Nothing else changes:
"1 满足\\n2  不满足" reads as "1 满足\\n2 不满足".
"""

from __future__ import annotations

from assistant.interview.models import MAX_TEXT_CHARS  # the API's limit for a chat message

__all__ = ["MAX_TEXT_CHARS", "normalize_user_text"]


def normalize_user_text(text: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` with whitespace runs collapsed, trimmed and at most ``limit`` characters."""
    # Cut first so the work is bounded too; a generous margin keeps what collapsing frees.
    head = text[: limit * 4]
    lines = (" ".join(line.split()) for line in head.splitlines())
    return "\n".join(line for line in lines if line)[:limit]
