"""Checks shared by the model uses: text that claims a rating or a verdict is never shown."""

from __future__ import annotations

import re

from assistant.vocabulary import STATUSES

__all__ = ["claims_rating", "clip", "names_a_status", "new_in"]

_RATING = re.compile(
    r"[一二三四五两1-5]\s*(?:颗)?星|星级|评级|评为|评定|\bstars?\b|\brating\b|\brated\b",
    re.IGNORECASE,
)
_STATUS_WORDS = tuple(label.zh for label in STATUSES.values()) + tuple(
    label.pick("en", inline=True) for label in STATUSES.values() if " " in label.en
)


def claims_rating(text: str) -> bool:
    """Does ``text`` speak of stars, star levels or a rating?"""
    return bool(_RATING.search(text))


def names_a_status(text: str) -> bool:
    """Does ``text`` use a finding status word (满足, 不适用, largely met, …)?"""
    lowered = text.lower()
    return any(word in lowered for word in _STATUS_WORDS)


def new_in(text: str, original: str) -> bool:
    """True when ``text`` claims a rating or names a status that ``original`` did not."""
    return (claims_rating(text) and not claims_rating(original)) or (
        names_a_status(text) and not names_a_status(original)
    )


def clip(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
