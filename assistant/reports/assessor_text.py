"""The wording of the assessor's report and the comparison report, Chinese first and English
second (labels of codes: ``assistant.vocabulary``)."""

from __future__ import annotations

from assistant.vocabulary import Language

__all__ = ["check_label", "tr"]

# key: (zh, en). Placeholders are filled with str.format.
_TEXT: dict[str, tuple[str, str]] = {
    "title": ("中小企业服务机构能力成熟度评估报告", "Assessment report"),
    "title_sub": (
        "评估人员签署版本 {version}｜依据 {standard}",
        "signed by the assessor, version {version} | against {standard}",
    ),
    "footer": (
        "评估人员签署版本 {version}　快照 {sha}",
        "Signed version {version}  snapshot {sha}",
    ),
    "page": ("第 {n} 页", "Page {n}"),
    "h_profile": ("一、机构概况", "1. Institution"),
    "h_result": ("二、签署结果", "2. The signed result"),
    "h_areas": ("三、各能力域等级与阻碍项（评估确认口径）", "3. Level and blockers per area"),
    "h_deviations": (
        "四、与申请方自评不一致的认定",
        "4. Where the assessor departs from the applicant's own reading",
    ),
    "h_findings": ("五、逐项认定", "5. Every finding"),
    "h_evidence": ("六、抽查证据", "6. Sampled evidence"),
    "h_records": ("七、访谈与现场查看记录", "7. Interview and observation records"),
    "h_notes": ("八、评估人员备注", "8. Assessor's notes"),
    "h_signature": ("九、签署", "9. Signatures"),
    "h_full": ("附注：完整文字", "Notes: the full texts"),
    "clipped": ("……（全文见附注 {n}）", "… (in full: note {n} at the end)"),
    "full_item": ("附注 {n}：{label}", "Note {n}: {label}"),
    "l_override": ("{id} 改判理由", "{id}: the assessor's reason"),
    "l_reason": ("{id} 说明", "{id}: the reason given"),
    "l_check": ("{file} 核验说明", "{file}: the check's note"),
    "l_rejected": ("{id} 未予认可的文件", "{id}: the rejected files"),
    "more_files": ("……另有 {n} 份文件", "… and {n} more files"),
    "f_name": ("机构名称", "Institution"),
    "f_type": ("机构类型", "Type"),
    "f_fields": ("服务领域", "Service fields"),
    "f_smes": ("年服务中小企业数", "SMEs served per year"),
    "f_target": ("目标星级", "Target"),
    "f_session": ("评估编号", "Assessment"),
    "unset": ("未填写", "not given"),
    "stars_line": (
        "申报口径：{declared} ｜ 证据口径：{evidenced} ｜ 评估确认：{confirmed}",
        "Declared: {declared} | Evidenced: {evidenced} | Confirmed by the assessor: {confirmed}",
    ),
    "result_explain": (
        "申报口径按机构陈述的认定计算；证据口径只认可数量足够、在时效内的直接证据；评估确认口径"
        "只计评估人员核实过的文件和访谈、现场查看记录。三种口径都按同一版本的规则计算。",
        "The declared reading takes each finding as stated; the evidenced reading accepts only "
        "enough recent direct evidence; the confirmed reading counts only the files the "
        "assessor verified and the interview and observation records. All three use the same "
        "versioned rules.",
    ),
    "r_signer": ("签署人", "Signed by"),
    "r_signed_at": ("签署时间", "Signed at"),
    "r_version": ("签署版本", "Version"),
    "r_as_of": ("评估基准日", "Rated as of"),
    "r_catalog": ("指标目录版本", "Indicator catalog"),
    "r_rules": ("评级规则版本", "Rating rules"),
    "r_snapshot": ("快照 SHA-256", "Snapshot SHA-256"),
    "r_catalog_mismatch": (
        "注意：本次签署按指标目录 {signed} 计算，与当前目录 {current} 不同；"
        "指标名称按当前目录显示。",
        "Note: this sign-off used catalog {signed}, not the current {current}; indicator titles "
        "are shown from the current catalog.",
    ),
    "reopened": (
        "本版本已于 {at} 由 {by} 重新开启（原因：{reason}），不再是现行结论；签署内容保持不变。",
        "This version was reopened on {at} by {by} (reason: {reason}); it is no longer the "
        "current result. What was signed is kept unchanged.",
    ),
    "c_area": ("能力域", "Area"),
    "c_declared_level": ("申报等级", "Declared"),
    "c_evidenced_level": ("证据等级", "Evidenced"),
    "c_confirmed_level": ("评估确认等级", "Confirmed"),
    "c_indicator": ("指标", "Indicator"),
    "c_title": ("名称", "Title"),
    "c_level": ("星级", "Level"),
    "c_status": ("现状", "Status"),
    "c_reason": ("原因", "Reason"),
    "c_why": ("说明", "Why"),
    "c_applicant": ("申请方陈述", "Applicant"),
    "c_assessor": ("评估认定", "Assessor"),
    "c_basis": ("依据", "Basis"),
    "c_evidence": ("证据", "Evidence"),
    "c_note": ("备注", "Notes"),
    "c_file": ("文件", "File"),
    "c_kind": ("类型", "Kind"),
    "c_date": ("日期", "Date"),
    "c_sampled": ("抽查", "Sampled"),
    "c_result": ("核验结果", "Result"),
    "c_record": ("记录", "Record"),
    "c_about": ("对象", "About"),
    "c_text": ("内容", "Text"),
    "c_by": ("评估人员", "Assessor"),
    "c_when": ("时间", "When"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "whole": ("整体", "whole assessment"),
    "none_areas": ("各能力域均无阻碍项。", "No area has a blocker."),
    "no_blockers": ("本能力域没有阻碍项。", "No blocker in this area."),
    "no_deviations": (
        "评估人员的认定与申请方的陈述一致。",
        "The assessor's findings agree with what the applicant stated.",
    ),
    "deviation_intro": (
        "先列评估人员改判的指标，再列因证据未经核实或被否而按较低状态计入评估确认口径的指标。",
        "First the findings the assessor set, then those the confirmed reading counts lower "
        "because their evidence was not verified or was rejected.",
    ),
    "unknown_applicant": ("未陈述", "not stated"),
    "unknown_applicant_note": (
        "“未陈述”：申请方对该指标没有作出陈述，由评估人员直接认定。",
        "'Not stated': the applicant gave no statement on this indicator; the assessor set it.",
    ),
    "override": ("评估人员改判", "set by the assessor"),
    "confirmed_same": ("评估人员确认", "confirmed by the assessor"),
    "by_evidence": ("评估确认口径按证据计为此状态", "counted so on the verified evidence"),
    "rejected_files": ("未予认可的文件", "rejected files"),
    "unverified": ("未经核实", "not verified"),
    "no_findings": ("本能力域没有已认定的指标。", "No finding in this area."),
    "not_in_catalog": ("不在当前目录中的指标", "Indicators not in the current catalog"),
    "no_sampled": ("评估人员未记录抽查的证据。", "The assessor recorded no sampled evidence."),
    "evidence_totals": (
        "共 {total} 份证据文件，抽查 {sampled} 份：核实 {verified} 份，未予认可 {rejected} 份，"
        "未判定 {open} 份。",
        "{total} evidence files, {sampled} sampled: {verified} verified, {rejected} rejected, "
        "{open} not judged.",
    ),
    "no_records": ("没有访谈或现场查看记录。", "No interview or observation record."),
    "no_text": ("（记录正文不可用）", "(the record's text is not available)"),
    "no_notes": ("没有备注。", "No notes."),
    "sig_intro": (
        "本报告内容取自上述签署快照（SHA-256 见第二节），签署后会话的任何改动都不影响本报告。",
        "This report is made from the signed snapshot above (SHA-256 in section 2); nothing "
        "done in the session after the sign-off changes it.",
    ),
    "sig_assessor": ("评估人员（签字）", "Assessor (signature)"),
    "sig_date": ("日期", "Date"),
    "sig_seal": ("评估机构盖章", "Seal of the assessment body"),
    "sig_line": ("签字：________________________", "Signature: ______________________"),
    "sig_date_line": ("________年______月______日", "______ / ______ / __________"),
    "sig_seal_space": ("\n\n\n（盖章）", "\n\n\n(seal)"),
    "core_mark": ("（核心）", " (core)"),
    # the comparison report
    "cmp_title": ("评估对比报告", "Comparison of two assessments"),
    "cmp_sub": (
        "本次评估 {now}　对比上次签署 {then}（版本 {version}）",
        "This assessment {now} against the earlier sign-off {then} (version {version})",
    ),
    "cmp_footer": ("评估对比报告", "Comparison report"),
    "cmp_h_areas": ("一、各能力域等级变化", "1. Levels per area, then and now"),
    "cmp_h_findings": ("二、发生变化的认定", "2. Findings that changed"),
    "cmp_h_evidence": ("三、证据更新情况", "3. Evidence renewed and expired"),
    "cmp_then_now": ("{then} → {now}", "{then} → {now}"),
    "cmp_stars": ("星级", "Stars"),
    "cmp_no_changes": ("没有发生变化的认定。", "No finding changed."),
    "cmp_renewed": ("已更新", "Renewed"),
    "cmp_expired": ("已过期、待更新", "Expired, to renew"),
    "cmp_none": ("无", "none"),
    "cmp_intro": (
        "上次评估以签署快照为准；本次为复评会话的当前结果（评估确认口径在本次签署前按已核实的证据计算）。",
        "Then is the signed snapshot; now is the re-assessment as it stands (its confirmed "
        "reading counts the evidence verified so far).",
    ),
    "cmp_totals": (
        "认定：上次 {then} 项，本次 {now} 项；状态变化 {changed} 项（提升 {improved}，下降 "
        "{worsened}）；沿用待确认 {carried} 项；尚待重新回答 {awaiting} 项。"
        "证据：沿用 {e_carried}，更新 {e_renewed}，"
        "过期 {e_expired}，新增 {e_new}。",
        "Findings: {then} then, {now} now; {changed} changed ({improved} up, {worsened} down); "
        "{carried} carried, to be confirmed; {awaiting} still to be answered again. "
        "Evidence: {e_carried} carried, {e_renewed} "
        "renewed, {e_expired} expired, {e_new} new.",
    ),
    "cmp_carried": ("沿用待确认", "carried, to be confirmed"),
    "cmp_assessor_then": ("上次由评估人员认定", "set by the assessor last time"),
    "cmp_not_yet": ("—（尚无）", "— (not yet)"),
    "cmp_carried_new": ("沿用", "Carried"),
    "cmp_new": ("新增", "New"),
    "c_fate": ("情况", "What happened"),
    "a_applicant": ("申请方", "applicant"),
    "a_assessor": ("评估人员", "assessor"),
    "a_system": ("系统", "system"),
    "c_then": ("上次", "Then"),
    "c_now": ("本次", "Now"),
    "c_who": ("变更人", "Changed by"),
    "c_reading": ("口径", "Reading"),
}

_CHECKS: dict[bool | None, tuple[str, str]] = {
    True: ("已核实", "Verified"),
    False: ("未予认可", "Rejected"),
    None: ("未判定", "Not judged"),
}


def tr(key: str, language: Language, **values: object) -> str:
    """The text for ``key`` in ``language``, with ``values`` filled in."""
    zh, en = _TEXT[key]
    template = en if language == "en" else zh
    return template.format(**values) if values else template


def check_label(verified: bool | None, language: Language) -> str:
    """Verified / rejected / not judged, as the console and the report say it."""
    zh, en = _CHECKS[verified]
    return en if language == "en" else zh
