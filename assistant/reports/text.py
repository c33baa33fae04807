"""The reports' wording, Chinese first and English second (labels: ``assistant.vocabulary``)."""

from __future__ import annotations

from assistant.vocabulary import NOTES, Language

__all__ = ["general_items", "tr"]

# key: (zh, en). Placeholders are filled with str.format.
_TEXT: dict[str, tuple[str, str]] = {
    "title": ("中小企业服务机构能力成熟度自评估报告", "Self-assessment report"),
    "title_sub": (
        "依据 {standard}《中小企业服务 服务机构 通用能力成熟度模型》",
        "against {standard}, the maturity model for SME service institutions",
    ),
    "part_self": ("第一部分　自评估报告", "Part 1  Self-assessment"),
    "part_pack": ("第二部分　申请材料清单", "Part 2  Application pack"),
    "title_self": ("自评估报告", "Self-assessment report"),
    "title_pack": ("申请材料清单", "Application pack"),
    "disclaimer": (
        NOTES["provisional"].zh + NOTES["reference"].zh,
        NOTES["provisional"].en + " " + NOTES["reference"].en,
    ),
    "footer": ("自评结果仅供参考，以评估机构评定为准", "Provisional self-assessment"),
    "page": ("第 {n} 页", "Page {n}"),
    "h_profile": ("一、机构概况", "1. Institution profile"),
    "h_rating": ("二、评级结果", "2. Rating"),
    "h_plan": ("三、阻碍因素与提升计划", "3. Blockers and the plan for the next star"),
    "h_findings": ("四、逐项发现与证据", "4. Findings and evidence by indicator"),
    "h_versions": ("五、版本与说明", "5. Versions and notes"),
    "h_pack_general": ("一、通用申请材料（建议）", "1. General application documents (suggested)"),
    "h_pack_evidence": ("二、逐项证据材料", "2. Evidence by indicator"),
    "h_pack_gaps": ("三、待补充材料", "3. Still to provide"),
    "h_pack_scoring": (
        "评估时怎样判定（评分细则）",
        "How the assessor will judge them (scoring guidance)",
    ),
    "h_pack_loose": ("四、尚未关联指标的文件", "4. Files not linked to an indicator"),
    "f_name": ("机构名称", "Institution"),
    "f_type": ("机构类型", "Type"),
    "f_fields": ("服务领域", "Service fields"),
    "f_smes": ("年服务中小企业数", "SMEs served per year"),
    "f_target": ("目标星级", "Target"),
    "f_session": ("会话编号", "Session"),
    "f_generated": ("生成时间", "Generated"),
    "f_as_of": ("评估基准日", "Rated as of"),
    "f_scope": ("报告范围", "Scope"),
    "unset": ("未填写", "not given"),
    "scope_value": (
        "{first}至{last}，共 {count} 项指标",
        "{first} to {last}, {count} indicators",
    ),
    "stars_line": (
        "申报口径：{declared} ｜ 证据口径：{evidenced}",
        "Declared: {declared} | Evidenced: {evidenced}",
    ),
    "rating_explain": (
        "申报口径按机构确认的发现项计算；证据口径只在直接证据数量足够、在时效内（或经评估人员确认）"
        "时才认可“满足”“基本满足”，否则按“部分满足”计。星级取五个能力域中最低的等级，"
        "不在能力域之间取平均。",
        "The declared reading takes every confirmed finding as stated. The evidenced reading "
        "accepts met or largely met only when enough direct evidence, recent enough, is linked "
        "(or an assessor confirmed it); otherwise it counts as partly met. The stars are the "
        "lowest level that every area attains; areas are never averaged.",
    ),
    "chart_caption": (
        "图 1　各能力域达到的等级（0–5）：申报口径与证据口径",
        "Figure 1  Level attained per area (0–5): declared and evidenced",
    ),
    "completeness": (
        "{coverage}（{ratio:.0%}）；评估基准日 {as_of}。",
        "{coverage} ({ratio:.0%}); rated as of {as_of}.",
    ),
    "c_area": ("能力域", "Area"),
    "c_declared_level": ("申报等级", "Declared"),
    "c_evidenced_level": ("证据等级", "Evidenced"),
    "c_next": ("下一等级（证据口径）", "Next level (evidenced)"),
    "c_score": ("得分/门槛", "Score / threshold"),
    "c_rated": ("已评估", "Rated"),
    "c_indicator": ("指标", "Indicator"),
    "c_title": ("名称", "Title"),
    "c_level": ("星级", "Level"),
    "c_status": ("现状", "Status"),
    "c_reason": ("原因", "Reason"),
    "c_lift": ("说明与提升建议", "Why, and what would lift it"),
    "c_declared": ("申报", "Declared"),
    "c_evidenced": ("证据口径", "Evidenced"),
    "c_evidence": ("证据", "Evidence"),
    "c_note": ("备注", "Notes"),
    "c_item": ("材料", "Document"),
    "c_about": ("说明", "What it is"),
    "c_requirement": ("证据要求", "Requirement"),
    "c_kind": ("类型", "Kind"),
    "c_terms": ("数量与时效", "Count and age"),
    "c_uploaded": ("已上传", "Uploaded"),
    "c_gap": ("缺口", "Gap"),
    "c_file": ("文件", "File"),
    "c_date": ("日期", "Date"),
    "plan_heading": ("{basis}：迈向{star}", "{basis}: towards {star}"),
    "plan_top": (
        "{basis}已达到最高星级（五星）。",
        "The {basis} reading is at the top (five stars).",
    ),
    "plan_intro": (
        "尚未达到{star}的能力域：{areas}。每个能力域先列未满足的核心指标，再列提升得分最多的指标，"
        "最后列缺失或过期的证据：",
        "Areas not yet at {star}: {areas}. In each area, failing core indicators come first, "
        "then what raises the score most, then missing or stale evidence:",
    ),
    "plan_not_rated": (
        "部分指标尚未评估，{star}暂不能判定；完成这些指标的评估后再看结果。",
        "Some indicators are not rated yet, so {star} cannot be decided until they are.",
    ),
    "plan_target": (
        "目标星级为{target}：达到{star}之后，还需满足更高星级的全部指标，材料见第二部分。",
        "The target is {target}: after {star}, every indicator of the higher levels must hold "
        "as well; the materials are listed in part 2.",
    ),
    "core_mark": ("（核心）", " (core)"),
    "confirmed_by_assessor": ("评估人员已确认", "confirmed by an assessor"),
    "no_indicators": ("本能力域在范围内没有指标。", "No indicator of this area is in scope."),
    "v_standard": ("标准", "Standard"),
    "v_catalog": ("指标目录版本", "Indicator catalog"),
    "v_rules": ("评级规则版本", "Rating rules"),
    "v_hash_mismatch": (
        "注意：本评级按指标目录 {rated} 计算，与当前目录 {current} 不同，个别指标可能已调整。",
        "Note: this rating was computed with catalog {rated}, not the current {current}; "
        "some indicators may have changed.",
    ),
    "pack_intro": (
        "拟申请星级：{star}（{source}）。范围：{scope}。申请由机构自愿向指定评估机构之一提出；"
        "本清单帮助整理材料，具体材料和格式以受理评估机构的要求为准。",
        "Star applied for: {star} ({source}). Scope: {scope}. Institutions apply voluntarily "
        "to one of the designated assessment bodies; this list helps to gather the documents, "
        "and the receiving body's own requirements prevail.",
    ),
    "pack_source_target": ("按目标星级", "the target"),
    "pack_source_next": ("未填写目标星级，按证据口径的下一星级", "no target given: the next star"),
    "pack_general_note": (
        "以下为一般性建议，并非评估机构公布的清单。",
        "General suggestions, not a list published by an assessment body.",
    ),
    "pack_totals": (
        "范围内共有直接证据要求 {total} 项：已齐备 {done} 项，待补充 {open} 项。",
        "{total} direct evidence requirements in scope: {done} complete, {open} still open.",
    ),
    "pack_all_done": (
        "范围内的直接证据要求均已齐备。",
        "Every direct evidence requirement is met.",
    ),
    "pack_loose_intro": (
        "下列文件已上传，但尚未确认对应的指标（或未标注类型），确认后才计入证据：",
        "These files were uploaded but are not linked to an indicator (or have no kind) yet; "
        "they count only once confirmed:",
    ),
    "terms_count": ("至少{n}份", "at least {n}"),
    "terms_age": ("{n}个月内", "within {n} months"),
    "terms_operating": ("运行≥{n}个月", "running ≥{n} months"),
    "gap_none": ("—", "—"),
    "gap_count": ("还缺 {n} 份", "{n} more needed"),
    "gap_operating": (
        "需显示运行≥{need}个月（现为 {have} 个月）",
        "must show ≥{need} months of operation (now {have})",
    ),
    "gap_operating_new": (
        "材料须显示运行≥{need}个月",
        "must show ≥{need} months of operation",
    ),
    "gap_stale": (
        "需{age}个月内的材料（有效 {fresh}/{need} 份）",
        "needs items from the last {age} months ({fresh} of {need} recent)",
    ),
    "gap_item": (
        "{indicator} {kind}：{description}——{gap}",
        "{indicator} {kind}: {description} — {gap}",
    ),
    "nothing_uploaded": ("未上传", "nothing yet"),
    "untyped": ("未标注类型", "no kind set"),
    "unlinked": ("未关联指标", "not linked"),
}

# The fixed documents of an application: general practice for conformity assessments,
# written for this project; the receiving body's list prevails.
_GENERAL_ITEMS: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (
        ("评估申请书", "Application form"),
        (
            "写明拟申请的星级、联系人和联系方式，由机构负责人签字并加盖公章。",
            "States the star applied for and the contact person; signed and sealed.",
        ),
    ),
    (
        ("法人登记证书复印件", "Registration certificate (copy)"),
        (
            "营业执照、事业单位法人证书或社会组织登记证书，加盖公章。",
            "Business licence, public institution or social organisation certificate; sealed.",
        ),
    ),
    (
        ("机构基本情况介绍", "Institution overview"),
        (
            "组织架构、人员与场地、主要服务领域，以及近年服务中小企业的数量和成效。",
            "Structure, staff, premises, service fields, SMEs served and results lately.",
        ),
    ),
    (
        ("自评估报告", "Self-assessment report"),
        (
            "可使用本助手生成的自评估报告，其中列明各能力域的自评等级和对应证据。",
            "The self-assessment this assistant produces: each area's level and its evidence.",
        ),
    ),
    (
        ("证据材料汇编及目录", "Evidence bundle with an index"),
        (
            "按指标编号整理第二节所列材料，目录中注明每份材料对应的指标。",
            "The documents of section 2, filed by indicator id, with an index.",
        ),
    ),
    (
        ("遵守标准与评估规定的承诺书", "Undertaking to follow the standard and the rules"),
        (
            "承诺材料真实，认同并遵守标准和评估管理规定。",
            "Declares the documents true and accepts the standard and the assessment rules.",
        ),
    ),
    (
        ("授权委托书（如由经办人办理）", "Letter of authority (if an agent applies)"),
        ("载明经办人的姓名、职务和授权范围。", "Names the agent, their post and what they may do."),
    ),
)


def _pick(pair: tuple[str, str], language: Language) -> str:
    return pair[1] if language == "en" else pair[0]


def tr(key: str, language: Language, **values: object) -> str:
    """The text for ``key`` in ``language``, with ``values`` filled in."""
    template = _pick(_TEXT[key], language)
    return template.format(**values) if values else template


def general_items(language: Language) -> tuple[tuple[str, str], ...]:
    """The fixed application documents as (name, what it is), in ``language``."""
    return tuple((_pick(name, language), _pick(about, language)) for name, about in _GENERAL_ITEMS)
