"""Exact answers about how the rating works (numbers from the ``RuleSet``, cited to annex
R.1) and about the assessment programme (facts read from the clauses of annex R.2).

Annex R is the project's own rules and its summary of the public notice, not the standard;
every answer here cites it, so the reminder that says so is always added.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.knowledge.schema import FindingStatus, Level
from assistant.qa.exact_parts import (
    Draft,
    Knowledge,
    Sources,
    decimal,
    join,
    pick,
    sentences,
    stars,
)
from assistant.qa.intent import Intent
from assistant.qa.lexicon import Cue
from assistant.qa.models import Language
from assistant.vocabulary import status_label

__all__ = ["list_items", "programme_answer", "rating_answer", "sentence_with", "sentences_with"]

_SCORES = "R.1.1"
_LEVEL = "R.1.2"
_STARS = "R.1.3"
_NOT_RATED = "R.1.4"
_READINGS = "R.1.5"
_WHY = "R.1.8"  # why the scores and the threshold are what they are
_SCORED = (
    FindingStatus.MET,
    FindingStatus.LARGELY_MET,
    FindingStatus.PARTLY_MET,
    FindingStatus.NOT_MET,
)


def _status(status: FindingStatus, language: Language) -> str:
    return status_label(status, language, inline=True)


def _statuses(statuses: Sequence[FindingStatus], language: Language) -> str:
    labels = [_status(s, language) for s in _SCORED if s in statuses]
    return pick(language, "或".join(labels), " or ".join(labels))


# --- the rating ----------------------------------------------------------------------------


def rating_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft:
    leads = _rating_leads(knowledge, intent, sources)
    body = _rating_rules(knowledge, intent.language, sources)
    rules = "\n".join(f"{n}. {rule}" for n, rule in enumerate(body, 1))
    return Draft(sentences(intent.language, *leads), rules)


def _thresholds(knowledge: Knowledge, levels: Sequence[int], language: Language) -> str:
    rules = knowledge.rules
    shown = levels or [int(level) for level in Level]
    values = {level: rules.threshold_for(level) for level in shown}
    if len(set(values.values())) == 1:
        value = decimal(next(iter(values.values())))
        if levels:
            return value
        return pick(language, f"{value}（各等级相同）", f"{value} (the same at every level)")
    return join((f"{stars(lv, language)} {decimal(v)}" for lv, v in values.items()), language)


def _scores(knowledge: Knowledge, language: Language) -> str:
    scores = knowledge.rules.scores
    return join((f"{_status(s, language)} {decimal(scores[s])}" for s in _SCORED), language)


def _rating_leads(knowledge: Knowledge, intent: Intent, sources: Sources) -> list[str]:
    """One or two sentences for what was asked, in a fixed order of precedence."""
    language = intent.language
    cues = intent.cues
    leads = [
        _lead(cue, knowledge, intent, sources)
        for cue in (
            Cue.THRESHOLD,
            Cue.SCORES,
            Cue.NOT_RATED,
            Cue.READINGS,
            Cue.LOWEST,
            Cue.CORE,
            Cue.CUMULATIVE,
        )
        if cue in cues or (cue is Cue.CORE and Cue.CONSEQUENCE in cues)
    ][:2]
    if leads:
        return leads
    passing = _statuses(sorted(knowledge.rules.core_pass_statuses), language)
    threshold = _thresholds(knowledge, intent.levels, language)
    return [
        pick(
            language,
            f"评级逐个能力域、逐级判定：已达到下一级、该等级的核心指标都为{passing}、"
            f"加权得分不低于门槛值 {threshold}，该能力域才达到这一等级 {sources.clause(_LEVEL)}。"
            f"机构星级取五个能力域所达等级中的最低者，不在能力域之间平均 "
            f"{sources.clause(_STARS)}。",
            f"Each area is rated level by level: it attains a level when it attains the one "
            f"below, every core indicator of the level is {passing}, and the level's weighted "
            f"score reaches the threshold {threshold} {sources.clause(_LEVEL)}. The stars are "
            f"the lowest level all five areas attain, never an average {sources.clause(_STARS)}.",
        )
    ]


def _lead(cue: Cue, knowledge: Knowledge, intent: Intent, sources: Sources) -> str:
    language = intent.language
    if cue is Cue.THRESHOLD:
        threshold = _thresholds(knowledge, intent.levels, language)
        which = stars(intent.levels[0], language) if len(intent.levels) == 1 else ""
        level, why = sources.clause(_LEVEL), sources.clause(_WHY)
        largely = knowledge.rules.score(FindingStatus.LARGELY_MET)
        enough = all(
            largely >= knowledge.rules.threshold_for(lv) for lv in intent.levels or list(Level)
        )
        return pick(
            language,
            f"{which}门槛值是 {threshold}：某一能力域该等级指标的加权得分不低于门槛值、"
            f"核心指标都通过，才达到该等级 {level}；"
            f"指标全部基本满足（得分 {decimal(largely)}）"
            f"{'即可' if enough else '还不能'}达到 {why}。",
            f"The pass mark{' for ' + which if which else ''} is {threshold}: an area attains a "
            f"level when its weighted score there reaches it and every core passes {level}; "
            f"all largely met (scoring {decimal(largely)}) is {'' if enough else 'not '}enough "
            f"{why}.",
        )
    if cue is Cue.SCORES:
        return pick(
            language,
            f"各状态的得分为：{_scores(knowledge, language)}；加权得分 = Σ(权重 × 得分) ÷ Σ权重，"
            f"不适用的指标不计入 {sources.clause(_SCORES)}。",
            f"The scores are {_scores(knowledge, language)}; the weighted score is "
            f"Σ(weight × score) ÷ Σweight, not-applicable indicators left out "
            f"{sources.clause(_SCORES)}.",
        )
    return _plain_lead(cue, knowledge, language, sources)


def _plain_lead(cue: Cue, knowledge: Knowledge, language: Language, sources: Sources) -> str:
    if cue is Cue.NOT_RATED:
        return pick(
            language,
            "结论取决于尚未评估的指标时，该等级判为“未评定”，与“未达到”分开显示："
            f"未评定表示还缺信息，不表示未达标 {sources.clause(_NOT_RATED)}。",
            "When a level's verdict hangs on indicators not yet rated, it is “not rated”, "
            "shown apart from “not attained”: information is missing, the level has not "
            f"failed {sources.clause(_NOT_RATED)}.",
        )
    if cue is Cue.READINGS:
        capped = _status(knowledge.rules.evidence_cap, language)
        return pick(
            language,
            "每次评级同时给出申报口径和证据口径：证据口径下，满足或基本满足只有在直接证据齐全、"
            f"未过期时才算，否则按{capped}计 {sources.clause(_READINGS)}。",
            "Every rating has a declared and an evidenced reading: in the evidenced one, met or "
            "largely met counts only with enough fresh direct evidence, otherwise as "
            f"{capped} {sources.clause(_READINGS)}.",
        )
    if cue is Cue.LOWEST:
        return pick(
            language,
            "机构星级取五个能力域所达等级中的最低者，不在能力域之间平均：最弱的能力域决定星级 "
            f"{sources.clause(_STARS)}。",
            "The stars are the lowest level that all five areas attain, never an average: the "
            f"weakest area decides {sources.clause(_STARS)}.",
        )
    if cue is Cue.CORE:
        return pick(
            language,
            "核心指标是否决项：它为部分满足或不满足时，无论其他指标得分多高，"
            f"该能力域都达不到它所在的等级 {sources.clause(_LEVEL)}。",
            "A core indicator is a veto: partly met or not met, it keeps the area from its level "
            f"whatever the other scores {sources.clause(_LEVEL)}.",
        )
    return pick(
        language,
        f"等级逐级判定：达到第 L 级须先达到第 L−1 级，不能跳级 {sources.clause(_LEVEL)}。",
        f"Levels are attained in order: level L needs level L−1 first, no level is skipped "
        f"{sources.clause(_LEVEL)}.",
    )


def _rating_rules(knowledge: Knowledge, language: Language, sources: Sources) -> list[str]:
    rules = knowledge.rules
    passing = _statuses(sorted(rules.core_pass_statuses), language)
    capped = _status(rules.evidence_cap, language)
    threshold = _thresholds(knowledge, (), language)
    level, scores = sources.clause(_LEVEL), sources.clause(_SCORES)
    stars_mark, pending = sources.clause(_STARS), sources.clause(_NOT_RATED)
    readings = sources.clause(_READINGS)
    if language == "en":
        return [
            f"**Level by level**: an area attains level L only after level L−1; level L counts "
            f"only the indicators marked L, and lower ones keep holding {level}.",
            f"**Cores**: every core indicator of the level must be {passing} {level}.",
            f"**Threshold**: the level's weighted score must reach {threshold} {level}.",
            f"**Scores**: {_scores(knowledge, language)}; not applicable is left out, not "
            f"rated is judged best and worst case {scores}.",
            f"**Stars**: the lowest level of the five areas, never averaged {stars_mark}.",
            f"**Not rated ≠ failed**: a verdict that hangs on unrated indicators is “not rated” "
            f"{pending}.",
            f"**Declared and evidenced**: without enough fresh direct evidence, met or largely "
            f"met counts as {capped} in the evidenced reading {readings}.",
        ]
    return [
        f"**逐级判定**：达到第 L 级须先达到第 L−1 级；第 L 级只计等级标为 L 的指标，"
        f"较低等级的指标继续有效 {level}。",
        f"**核心指标**：该等级的每条核心指标须为{passing} {level}。",
        f"**门槛值**：该等级指标的加权得分不低于 {threshold} {level}。",
        f"**得分**：{_scores(knowledge, language)}；不适用不计入，未评估按最好和最坏情形判断 "
        f"{scores}。",
        f"**机构星级**：五个能力域所达等级中的最低者，不在能力域之间平均 {stars_mark}。",
        f"**未评定不等于未达到**：结论取决于未评估指标时判为“未评定” {pending}。",
        f"**两种口径**：证据口径下，直接证据不足或过期的满足、基本满足按{capped}计 {readings}。",
    ]


# --- the programme (annex R.2) -------------------------------------------------------------

_PUBLISHED, _MANAGER = "R.2.1", "R.2.3"
_BODIES, _WHO_MAY_APPLY, _PROCESS = "R.2.4", "R.2.5", "R.2.6"
_CERTIFICATE = "R.2.7"
# English for the steps of R.2.6, in its order; used only when the clause has as many steps
_STEPS_EN = (
    "self-assessment against the indicators, evidence gathered",
    "application to a designated assessment body",
    "document review",
    "on-site or online assessment",
    "rating against each star level's requirements",
    "review, then the result: a certificate when passed",
)


def sentences_with(text: str, *needles: str) -> list[str]:
    """The sentences (each to its 。) of ``text`` that hold every needle."""
    return [
        sentence.strip() + "。"
        for line in text.splitlines()
        for sentence in line.split("。")
        if sentence.strip() and all(needle in sentence for needle in needles)
    ]


def sentence_with(text: str, *needles: str) -> str:
    """The first sentence of ``text`` that holds every needle; "" when none does."""
    found = sentences_with(text, *needles)
    return found[0] if found else ""


def list_items(text: str) -> list[str]:
    """The items "a) …；" of a clause, without their letters and closing punctuation."""
    items = []
    for line in text.splitlines():
        line = line.strip()
        if len(line) > 3 and line[0].isascii() and line[0].isalpha() and line[1:3] == ") ":
            items.append(line[3:].rstrip("；;。."))
    return items


def programme_answer(knowledge: Knowledge, intent: Intent, sources: Sources) -> Draft | None:
    cues = intent.cues
    parts: list[Draft | None] = []
    if Cue.PUBLISHER in cues:
        parts.append(_publisher(knowledge, intent.language, sources))
    if Cue.ASSESSOR in cues or {Cue.WHO, Cue.ASSESS} <= cues:
        parts.append(_bodies(knowledge, intent.language, sources))
    if {Cue.APPLY, Cue.MATERIAL} <= cues:
        parts.append(_application_materials(knowledge, intent.language, sources))
    if Cue.APPLY in cues:
        parts.append(_apply(knowledge, intent.language, sources))
    if Cue.REMEDY in cues:
        parts.append(_remedy(knowledge, intent.language, sources))
    if Cue.OFFICIAL in cues:
        parts.append(_official(knowledge, intent.language, sources))
    if Cue.BENEFIT in cues:
        parts.append(_benefits(knowledge, intent.language, sources))
    drafts = [p for p in parts if p is not None]
    if not drafts:
        return None
    lead = sentences(intent.language, *(d.lead for d in drafts))
    return Draft(lead, "\n\n".join(d.body for d in drafts if d.body))


def _clause_text(knowledge: Knowledge, number: str) -> str:
    clause = knowledge.clauses.get(number)
    return clause.text if clause else ""


def _publisher(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    published = sentence_with(_clause_text(knowledge, _PUBLISHED), "发布", "编号")
    manager = sentence_with(_clause_text(knowledge, _MANAGER), "发布单位")
    developed = "".join(sentences_with(_clause_text(knowledge, _PUBLISHED), "研制"))
    if not (published and manager):
        return None
    if language == "en":
        lead = (
            "The standard T/ZXGJXH 002—2023 was published as a group standard in December "
            f"2023 by 中国中小企业国际合作协会 {sources.clause(_PUBLISHED)}, which also guides, "
            f"manages and supervises the assessments {sources.clause(_MANAGER)}."
        )
        body = (
            "It was developed by 中国中小企业发展促进中心 with institutes of the Ministry of "
            "Industry and Information Technology, local SME public service bodies and "
            "professional service firms."
        )
        return Draft(lead, body)
    lead = f"{published[:-1]} {sources.clause(_PUBLISHED)}。{manager[:-1]} "
    lead += f"{sources.clause(_MANAGER)}。"
    return Draft(lead, developed)


def _remedy(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    return _one_sentence(
        knowledge,
        language,
        sources,
        (_PROCESS, "整改"),
        "时限和做法以评估机构的工作规范为准",
        "Problems found during the assessment can usually be fixed and the evidence completed "
        "within a set time; the time limit and the way to do it are the assessment body's",
    )


def _official(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    return _one_sentence(
        knowledge,
        language,
        sources,
        (_PUBLISHED, "参考指标"),
        "正式评估按评估机构依据标准编制的评估办法和评估指标进行",
        "No: the indicators here are this project's own reference indicators, not the official "
        "assessment indicators, which were compiled with the assessment rules after the standard "
        "was published; the official assessment follows the assessment bodies' rules",
    )


def _application_materials(
    knowledge: Knowledge, language: Language, sources: Sources
) -> Draft | None:
    return _one_sentence(
        knowledge,
        language,
        sources,
        (_WHO_MAY_APPLY, "申请材料"),
        "本项目建议先按标准自评估，备齐核心指标的证据",
        "The launch notice publishes no list of application documents and no detailed "
        "eligibility rules; the assessment body's rules decide. This project suggests a "
        "self-assessment against the standard first, with the evidence for the core indicators "
        "complete",
    )


def _benefits(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    text = _clause_text(knowledge, _CERTIFICATE)
    certificate = sentence_with(text, "证书")
    recommended = sentence_with(text, "推荐")
    if not (certificate and recommended):
        return None
    mark = sources.clause(_CERTIFICATE)
    lead = pick(
        language,
        f"{certificate}{recommended[:-1]} {mark}。",
        "An institution that passes receives a service capability conformity certificate for "
        "its star level, and the association recommends it to government departments, SME "
        "public service bodies and service platforms such as the China SME service website "
        f"{mark}.",
    )
    body = pick(
        language,
        "".join(sentences_with(text, "参考")),
        "Subsidy schemes and platforms may take the result into account; whether and how is "
        "for each of them to decide.",
    )
    return Draft(lead, body)


def _one_sentence(
    knowledge: Knowledge,
    language: Language,
    sources: Sources,
    where: tuple[str, str],
    zh_tail: str,
    en: str,
) -> Draft | None:
    """The sentence of clause ``where[0]`` holding ``where[1]``, then ``zh_tail``; in English
    ``en``, written from the same sentence. None when the clause no longer says it."""
    number, needle = where
    said = sentence_with(_clause_text(knowledge, number), needle)
    if not said:
        return None
    mark = sources.clause(number)
    return Draft(pick(language, f"{said[:-1]}；{zh_tail} {mark}。", f"{en} {mark}."), "")


def _bodies(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    text = _clause_text(knowledge, _BODIES)
    names = list_items(text)
    if not names:
        return None
    mark = sources.clause(_BODIES)
    lead = pick(
        language,
        f"评估由管理机构指定的评估机构实施，启动通知公布了 {len(names)} 家；"
        f"申请机构向其中之一提出申请，名单调整以管理机构公布的为准 {mark}。",
        f"Assessments are made by the assessment bodies the managing association designates; "
        f"the launch notice names {len(names)}, and an institution applies to one of them "
        f"{mark}.",
    )
    return Draft(lead, "\n".join(f"{n}. {name}" for n, name in enumerate(names, 1)))


def _apply(knowledge: Knowledge, language: Language, sources: Sources) -> Draft | None:
    who = _clause_text(knowledge, _WHO_MAY_APPLY)
    voluntary = sentence_with(who, "自愿申请")
    anyone = sentence_with(who, "都可以")
    steps = list_items(_clause_text(knowledge, _PROCESS))
    if not (voluntary and anyone and steps):
        return None
    marks = sources.clauses(_WHO_MAY_APPLY, _PROCESS)
    if language == "en":
        lead = (
            "Applying is voluntary: any SME service institution — public service body, "
            "market-based institution or non-profit — that accepts the association's standards "
            f"and rules may apply to a designated assessment body {marks}."
        )
        shown = list(_STEPS_EN) if len(steps) == len(_STEPS_EN) else steps
    else:
        lead = f"{voluntary}{anyone[:-1]} {marks}。"
        shown = steps
    return Draft(lead, "\n".join(f"{n}. {step}" for n, step in enumerate(shown, 1)))
