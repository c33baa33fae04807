"""Read a question into the lexicon's meanings, in one linear pass, tolerating small typos.

Two passes over the text, each linear in its length:

1. characters: ASCII words are cut out whole; a Chinese form is matched longest first among
   the lexicon forms that start with the character at hand, then one character off for the
   long area and core forms (核芯指标); ★★★ is three stars; anything else unknown is counted;
2. words: English level phrases ("level 3", "3-star", "L3", "third level") and ranges ("一星到
   三星", "levels 1-3") are put together; an English word not in the lexicon is tried one or
   two edits off (opration), with a bound on how many such tries one question gets.

The reading stops as soon as more words are unknown than an exact answer tolerates: such a
question asks about something the lexicon does not know (数据 in "四星对数据有什么要求"), and
retrieval answers it. No regular expression sees the text except the one for indicator ids,
which has no unbounded repeat.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.knowledge.ids import INDICATOR_ID_IN_TEXT, indicator_ids_in
from assistant.knowledge.schema import AreaCode, EvidenceKind, Level
from assistant.qa.lexicon import (
    EN_WORDS,
    FUZZY_EN,
    FUZZY_ZH,
    FUZZY_ZH_DENIED,
    LEVEL_WORDS_EN,
    NUMBER_WORDS_EN,
    ORDINALS_EN,
    STAR_CHARS,
    STAR_WORDS_EN,
    ZH_NUMERALS,
    ZH_WORDS,
    Cue,
    Meaning,
)

__all__ = [
    "MAX_UNKNOWN_CJK",
    "MAX_UNKNOWN_WORDS",
    "Reading",
    "edit_distance",
    "read_words",
]

MAX_UNKNOWN_CJK = 1  # one stray character: a slip of the input method, a rare particle
MAX_UNKNOWN_WORDS = 0  # an English word the lexicon lacks is a topic of its own
MAX_FUZZY_TRIES = 8  # a real question has a typo or two, never hundreds
_CODES = {code.value.lower(): code for code in AreaCode}
_DASHES = frozenset("-~～–—")
_ZH_LEVEL_CHARS = frozenset("星级心新")


@dataclass(frozen=True)
class Reading:
    """What a question names: levels, areas, evidence kinds, indicator ids and cue words."""

    levels: frozenset[Level] = frozenset()
    areas: frozenset[AreaCode] = frozenset()
    kinds: frozenset[EvidenceKind] = frozenset()
    cues: frozenset[Cue] = frozenset()
    indicator_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Word:
    text: str  # lower case
    capitals: bool  # written in capitals: "SO" is an area, "so" a word


@dataclass(frozen=True)
class _Number:
    value: int


_Item = Meaning | _Word | _Number


@dataclass
class _State:
    items: list[_Item] = field(default_factory=list)
    unknown_cjk: int = 0
    unknown_words: int = 0
    fuzzy_tries: int = 0

    @property
    def hopeless(self) -> bool:
        return self.unknown_cjk > MAX_UNKNOWN_CJK or self.unknown_words > MAX_UNKNOWN_WORDS


def read_words(text: str) -> Reading | None:
    """The meanings of ``text``, or None when it holds words the lexicon does not know."""
    folded = unicodedata.normalize("NFKC", text)
    ids = indicator_ids_in(folded)
    folded = INDICATOR_ID_IN_TEXT.sub(" ", folded)
    state = _State()
    if not _read_characters(folded, state):
        return None
    meanings = _read_items(state, chinese=_has_cjk(folded))
    if meanings is None:
        return None
    return _reading(meanings, ids)


def _has_cjk(text: str) -> bool:
    return any(_is_cjk(ch) for ch in text)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


# --- pass 1: characters -------------------------------------------------------------------


def _read_characters(text: str, state: _State) -> bool:
    i = 0
    while i < len(text):
        i = _step(text, i, state)
        if state.hopeless:
            return False
    return True


def _step(text: str, i: int, state: _State) -> int:
    """Read what starts at ``i``; the index after it."""
    ch = text[i]
    if ch.isascii() and ch.isalnum():
        return _ascii_word(text, i, state)
    if ch in STAR_CHARS:
        return _stars(text, i, state)
    if ch in _DASHES:
        state.items.append(_Word("-", capitals=False))
        return i + 1
    match = _zh_match(text, i)
    if match is not None:
        form_length, meaning = match
        state.items.append(_number_or(meaning, text[i : i + form_length]))
        return i + form_length
    if _is_cjk(ch) or ch.isalnum():
        state.unknown_cjk += 1
    return i + 1


def _number_or(meaning: Meaning, form: str) -> _Item:
    """A bare numeral (三) may yet be a level: 一到三星."""
    return _Number(ZH_NUMERALS[form]) if form in ZH_NUMERALS else meaning


def _ascii_word(text: str, i: int, state: _State) -> int:
    end = i
    while end < len(text) and text[end].isascii() and text[end].isalnum():
        end += 1
    word = text[i:end]
    after = end + 1 if text[end : end + 1] == " " else end
    if word in ("1", "2", "3", "4", "5") and text[after : after + 1] in _ZH_LEVEL_CHARS:
        state.items.append(Level(int(word)))  # 3星, 3 级
        return after + 2 if text[after : after + 2] == "星级" else after + 1
    state.items.append(_Word(word.lower(), capitals=word.isupper()))
    return end


def _stars(text: str, i: int, state: _State) -> int:
    end = i
    while end < len(text) and text[end] in STAR_CHARS:
        end += 1
    if end - i <= len(Level):
        state.items.append(Level(end - i))
    else:
        state.unknown_cjk += 1
    return end


def _zh_match(text: str, i: int) -> tuple[int, Meaning] | None:
    """(length, meaning) of the longest lexicon form at ``i``, exact or one character off."""
    exact = _zh_exact(text, i)
    near = _zh_near(text, i, len(exact[0]) if exact else 0)
    if near is not None:
        return len(near), ZH_WORDS[near]
    return (len(exact[0]), exact[1]) if exact else None


def _zh_exact(text: str, i: int) -> tuple[str, Meaning] | None:
    for form in _forms_starting_with(text[i]):
        if text.startswith(form, i):
            return form, ZH_WORDS[form]
    return None


@lru_cache(maxsize=4096)
def _forms_starting_with(ch: str) -> tuple[str, ...]:
    forms = [form for form in ZH_WORDS if form.startswith(ch)]
    return tuple(sorted(forms, key=len, reverse=True))


def _zh_near(text: str, i: int, longer_than: int) -> str | None:
    """A long area or core form one character off at ``i`` (核芯指标), longer than the exact
    match; the form's first or second character must agree, so only a few are tried."""
    for form in _near_candidates(text[i], text[i + 1 : i + 2]):
        if len(form) <= longer_than:
            break
        window = text[i : i + len(form)]
        if (
            len(window) == len(form)
            and window not in FUZZY_ZH_DENIED
            and all(_is_cjk(ch) for ch in window)
            and sum(a != b for a, b in zip(window, form, strict=True)) == 1
        ):
            return form
    return None


@lru_cache(maxsize=4096)
def _near_candidates(first: str, second: str) -> tuple[str, ...]:
    return tuple(f for f in FUZZY_ZH if f[0] == first or f[1:2] == second)


# --- pass 2: words --------------------------------------------------------------------------


def _read_items(state: _State, *, chinese: bool) -> list[Meaning] | None:
    items = state.items
    meanings: list[Meaning] = []
    k = 0
    while k < len(items):
        end = _range_end(items, k, meanings)
        level, used = (end, 2) if end is not None else _level_phrase(items, k)
        if level is not None:
            meanings.extend([Cue.RANGE, level] if end is not None else [level])
            k += used
            continue
        meanings.append(_meaning(items[k], state, chinese=chinese))
        if state.hopeless:
            return None
        k += 1
    return _ranges(meanings)


def _level_phrase(items: list[_Item], k: int) -> tuple[Level | None, int]:
    """A level phrase at ``k`` and its length in items: level 3, 3-star, third level, L3,
    a bare 三 before 到三星; (None, 0) for anything else."""
    item = items[k]
    if isinstance(item, _Number | _Word) and _opens_range(items, k):
        return Level(item.value if isinstance(item, _Number) else _number(item.text)), 1
    if not isinstance(item, _Word):
        return None, 0
    gap = 2 if _is_dash(items, k + 1) else 1
    level = _pair_level(item.text, _word_at(items, k + gap))
    if level:
        return Level(level), gap + 1
    compact = _compact_level(item.text)
    return (Level(compact), 1) if compact else (None, 0)


def _pair_level(word: str, next_word: str) -> int:
    if word in LEVEL_WORDS_EN:
        return _number(next_word)
    if next_word in STAR_WORDS_EN:
        return _number(word)
    if next_word in LEVEL_WORDS_EN | STAR_WORDS_EN:
        return ORDINALS_EN.get(word, 0)
    return 0


def _word_at(items: list[_Item], k: int) -> str:
    item = items[k] if k < len(items) else None
    return item.text if isinstance(item, _Word) else ""


def _is_dash(items: list[_Item], k: int) -> bool:
    return _word_at(items, k) == "-"


def _opens_range(items: list[_Item], k: int) -> bool:
    """一到三星, 1-3星: a number, then 到 or a dash, then a level."""
    item = items[k]
    if isinstance(item, _Word) and not _number(item.text):
        return False
    if k + 2 >= len(items):
        return False
    joint, end = items[k + 1], items[k + 2]
    return (joint is Cue.RANGE or _is_dash(items, k + 1)) and isinstance(end, Level)


def _range_end(items: list[_Item], k: int, meanings: list[Meaning]) -> Level | None:
    """The end of an English range (levels 1-3, level 1 to 3): a number after a level and
    a joint is a level too."""
    if not meanings or not isinstance(meanings[-1], Level):
        return None
    if _word_at(items, k) not in ("-", "to", "through") or k + 1 >= len(items):
        return None
    value = _number(_word_at(items, k + 1))
    return Level(value) if value else None


def _number(word: str) -> int:
    """1–5 from "3" or "three"; 0 for anything else."""
    if word in ("1", "2", "3", "4", "5"):
        return int(word)
    return NUMBER_WORDS_EN.get(word, 0)


def _compact_level(word: str) -> int:
    """L3, lv3, lvl3, level3, 3star: a level written as one word."""
    for prefix in ("level", "lvl", "lv", "l"):
        if word.startswith(prefix) and len(word) == len(prefix) + 1:
            return _number(word[-1])
    for suffix in ("stars", "star"):
        if word.endswith(suffix) and len(word) == len(suffix) + 1:
            return _number(word[0])
    return 0


def _meaning(item: _Item, state: _State, *, chinese: bool) -> Meaning:
    if not isinstance(item, _Word):
        return None if isinstance(item, _Number) else item
    word = item.text
    if word in _CODES and (item.capitals or chinese or word == "csi"):
        return _CODES[word]
    if word == "-" or word.isdigit():
        return Cue.RANGE if word == "-" else None
    if word in EN_WORDS:
        return EN_WORDS[word]
    return _fuzzy_word(word, state)


def _fuzzy_word(word: str, state: _State) -> Meaning:
    state.fuzzy_tries += 1
    near = _nearest_en(word) if state.fuzzy_tries <= MAX_FUZZY_TRIES else None
    if near is None:
        state.unknown_words += 1
        return None
    return EN_WORDS[near]


@lru_cache(maxsize=1024)
def _nearest_en(word: str) -> str | None:
    if len(word) < 5 or len(word) > 20:
        return None
    best: tuple[int, str] | None = None
    for form in FUZZY_EN:
        if form[0] != word[0] or abs(len(form) - len(word)) > 2:
            continue
        bound = 1 if min(len(form), len(word)) <= 8 else 2
        distance = edit_distance(word, form, bound)
        if distance <= bound and (best is None or distance < best[0]):
            best = (distance, form)
    return best[1] if best else None


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours is one edit), or
    ``bound + 1`` as soon as it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        before, previous = previous, current
    return min(previous[-1], bound + 1)


def _ranges(meanings: list[Meaning]) -> list[Meaning]:
    """A range between two levels (一星到三星, levels 1-3) names every level between them."""
    levels = [m for m in meanings if isinstance(m, Level)]
    if Cue.RANGE not in meanings or len(levels) != 2 or levels[0] >= levels[1]:
        return meanings
    inside = [Level(value) for value in range(levels[0] + 1, levels[1])]
    return [*meanings, *inside]


def _reading(meanings: list[Meaning], ids: tuple[str, ...]) -> Reading:
    return Reading(
        levels=frozenset(m for m in meanings if isinstance(m, Level)),
        areas=frozenset(m for m in meanings if isinstance(m, AreaCode)),
        kinds=frozenset(m for m in meanings if isinstance(m, EvidenceKind)),
        cues=frozenset(m for m in meanings if isinstance(m, Cue)),
        indicator_ids=ids,
    )
