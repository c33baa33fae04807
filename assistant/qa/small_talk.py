"""Messages with nothing to look up: "好的", "在吗", "hi", "？？", "。。。。".

multilingual-e5 puts any short text close to some clause, so a greeting used to be answered
with clauses. A message with fewer than ``MIN_CJK`` Chinese characters and fewer than
``MIN_WORDS`` Latin words, none of them the standard's own (a glossary term, a level, an area,
a clause or indicator number, a word of the look-alike table's ``asks``), is not a question about
the standard: it gets an invitation to ask one (``covered`` is False), never clauses.
"""

from __future__ import annotations

import re

from assistant.qa.extractive import refusal
from assistant.qa.models import Answer, Language

__all__ = ["MIN_CJK", "MIN_WORDS", "invitation", "nothing_to_look_up"]

MIN_CJK = 3
MIN_WORDS = 2
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z0-9]+")

_INVITATION = {
    "zh": "您好！我是星级评估问答助手，可以解答《中小企业服务 服务机构 通用能力成熟度模型》"
    "（T/ZXGJXH 002—2023）的条款含义、各星级的要求和证据材料、评级规则和评估申请流程。"
    "请具体说说您想了解什么，例如：“一星要准备哪些材料？”",
    "en": "Hello! I answer questions about the maturity model standard (T/ZXGJXH 002—2023): "
    "what its clauses mean, what each star level requires and which evidence it needs, how the "
    "rating works and how to apply. Please ask a question, for example: "
    "“Which indicators are core at level 4 in operations?”",
}


def nothing_to_look_up(question: str, *, standard_words: bool) -> bool:
    """Too little text to be a question, and none of it the standard's words."""
    if standard_words:
        return False
    return len(_CJK.findall(question)) < MIN_CJK and len(_WORD.findall(question)) < MIN_WORDS


def invitation(question: str, language: Language) -> Answer:
    return refusal(question, language, _INVITATION[language])
