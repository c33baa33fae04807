"""Strong in-scope evidence: questions the learned scope head may never refuse.

The head (``assistant.retrieval.scope_head``) judges a question by its embedding alone; a
question that names an indicator id ("SO-4-03"), a clause number ("6.3.1", "R.1.2"), a star
level together with a capability area ("三星的服务设计"), that the exact answerer recognises
(``assistant.qa.intent.recognise``), that describes the asker's own practice and asks whether
it passes (``assistant.qa.situation.read_situation``: 89 of the tuning and spent questions,
1 out of scope), or that names one of the standard's defined terms ("成熟度等级分几级") without
the acronym of another scheme (ITSS, DCMM, CMMI, ISO…: 217 in scope, none out of scope) is
about the standard whatever its vector says, and keeps being answered (the rules still apply).
"""

from __future__ import annotations

import re

from assistant.knowledge.ids import indicator_ids_in
from assistant.qa.intent import recognise
from assistant.qa.models import Language
from assistant.qa.situation import read_situation
from assistant.retrieval.glossary import Expansion
from assistant.retrieval.relevance import detect_language

__all__ = ["CLAUSE_NUMBER", "strong_in_scope"]

# "6.3.1", "10.2.3", "R.1.2", "附录R": numbers of the standard's clauses, not "3.5万元"
CLAUSE_NUMBER = re.compile(
    r"(?<![\d.])(?:[1-9]|10)\.[1-9]\.[0-9]{1,2}(?![\d.])|(?<![A-Za-z])R\.[1-9](?![0-9])|附录\s?R"
)


# The terms clause 3 defines, as users write them (English: word starts, case-folded).
DEFINED_TERMS = (
    *("能力成熟度", "成熟度模型", "成熟度等级", "能力域", "能力项", "评估指标", "核心指标"),
    *("服务产品化", "服务管理体系", "一体化服务平台", "直接证据", "间接证据", "符合性评估"),
    *("capability area", "capability item", "maturity level", "core indicator"),
    *("service productis", "service productiz", "integrated service platform"),
    *("direct evidence", "indirect evidence", "conformity assessment"),
)
# An acronym of another scheme ("ITSS运维能力成熟度", "DCMM", "ISO/IEC 20000"); CSI is an area.
OTHER_SCHEME = re.compile(
    r"(?<![A-Za-z])(?!CSI(?![A-Za-z]))[A-Z]{3,}(?![A-Za-z])|(?i:iso)(?![a-z])"
)


def strong_in_scope(question: str, expansion: Expansion) -> bool:
    if indicator_ids_in(question) or CLAUSE_NUMBER.search(question):
        return True
    if expansion.levels and expansion.areas:
        return True
    if recognise(question) is not None:
        return True
    language: Language = "zh" if detect_language(question) == "zh" else "en"
    if read_situation(question, language) is not None:
        return True
    folded = question.casefold()
    return any(term in folded for term in DEFINED_TERMS) and not OTHER_SCHEME.search(question)
