"""Strong in-scope evidence: questions the learned scope head may never refuse.

The head (``assistant.retrieval.scope_head``) judges a question by its embedding alone; a
question that names an indicator id ("SO-4-03"), a clause number ("6.3.1", "R.1.2"), a star
level together with a capability area ("三星的服务设计"), or that the exact answerer
recognises (``assistant.qa.intent.recognise``) is about the standard whatever its vector says,
and keeps being answered (the rules still apply to it).
"""

from __future__ import annotations

import re

from assistant.knowledge.ids import indicator_ids_in
from assistant.qa.intent import recognise
from assistant.retrieval.glossary import Expansion

__all__ = ["CLAUSE_NUMBER", "strong_in_scope"]

# "6.3.1", "10.2.3", "R.1.2", "附录R": numbers of the standard's clauses, not "3.5万元"
CLAUSE_NUMBER = re.compile(
    r"(?<![\d.])(?:[1-9]|10)\.[1-9]\.[0-9]{1,2}(?![\d.])|(?<![A-Za-z])R\.[1-9](?![0-9])|附录\s?R"
)


def strong_in_scope(question: str, expansion: Expansion) -> bool:
    if indicator_ids_in(question) or CLAUSE_NUMBER.search(question):
        return True
    if expansion.levels and expansion.areas:
        return True
    return recognise(question) is not None
