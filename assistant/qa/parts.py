"""The parts of a question, for judging each on its own: "星级最后是按哪个能力域定的？另外评上
三星能享受哪些税收优惠" asks two things, and only the first is the standard's.

A question is cut only at strong breaks: the end of a sentence (？！。；), a connective that
starts a new clause ("另外", "还有", "此外", "顺便", "同时" after punctuation or a space), a
space after a Chinese clause that asks a question ("对星级有影响吗 他…"), and in English
a sentence end, "also" or "and"/"but" before a question word ("…from the five areas, and does a
three-star rating…"). A comma alone never cuts: "服务人员上岗前要培训，那培训费…" is one part.

``not_covered_name`` words an out-of-scope part for ``Answer.not_covered``: its own words
without the connective, the politeness and the question mark ("另外想问国家级孵化器认定要多大
场地面积？" → "国家级孵化器认定要多大场地面积"). Deterministic; no language model.
"""

from __future__ import annotations

import re

from assistant.retrieval.lookalike import asks_question, normalise
from assistant.retrieval.relevance import Coverage, CoverageCheck, detect_language

__all__ = [
    "PART_FOREIGN_THRESHOLD",
    "PART_MIN_CHARS",
    "PART_THRESHOLD",
    "asks",
    "not_covered_name",
    "outside",
    "part_text",
    "question_parts",
]

# A part is out of scope when the learned head gives it at least PART_THRESHOLD, stricter than a
# whole question's threshold: a part is shorter and has lost its context. Chosen on the spent
# held-out sets 1–4 and the tuning sets qa_dev, dev2, dev4, dev5 (290 questions of two or more
# parts), with the head of C = 10 and of C = 30: in-scope parts that are not partial scored up
# to 0.79 ("能不能全部打包成一个大PDF交"), so 0.85 flags none of them; the out-of-scope parts
# that lower values would add came with as many false flags.
PART_THRESHOLD = 0.85
# A part in the standard's words ("评上三星能享受哪些税收优惠") is kept unless it also names a
# word foreign to the standard and the head gives it at least this: on the same sets such parts
# of partly covered questions scored 0.32–0.57, those of the other in-scope questions ≤ 0.22.
PART_FOREIGN_THRESHOLD = 0.3
# A part needs this many Chinese characters (English: half as many words) to be judged alone:
# "哪个更高" leans on the sentence before it.
PART_MIN_CHARS = 6

# Questions the look-alike table's interrogatives leave out: A-not-A ("能不能", "算不算") and
# "多大" ("认定要多大场地面积").
_MORE_QUESTIONS = ("能不能", "可不可以", "是不是", "会不会", "算不算", "用不用", "行不行", "多大")
_WH_WORDS = frozenset(("what", "how", "which", "who", "when", "where", "why"))
_AUXILIARIES = frozenset(
    ("is", "are", "do", "does", "did", "can", "could", "should", "must", "will", "would", "may")
)
_CONNECTIVES = "另外|此外|顺便|还有|同时"
_QUESTION_WORDS = (
    r"(?:what|how|which|who|when|where|why|is|are|do|does|can|could|should|must|will|would)\b"
)
_PART_BREAK = re.compile(
    r"[？?！!。；;\n]"
    rf"|(?:^|(?<=[，,、\s]))(?={_CONNECTIVES})"
    r"|(?<=[\u4e00-\u9fff][吗呢么吧不没否]) (?=[\u4e00-\u9fff])"
    r"|(?<!\d)\.(?=\s|$)"
    r"|,?\s(?:also|and also)\s(?=[a-z])"
    rf"|,?\s(?:and|but)\s(?={_QUESTION_WORDS})",
    re.IGNORECASE,
)
# What opens a part without being its content ("另外", "请问", "Also,"), longest first; and
# what ends it. Trimmed with str methods in a loop: no pattern sees the user's text here.
_LEADING = (
    *("顺便问一下", "我还想问一下", "我想问一下", "还想问一下", "想问一下", "顺便问下", "顺便问问"),
    *("还有就是", "我想问", "想问下", "问一下", "另外", "此外", "顺便", "还有", "同时", "那么"),
    *("想问", "请问", "问下", "那", "also", "and", "but", "plus", "then", "so"),
)
_LEADING_MARKS = " ，,、:：-"
_TRAILING = " ？?！!。；;，,、.呢吗啊呀吧"


def question_parts(question: str) -> list[str]:
    """``question`` cut at its strong breaks; parts with no word of their own are dropped."""
    pieces = (p.strip(" ，,、") for p in _PART_BREAK.split(question))
    return [p for p in pieces if _trimmed(p)]


def not_covered_name(part: str) -> str:
    """The part as it names what the standard does not address, trimmed; the part itself when
    trimming would leave nothing."""
    return _trimmed(part) or part.strip()


def part_text(part: str) -> str:
    """The part without its opening connective: what is embedded and answered."""
    return _leading_trimmed(part) or part.strip()


def _trimmed(part: str) -> str:
    return _leading_trimmed(part).rstrip(_TRAILING)


def _leading_trimmed(part: str) -> str:
    text = part.strip(_LEADING_MARKS)
    while True:
        folded = text.casefold()
        word = next((w for w in _LEADING if folded.startswith(w) and _ends_word(folded, w)), None)
        if word is None:
            return text
        text = text[len(word) :].lstrip(_LEADING_MARKS)


def _ends_word(text: str, word: str) -> bool:
    """An English connective is a whole word ("so" is not the start of "some")."""
    return not word.isascii() or len(text) == len(word) or not text[len(word)].isalnum()


def asks(text: str) -> bool:
    """``text`` (a part) asks something, in words of its own. In English a question word must
    open it or a wh-word occur in it: "We are a county centre…" is a statement, "Is that ok for
    one star" a question."""
    if not _long_enough(text):
        return False
    if detect_language(text) == "en":
        words = normalise(text).replace(",", " ").replace("'", " ").replace("’", " ").split()
        return bool(words) and (words[0] in _AUXILIARIES or not _WH_WORDS.isdisjoint(words))
    return asks_question(text) or any(word in text for word in _MORE_QUESTIONS)


def outside(text: str, coverage: Coverage, floor: CoverageCheck) -> bool:
    """A part that asks something (``asks``) and has no strong in-scope evidence is confidently
    out of scope: by the rules when it names a foreign word, else by the learned head."""
    probability = coverage.outside_probability or 0.0
    if floor.lookalikes.in_the_standards_words(text):
        return bool(coverage.foreign) and probability >= PART_FOREIGN_THRESHOLD
    if coverage.foreign and not floor.near_enough(text, coverage):
        return True
    return probability >= PART_THRESHOLD


def _long_enough(text: str) -> bool:
    if detect_language(text) == "en":
        return 2 * len(text.split()) >= PART_MIN_CHARS
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= PART_MIN_CHARS
