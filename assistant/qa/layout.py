"""The layout of a retrieved answer, and the answer without its quotes for a chat.

A retrieved answer is: the opening sentences (``Answer.lead``, with markers [1] [2]); a line
introducing the quotes; one block per citation — "[n] **heading**", "> quote" and, for an
indicator, what it means for you; then the notes. A chat that shows each quote in its
citation chip shows ``brief(answer)``: the opening and the notes. This module imports nothing
heavy, so the interview can use it.
"""

from __future__ import annotations

import re

from assistant.qa.models import Answer

__all__ = ["INTRO", "MEANS", "brief"]

INTRO = {  # the standard's clauses first / the project's own rules first
    "zh": ("标准中的相关规定如下：", "本项目规则（附录 R，非标准条文）中的相关内容如下："),
    "en": (
        "What the standard says:",
        "What this project's own rules (annex R, not the standard) say:",
    ),
}
MEANS = {"zh": "对您意味着：", "en": "What this means for you: "}
_NUMBERED = re.compile(r"^\[\d{1,3}\] ")
_QUOTE_STARTS = ("> ", *MEANS.values(), *(line for pair in INTRO.values() for line in pair))


def _in_quotes(paragraph: str) -> bool:
    return paragraph.startswith(_QUOTE_STARTS) or _NUMBERED.match(paragraph) is not None


def brief(answer: Answer) -> str:
    """The answer without its quotes: the opening and whatever follows the quotes (the notes).
    An answer without an opening (an exact answer, a model's prose) is returned whole."""
    if not answer.lead or not answer.text.startswith(answer.lead):
        return answer.text
    tail = [p for p in answer.text[len(answer.lead) :].split("\n\n") if p.strip()]
    while tail and _in_quotes(tail[0]):
        tail.pop(0)
    return "\n\n".join([answer.lead, *tail])
