"""Cue tables for reading a free-text answer: Chinese and English phrases, by what they signal.

Data only; ``cues_clauses`` applies them. The table is scanned in order and every match masks
its characters, so an earlier, longer reading wins over a later, shorter one: "不太清楚" is
unsure before "不" can be a negation, "没有不登记" is a double negative before "没有" can be a
plain one, and "差不多" is "mostly" before its "不" is seen at all. Text is matched after
NFKC normalisation and lower-casing (full-width commas become ",", "Yes" becomes "yes").
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = ["CUE_TABLE", "Cue", "HEDGES", "QUANTITY_CUES"]


class Cue(StrEnum):
    UNSURE = "unsure"  # 不太清楚, not sure
    NOT_APPLICABLE = "not_applicable"  # 不涉及, n/a
    NOT_APPLICABLE_WEAK = "not_applicable_weak"  # 谈不上: n/a where allowed, else a negation
    IGNORED = "ignored"  # 不断, 未来, 不然…: look like negations, are not
    DOUBLE_NEGATION = "double_negation"  # 没有不…, 并非没有, not that we don't
    LITOTES = "litotes"  # 从没漏过, 没问题, never miss
    LIMITED = "limited"  # 只在一个部门, 不是所有, some, only, not all
    MINOR = "minor"  # 个别, 偶尔, a few: a small exception
    MOSTLY = "mostly"  # 基本, 大部分, mostly
    INTENT = "intent"  # 打算, 正在建设, plan to: not done yet
    SOME = "some"  # 有些, 一些, some: part only; after a yes, the few that are missing
    SOFT_NEGATION = "soft_negation"  # 不太规范, 不够, not very
    NEGATION = "negation"  # 没有, 还没, 不, no, not yet, we don't
    AFFIRMATION = "affirmation"  # 有的, 每年都, 符合, yes, we do


def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


_HAN = r"[\u4e00-\u9fff]"

# (cue, pattern) in scan order. Chinese and English share one table; the text says which.
# fmt: off
_PATTERNS: tuple[tuple[Cue, str], ...] = (
    (
        Cue.UNSURE,
        _any(
            "不太清楚", "不大清楚", "不清楚", "不知道", "不晓得", "不太确定", "不确定",
            "说不好", "不好说", "说不准", "说不上来", "说不清", "不太了解", "不了解",
            "记不太清", "记不清", "没看懂", "看不懂", "不太懂", "不明白", "没印象",
            "不是我负责", "不归我管", "我不负责", "不负责这", "(?:得|要|需要|我去|回头)问一?下?",
            "问一下(?:我们)?(?:领导|主任|负责人|同事|老板|经理|主管)",
            "(?:得|要|需要|我去|回头)确认一下", "需要确认", "确认(?:一下)?再", "确认后再",
            "(?:得|要|需要|我去|回头)查一下", "什么叫", "什么意思", "啥意思",
            "不好判断", "难说", "未知", "找找看", "找一找", "翻一翻", "我去(?:找|看|查|问)",
            "问别人", "不是我管", "印象不深", "记不太得", "不记得", "记不得", "忘了",
            "什么算", "怎么算", "算不算",
            r"not sure", r"\bunsure\b", r"don'?t know", r"do not know", r"\bdunno\b",
            r"no idea", r"not certain", r"\buncertain\b", r"hard to say", r"difficult to say",
            r"can'?t say", r"cannot say", r"(?:have|need|had) to check", r"check with",
            r"\bask (?:my|our|the) ", r"not clear (?:whether|if)", r"what does .{1,40} mean",
            r"not my area", r"no clue", r"not the right person", r"ask someone else",
            r"let me (?:check|find out)", r"i'?ll (?:check|find out)", r"not in charge of",
            r"(?:can'?t|cannot|don'?t|do not) (?:remember|recall)", r"\bforgot\b",
            r"what counts as", r"whether (?:it|that|this) counts",
        ),
    ),
    (
        Cue.NOT_APPLICABLE,
        _any(
            "不涉及", "不适用", "不相关", "无关", "没关系", "没有关系", "对我们(?:来说)?不存在",
            "用不上", "不需要这", "不沾边", "沾不上边", "扯不上",
            r"(?<![a-z])n/a(?![a-z])", r"^na$", r"not applicable",
            r"(?:doesn'?t|does not|do not|don'?t)\s+(?:really\s+)?apply", r"not relevant",
            r"\birrelevant\b", r"no relevance",
            r"doesn'?t concern us", r"does not concern us",
        ),
    ),
    (Cue.NOT_APPLICABLE_WEAK, _any("谈不上", "无从谈起", "没法评", "无法评", "评不了")),
    (
        Cue.IGNORED,
        _any(
            "(?:不然|否则|要不然).*", "不断", "不少", "不同", "不仅", "不但", "不管", "无论",
            "未来", "非常", "民非", "非营利", "非公", "不久", "有没有", "是不是", "不满意",
            "不得", "只要", f"没有的(?={_HAN})", "没有时", "无需", "是否", "能否", "可否",
            # "没达标的查原因": the items that fail are the object of a procedure
            "(?:没有?|未|不)(?:达标|完成|合格|满意|通过|解决|做到|到位|满足|落实|按时)的",
            r"(?:otherwise|or else)\b.*", r"\bnon-", r"no matter", r"not only",
            r"\b(?:have|has|had) to\b", r"half[- ]year\w*", r"every half year",
            f"没人{_HAN}{{1,3}}的(?={_HAN})",  # "没人用的服务": a relative clause
            r"no (?:later|more) than", r"not (?:later|more) than",
        ),
    ),
    (
        Cue.LIMITED,  # hedged double negatives: "也不能说没有" grants only a little
        _any("不能说没有", "不能说完全没有", "也不是完全没有", "说不上没有",
             r"not that we have none"),
    ),
    (
        Cue.DOUBLE_NEGATION,
        _any(
            "没有不", "无一不", "不是没有", "不是没", "并非没有", "并非没", "并不是没有",
            "并不是没", "不存在没", "不存在不", "不会不",
            "没有哪[^,;。]{0,12}?(?:没|不)", "没有一[个项家次条位][^,;。]{0,10}?(?:没|不)",
            r"(?:it'?s )?not that we (?:don'?t|do not|haven'?t|have not)",
            r"\bno \w+(?: \w+)? without\b", r"\b(?:never|not) without\b",
            r"there (?:is|are)(?:n'?t| not) (?:a|any) \w+ without",
            r"\b(?:nobody|no one)\b[^.;,]{0,40}\b(?:before|until|unless|without)\b",
        ),
    ),
    (
        Cue.LITOTES,
        _any(
            "(?:从来|从|一次都|一个都|一家都|一项都|都)?(?:没有|没|不|未)"
            "(?:漏|落下|遗漏|中断|断|耽误|错过|缺|拖)(?:过|掉|了)?",
            "没什么问题", "没有问题", "没问题", "不成问题", "无一遗漏",
            r"no problem", r"\bno issues?\b", r"never (?:miss|skip|fail|forget|lose|drop)\w*",
            r"without (?:fail|exception)", r"no exceptions?",
        ),
    ),
    (
        Cue.LIMITED,  # negated universals: "不是所有部门都有" is partly
        _any(
            "不是所有", "不是全部", "不是每", "不是都", "并不是都", "并不是所有", "并不是每",
            "并非都", "并非所有", "并非每", "不全", "不完全", "不完整", "没有全部", "没全",
            "未全部", "并不都", "不都", "不是一直", "不总是", "不是很全",
            r"not all\b", r"not every", r"not entirely", r"not fully", r"not completely",
            r"not always", r"not everywhere", r"not for all", r"not each",
            r"\bincomplete\b", r"\bpartial(?:ly)?\b",
        ),
    ),
    (
        Cue.NEGATION,  # "基本没有" is essentially none
        _any(
            "(?:基本上?|几乎|差不多)(?:都)?(?:还)?(?:没有?|不|无|未)",
            r"almost (?:no|none|never|nothing)\b", r"hardly (?:any|ever)", r"\bbarely\b",
        ),
    ),
    (
        Cue.LIMITED,  # "大部分还没有" is mostly not: some at best
        _any(
            "(?:大部分|大多数|绝大多数|多数|一般|通常)(?:都)?(?:还)?(?:没有?|不|未)",
            r"mostly (?:not|don'?t)", r"most (?:of them )?(?:don'?t|do not|aren'?t|are not)",
        ),
    ),
    (
        Cue.SOFT_NEGATION,
        _any(
            "不是很", "不是太", "不太", "不够", "不大", "不怎么", "不算", "不是特别", "有待",
            "欠缺", "不足", "[得的]一般(?![都会是])", "一般般", "还行", "马马虎虎", "凑合",
            "紧张", "比较老", "老旧", "薄弱", "有限(?!公司)", "不够用",
            r"not very", r"not quite", r"not that (?:good|well)", r"not so\b",
            r"could be better", r"needs? (?:work|improvement)",
        ),
    ),
    (
        Cue.MINOR,
        _any(
            "个别", "偶尔", "有的时候", "有时候?", "极少数", "少数", "一两[个次项家条位周天]?",
            "一二[个次项家]", "(?<![十百千好])几(?:条|家|项|个(?!月))", "零星",
            "稍微", "稍有", "略有", "[少弱差慢]一[些点]", "时不时",
            "漏了一次", "漏过一次", "缺了一次", "少了一次", "不定期",
            r"\ba few\b", r"\ba couple\b", r"\boccasionally\b", r"\bsometimes\b",
            r"now and then", r"from time to time", r"\bslightly\b", r"\ba (?:bit|little)\b",
            r"one or two", r"once or twice", r"missed (?:one|a|an)\b", r"\bthe odd\b",
            r"here and there", r"minor gaps?",
        ),
    ),
    (
        Cue.MOSTLY,
        _any(
            "基本上", "基本(?![情信资条要服人功数知原框面])", "大部分", "绝大多数", "大多数",
            "绝大部分", "多数", "差不多", "大体上?", "总体上?", "总的来说", "大致", "大都",
            "几乎都", "几乎所有", "几乎每", "[七八九]成",
            "一般都", "一般会", "通常都?", "大半", "大多",
            r"\bmostly\b", r"\blargely\b", r"\bmost of\b", r"\bmost\b", r"almost (?:all|every)",
            r"nearly (?:all|every)", r"for the most part", r"by and large", r"\bbroadly\b",
            r"in most cases", r"\bgenerally\b", r"\busually\b", r"majority",
        ),
    ),
    (Cue.SOME, _any("有些", "一些", "某些", r"\bsome\b", r"\bcertain\b")),
    (
        Cue.LIMITED,
        _any(
            "一部分", "部分", "只在", "只有", "只是", "只对", "只给", "只做", "只和", "只",
            "仅仅", "仅有", "仅", "一半", "半数", "试行", "试点",
            "试运行", "局部", "刚开始", "刚起步", "起步阶段", "初步", "[一二三四五六]成",
            "很少", "极少", r"\brarely\b", r"\bseldom\b",
            "看情况", "视情况", "不一定", "因人而异", r"\bit depends\b", r"case by case",
            f"其他{_HAN}{{0,8}}?(?:还|尚)?(?:没|未|不)",
            f"其余{_HAN}{{0,8}}?(?:还|尚)?(?:没|未|不)",
            r"\bonly\b", r"\bhalf\b", r"\bpartly\b", r"part of", r"\bin part\b",
            r"\bpilot", r"\btrial\b", r"just started", r"early stage", r"a portion",
            r"others don'?t", r"the rest (?:don'?t|do not|still)",
        ),
    ),
    (
        Cue.INTENT,
        _any(
            "打算", "准备(?!好|齐|了)", "计划(?:在|于)?(?:明年|今年|下半年|年内|年底|下个?月|近期)",
            "想(?:做|搞|建|弄|开展)", "正在(?:建设|筹备|开发|制定|起草|搭建|申请|规划|研究)",
            "还在[办申弄搞建开筹研规起走谈编写改整]", "在(?:建设|筹备|开发|搭建)中?", "筹备",
            "明年(?:再|开始|打算|准备|做|搞|建)", "下一步(?:再|会|打算|准备)",
            r"plan(?:ning)? to", r"going to", r"will (?:start|do|set|introduce|launch|build)",
            r"(?:maybe|perhaps|probably|hopefully|by|from|starting|until) next year",
            r"next year (?:we|maybe|perhaps)", r"in the works", r"working on it", r"not started",
            r"haven'?t started", r"under (?:construction|development)", r"in progress",
        ),
    ),
    (
        Cue.NEGATION,
        _any(
            "从来没有?", "从未", "尚未", "还没有?", "暂无", "没有?", "未", "无", "不", "否",
            "哪有", "哪里有", "缺乏", "缺少", "空白",
            r"not yet", r"not really", r"\bno\b", r"\bnot\b", r"n't\b",
            r"\b(?:dont|doesnt|didnt|havent|hasnt|isnt|arent|wasnt|werent|cant|wont)\b",
            r"\bnever\b",
            r"\bnone\b", r"\bnothing\b", r"\bwithout\b", r"\black\w*", r"\bnobody\b",
            r"\bno one\b", r"\bcannot\b",
        ),
    ),
    (
        Cue.AFFIRMATION,
        _any(
            "有的", "有(?!点)", "是的", "是啊", "^是$", "对的", "^对$", "嗯", "当然", "肯定",
            "确实", "一直", "都", "每", "所有", "全部", "全都", "已经", "已", "做到", "做过",
            "做了", "建立", "制定", "符合", "满足", "具备", "在用", "坚持", "定期", "必须", "会的",
            "会", "可以", "能", "好", "不错", "到位", "齐全", "100%", "一律", "逐", "随时", "按时",
            "及时",
            r"\byes\b", r"\byeah\b", r"\byep\b", r"\bsure\b", r"\babsolutely\b", r"of course",
            r"\bindeed\b", r"\bdefinitely\b", r"\bcorrect\b", r"\bevery", r"\ball\b",
            r"\balways\b", r"\beach\b", r"\balready\b", r"in place", r"there (?:is|are)\b",
            r"in use", r"\bhave\b",
            # "we send a quarterly analysis": a plain statement of a practice
            r"\bwe(?:'ve| have)? (?!(?:don|do not|did|never|have no|haven|can|could|would|"
            r"might|may|will|should|need|want|plan|hope|try|are not|aren|was|were)\b)[a-z]+",
            r"\bhas\b", r"\bdo\b", r"\bdoes\b", r"\bdone\b", r"\bregularly\b", r"\bcertainly\b",
            r"\bfully\b", r"\bmet\b",
        ),
    ),
)

# fmt: on

CUE_TABLE: tuple[tuple[Cue, re.Pattern[str]], ...] = tuple(
    (cue, re.compile(pattern)) for cue, pattern in _PATTERNS
)

# Words that make an answer tentative ("好像有"): they lower confidence, never the status.
# fmt: off
HEDGES = re.compile(
    _any(
        "好像", "可能", "应该是?", "大概", "估计", "似乎", "也许", "或许", "印象中", "貌似",
        r"\bprobably\b", r"\bmaybe\b", r"\bi think\b", r"\bi guess\b", r"\bperhaps\b",
        r"\bmight\b", r"\bi believe\b", r"\bseems?\b",
    )
)
# fmt: on

# Quantity cues that may also be the subject of the question ("试点" in a question about
# pilots, "准备" in one about contingency plans): when the matched words are one of the words
# of the indicator's own title or question, they name the topic and are not read as a cue.
QUANTITY_CUES = frozenset({Cue.LIMITED, Cue.MINOR, Cue.INTENT})
