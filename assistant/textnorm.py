"""User text, made safe to read once where it enters: a chat turn, a question, an answer, a
profile field.

Control characters (C0 and C1 controls other than blanks, lone surrogates, the
non-characters U+FFFE/U+FFFF) are dropped: they show nothing, and an XML document (the DOCX
report) cannot hold them. Runs of spaces become one space and runs of line breaks one line
break (line breaks stay: they separate the clauses of an answer), the ends are trimmed, and
the text is cut at ``MAX_TEXT_CHARS``, the API's own limit for free text. Every pattern that
reads user text then sees at most that many characters and no long runs of blanks. Nothing
else changes: "1 满足\\n2  不满足" reads as "1 满足\\n2 不满足".
"""

from __future__ import annotations

__all__ = ["MAX_TEXT_CHARS", "clean_line", "drop_controls", "normalize_user_text"]

MAX_TEXT_CHARS = 4000  # the API's limit for a chat message (UserTurn.text)

_BLANKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"  # controls that str.split() reads as blanks
_CONTROLS = dict.fromkeys(
    code for code in (*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF) if chr(code) not in _BLANKS
)
_FIRST_SURROGATE = "\ud800"


def drop_controls(text: str) -> str:
    """``text`` without control characters; blanks (tab, line breaks) are kept."""
    text = text.translate(_CONTROLS)
    if text and max(text) >= _FIRST_SURROGATE:  # only then can a lone surrogate be there
        text = "".join(ch for ch in text if not "\ud800" <= ch <= "\udfff")
    return text


def clean_line(text: str) -> str:
    """One line of ``text`` (a name, a list of fields): no controls, blanks as one space."""
    return " ".join(drop_controls(text).split())


def normalize_user_text(text: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` with controls dropped, whitespace runs collapsed, trimmed and at most
    ``limit`` characters."""
    # Cut first so the work is bounded too; a generous margin keeps what collapsing frees.
    head = drop_controls(text[: limit * 4])
    lines = (" ".join(line.split()) for line in head.splitlines())
    return "\n".join(line for line in lines if line)[:limit]
