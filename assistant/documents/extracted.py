"""What reading a document gives back."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.documents.policy import Format

__all__ = ["Extracted", "clean_title"]

_UNTITLED = {"", "untitled", "无标题"}


@dataclass(frozen=True, slots=True)
class Extracted:
    """The format read, the text, the title the file declares, and its page count (PDF)."""

    format: Format
    text: str
    title: str | None = None
    pages: int = 0


def clean_title(value: object) -> str | None:
    """A declared title, or None for a blank or placeholder one ("Untitled", "无标题")."""
    title = str(value).strip() if value is not None else ""
    return None if title.lower() in _UNTITLED else title
