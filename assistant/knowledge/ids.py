"""Indicator ids as people type them in running text: SO-4-03, so4-03, SO403, ST_1_02."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INDICATOR_ID_IN_TEXT", "indicator_ids_in"]

INDICATOR_ID_IN_TEXT = re.compile(
    r"(?<![a-z0-9])(ss|sd|st|so|csi)[-_–—]?([1-5])[-_–—]?([0-9]{2})(?![0-9])", re.IGNORECASE
)


def indicator_ids_in(text: str) -> tuple[str, ...]:
    """The indicator ids ``text`` names, canonical (``SO-4-03``), first mention first."""
    folded = unicodedata.normalize("NFKC", text)
    found = (
        f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}"
        for m in INDICATOR_ID_IN_TEXT.finditer(folded)
    )
    return tuple(dict.fromkeys(found))
