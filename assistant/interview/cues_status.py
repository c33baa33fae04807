"""Status words and checklist replies: "满足", "partly met", "1满足 2部分满足", "全部满足"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.knowledge.schema import FindingStatus

__all__ = ["STATUS_LABELS", "UNSURE_WORDS", "parse_checklist_text", "parse_status"]

_S = FindingStatus
# Every spelling a user may send for a status; codes ("largely_met") are added below.
STATUS_LABELS: dict[str, FindingStatus] = {
    "满足": _S.MET, "已满足": _S.MET, "完全满足": _S.MET, "符合": _S.MET, "完全符合": _S.MET,
    "基本满足": _S.LARGELY_MET, "大部分满足": _S.LARGELY_MET, "基本符合": _S.LARGELY_MET,
    "部分满足": _S.PARTLY_MET, "部分符合": _S.PARTLY_MET,
    "不满足": _S.NOT_MET, "未满足": _S.NOT_MET, "不符合": _S.NOT_MET,
    "不适用": _S.NOT_APPLICABLE,
    "未评估": _S.NOT_RATED, "不清楚": _S.NOT_RATED, "待评估": _S.NOT_RATED,
    "met": _S.MET, "fully met": _S.MET,
    "largely met": _S.LARGELY_MET, "mostly met": _S.LARGELY_MET,
    "partly met": _S.PARTLY_MET, "partially met": _S.PARTLY_MET,
    "not met": _S.NOT_MET, "unmet": _S.NOT_MET,
    "n/a": _S.NOT_APPLICABLE, "na": _S.NOT_APPLICABLE, "not applicable": _S.NOT_APPLICABLE,
    "not rated": _S.NOT_RATED, "not sure": _S.NOT_RATED, "unsure": _S.NOT_RATED,
}  # fmt: skip
STATUS_LABELS |= {status.value: status for status in FindingStatus}
# Quick-reply labels that are also plain words of doubt: as free text they are an unsure
# answer (below the confidence threshold), not a status the user chose.
UNSURE_WORDS = frozenset({"不清楚", "not sure", "unsure"})
STATUS_LABELS |= {status.value.replace("_", " "): status for status in FindingStatus}

_TRIM = " \t\r\n。.!！,，;；:：、\"'“”‘’()（）[]【】"
# Longest first, so "部分满足" is never read as "满足" and "not met" never as "met".
_LABEL = re.compile(
    "|".join(
        re.escape(label) for label in sorted(STATUS_LABELS, key=len, reverse=True) if label != "na"
    )
)
_REF = re.compile(r"(?:ss|sd|st|so|csi)-[1-5]-\d+|\d+")
_ALL_WORDS: tuple[str, ...] = ("全部", "全都", "都", "均", "一律")
_ALL_WORDS += ("everything", "all of them", "all")
_ALL_WORDS += tuple(f"所有{a}{b}" for a in ("指标", "") for b in ("都", "均", ""))
_REST_WORDS = ("其余", "其他", "其它", "剩下的", "剩下", "剩余", "the rest", "others", "rest")
_QUANTIFIERS = ("都", "均", "全部", "全", "is", "are")
_REF_SEPARATORS = ("、", ",", "/", "&", "和", "及", "and")
_SEPARATORS = frozenset(":：.)）-")


def _word_roles() -> dict[str, frozenset[str]]:
    """Each word with what it can be: a whole-list word, "the rest", a quantifier, a comma."""
    roles: dict[str, frozenset[str]] = {}
    for role, words in (
        ("all", _ALL_WORDS),
        ("rest", _REST_WORDS),
        ("quantifier", _QUANTIFIERS),
        ("ref_separator", _REF_SEPARATORS),
    ):
        for word in words:
            roles[word] = roles.get(word, frozenset()) | {role}
    return roles


_ROLES = _word_roles()
_WORDS_LONGEST_FIRST = tuple(sorted(_ROLES, key=len, reverse=True))


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower().strip(_TRIM)
    return _fold_label(folded)


def _fold_label(text: str) -> str:
    return " ".join(text.replace("_", " ").split())


def parse_status(text: str) -> FindingStatus | None:
    """The status that ``text`` names exactly ("满足", "partly met", "not_met"), else None."""
    return STATUS_LABELS.get(_normalize(text))


def parse_checklist_text(text: str, indicator_ids: Sequence[str]) -> dict[str, FindingStatus]:
    """Statuses for a checklist question, answered in one line of text.

    Accepts positions (1-based, in ``indicator_ids`` order) or indicator ids, alone or in
    lists: "1满足 2部分满足 3不满足", "1、3 满足，2 不适用", "SO-1-03 满足; SO-1-04 不适用";
    and whole-list forms: "全部满足", "all met", "2不满足，其余满足". Later entries override
    earlier ones; "其余/the rest" fills only what is still open. Positions out of range and
    ids not in the list are left out, so the caller sees what is still unanswered.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    ids = list(indicator_ids)
    by_id = {ident.lower(): ident for ident in ids}
    result: dict[str, FindingStatus] = {}
    for entry, status in _entries(_tokens(folded)):
        if entry.refs:
            for ref in entry.refs:
                ident = _resolve(ref, ids, by_id)
                if ident is not None:
                    result[ident] = status
        elif entry.rest:
            result |= {ident: status for ident in ids if ident not in result}
        elif entry.all or len(ids) == 1:
            result = dict.fromkeys(ids, status)
    return result


# --- reading a checklist answer: tokens, then entries ------------------------------------------
#
# An entry is [whole-list word, only first] [the rest] [refs, with list commas] [":" or ")"]
# [quantifier] status, with spaces anywhere between. The text is cut into tokens left to
# right, each a bounded piece (a status label, a ref, a word, one character), and the tokens
# are read by a small state machine: matching is linear in the text, whatever it holds.


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # label, ref, word, separator or other
    text: str
    first: bool  # the first token of the text


def _tokens(text: str) -> Iterator[_Token]:
    position, first = 0, True
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        token = _token_at(text, position, first)
        yield token
        position += len(token.text)
        first = False


def _token_at(text: str, position: int, first: bool) -> _Token:
    for kind, pattern in (("label", _LABEL), ("ref", _REF)):
        match = pattern.match(text, position)
        if match:
            return _Token(kind, match.group(), first)
    word = _word_at(text, position)
    if word:
        return _Token("word", word, first)
    char = text[position]
    return _Token("separator" if char in _SEPARATORS else "other", char, first)


def _word_at(text: str, position: int) -> str | None:
    """The longest word at ``position``, or a shorter one that a status follows ("全|部分满足")."""
    words = [w for w in _WORDS_LONGEST_FIRST if text.startswith(w, position)]
    for word in words:
        after = position + len(word)
        while after < len(text) and text[after].isspace():
            after += 1
        if _LABEL.match(text, after):
            return word
    return words[0] if words else None


_ALL, _REST, _REFS, _SEPARATOR, _QUANTIFIER = range(5)  # the order of an entry's parts


@dataclass(slots=True)
class _Entry:
    all: bool = False
    rest: bool = False
    refs: list[str] = field(default_factory=list)
    stage: int = -1  # the last part read
    open_list: bool = False  # a list comma waits for its ref

    def admits(self, stage: int) -> bool:
        return not self.open_list and self.stage < stage


def _entries(tokens: Iterator[_Token]) -> Iterator[tuple[_Entry, FindingStatus]]:
    entry = _Entry()
    for token in tokens:
        if token.kind == "label":
            done = entry if not entry.open_list else _Entry()
            yield done, STATUS_LABELS[_fold_label(token.text)]
            entry = _Entry()
        elif token.kind == "ref":
            entry = _with_ref(entry, token.text)
        elif token.kind == "word":
            entry = _with_word(entry, token)
        elif token.kind == "separator":
            entry = _at_stage(entry, _SEPARATOR)
        else:
            entry = _Entry()


def _at_stage(entry: _Entry, stage: int) -> _Entry:
    """``entry`` moved on to ``stage``; a fresh entry when the part comes out of order."""
    entry = entry if entry.admits(stage) else _Entry()
    entry.stage = stage
    return entry


def _with_ref(entry: _Entry, ref: str) -> _Entry:
    if entry.stage == _REFS and entry.open_list:
        entry.open_list = False
    else:
        entry = _at_stage(entry, _REFS)
    entry.refs.append(ref)
    return entry


def _with_word(entry: _Entry, token: _Token) -> _Entry:
    roles = _ROLES[token.text]
    if "all" in roles and token.first:
        entry = _at_stage(entry, _ALL)
        entry.all = True
    elif "rest" in roles:
        entry = _at_stage(entry, _REST)
        entry.rest = True
    elif "ref_separator" in roles:
        if entry.stage == _REFS and not entry.open_list:
            entry.open_list = True
        else:
            entry = _Entry()
    elif "quantifier" in roles:
        entry = _at_stage(entry, _QUANTIFIER)
    else:
        entry = _Entry()
    return entry


def _resolve(ref: str, ids: list[str], by_id: dict[str, str]) -> str | None:
    if ref.isdigit():
        position = int(ref)
        return ids[position - 1] if 1 <= position <= len(ids) else None
    return by_id.get(ref)
