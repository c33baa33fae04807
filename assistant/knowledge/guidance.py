"""An indicator's scoring guidance (评分细则) in one language, for hints, reports and retrieval.

English shows ``scoring_en`` only: an indicator without it shows no guidance in English rather
than Chinese guidance in an English text.
"""

from __future__ import annotations

from typing import Literal

from assistant.knowledge.schema import Indicator, Scoring

__all__ = ["guidance_lines", "guidance_text", "scoring_in"]

_LABELS = {
    "zh": ("怎样算满足：", "基本满足：", "部分满足：", "评估时抽查："),
    "en": ("What counts as met: ", "Largely met: ", "Partly met: ", "The assessor samples: "),
}


def scoring_in(indicator: Indicator, language: Literal["zh", "en"]) -> Scoring | None:
    """The guidance in ``language``: zh always, en only where the catalog gives it."""
    return indicator.scoring_en if language == "en" else indicator.scoring


def _join(
    scoring: Scoring, language: Literal["zh", "en"], *, largely: bool, partly: bool
) -> list[str]:
    met_label, largely_label, partly_label, sample_label = _LABELS[language]
    space = " " if language == "en" else ""
    first = f"{met_label}{scoring.met}"
    if largely:
        first += f"{space}{largely_label}{scoring.largely}"
    if partly:
        first += f"{space}{partly_label}{scoring.partly}"
    return [first, f"{sample_label}{scoring.sample}"]


def guidance_lines(
    indicator: Indicator, language: Literal["zh", "en"], *, largely: bool = True
) -> list[str]:
    """Two short lines: what 满足 (and 基本满足) look like, and what an assessor samples."""
    scoring = scoring_in(indicator, language)
    return [] if scoring is None else _join(scoring, language, largely=largely, partly=False)


def guidance_text(indicator: Indicator, language: Literal["zh", "en"]) -> str:
    """The whole guidance (all three grades and the sample) as one text, or ``""``."""
    scoring = scoring_in(indicator, language)
    return "" if scoring is None else "\n".join(_join(scoring, language, largely=True, partly=True))
