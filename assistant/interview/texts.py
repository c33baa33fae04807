"""Every sentence the interview says, Chinese first and English second.

Kept as data in one place so wording is reviewed together and never drifts between the
manager, the CLI and the web page.
"""

from __future__ import annotations

from assistant.session.models import Language

__all__ = ["MESSAGES", "say"]

MESSAGES: dict[str, tuple[str, str]] = {
    "welcome": (
        "您好！我是中小企业服务机构能力成熟度（T/ZXGJXH 002—2023）自评助手。"
        "我会先了解机构的基本情况，再按五个能力域、从一星往上逐项询问，"
        "最后给出**临时星级**、影响升星的差距和申报材料清单。"
        "自评结果仅供准备申报参考，以评估机构的评定为准。",
        "Hello! I help service institutions self-assess against the SME service maturity model "
        "(T/ZXGJXH 002—2023). I first ask about your institution, then go through the five "
        "capability areas from one star upwards, and end with a **provisional star rating**, "
        "what blocks the next star, and the list of materials for the application. The result "
        "is a preparation aid; the assessment body's rating is what counts.",
    ),
    "profile.name": ("请问贵机构的全称是？", "What is your institution's full name?"),
    "profile.institution_type": (
        "贵机构属于哪一类？",
        "Which kind of institution are you?",
    ),
    "profile.service_fields": (
        "主要提供哪些服务（服务领域）？例如：政策咨询、融资对接、人才培训、数字化转型。",
        "Which services do you mainly provide? E.g. policy advice, financing, training, "
        "digital transformation.",
    ),
    "profile.smes_served_per_year": (
        "一年大约服务多少家中小企业？（填数字即可）",
        "About how many SMEs do you serve a year? (a number is enough)",
    ),
    "profile.target_stars": (
        "这次希望申请几星？不确定的话可以选“不确定”，我会问到五星。",
        "Which star level are you aiming for? If unsure, choose “not sure” and I will ask "
        "up to five stars.",
    ),
    "profile.invalid_number": (
        "没能读出数字，请只填一个数字，例如 120。",
        "I could not read a number; please give just a number, e.g. 120.",
    ),
    "profile.invalid_stars": (
        "请选择一星到五星之一，或“不确定”。",
        "Please choose one to five stars, or “not sure”.",
    ),
    "profile.invalid_type": (
        "请从三类中选择：公共服务机构、市场化服务机构、社会公益组织。",
        "Please choose one of: public service institution, market service institution, "
        "non-profit organisation.",
    ),
    "profile.name_too_long": (
        "机构名称过长：最多 {limit} 个字符，收到 {length} 个，未保存。请重新输入：",
        "The name is too long: at most {limit} characters, got {length}; nothing was saved. "
        "Please try again:",
    ),
    "profile.service_fields_too_long": (
        "服务领域的描述过长：最多 {limit} 个字符，收到 {length} 个，未保存。请简要列出主要服务：",
        "The services are described at too much length: at most {limit} characters, got "
        "{length}; nothing was saved. Please list the main services briefly:",
    ),
    "profile.number_too_large": (
        "这个数字太大了（最多 {limit}），未保存。请重新填写：",
        "That number is too large (at most {limit}); nothing was saved. Please try again:",
    ),
    "plan": (
        "好的。接下来按 **服务战略 → 服务设计 → 服务转化 → 服务运营 → 服务持续改进** "
        "的顺序，从一星问到{top}，共 {total} 项指标：核心指标逐一提问，其余按星级成组勾选。"
        "任何时候都可以输入：跳过、上一题、进度、报告、帮助，或直接提问标准里的要求。",
        "Next I go through **strategy → design → transition → operation → continual "
        "improvement**, from one star up to {top}: {total} indicators. Core indicators come "
        "one at a time, the others as a checklist per level. At any time you can type: skip, "
        "back, progress, report, help — or ask what the standard requires.",
    ),
    "plan_one": (
        "好的。接下来按 **服务战略 → 服务设计 → 服务转化 → 服务运营 → 服务持续改进** "
        "的顺序，问一星的 {total} 项指标：核心指标逐一提问，其余按能力域成组勾选。"
        "任何时候都可以输入：跳过、上一题、进度、报告、帮助，或直接提问标准里的要求。",
        "Next I go through **strategy → design → transition → operation → continual "
        "improvement**, asking the {total} one-star indicators. Core indicators come one at a "
        "time, the others as a checklist per area. At any time you can type: skip, back, "
        "progress, report, help — or ask what the standard requires.",
    ),
    "recorded": (
        "已记录为：**{status}**，可随时修改。",
        "Recorded as **{status}**; you can change it any time.",
    ),
    "recorded_many": ("已记录 {count} 项。", "Recorded {count} answers."),
    "changed": (
        "已将 **{id}** {title} 改为：**{status}**。",
        "Changed **{id}** {title} to **{status}**.",
    ),
    "undone": (
        "已撤销：**{id}** {title} 不再记为“{status}”，恢复为：**{previous}**。",
        "Undone: **{id}** {title} is no longer “{status}”; it is back to **{previous}**.",
    ),
    "confirm_off_topic": (
        "您说的是“{quote}”——这算 **{id}** {title} **{status}** 吗？这个回答似乎与本项内容"
        "关系不大，请确认；如不对，请直接选择正确的状态。",
        "You said “{quote}” — does that make **{id}** {title} **{status}**? The answer seems "
        "to be about something else, so please confirm, or choose the right status.",
    ),
    "confirm": (
        "我理解为：**{status}**（{rationale}）。对吗？如不对，请直接选择正确的状态。",
        "I read this as **{status}** ({rationale}). Is that right? If not, choose the right "
        "status.",
    ),
    "confirm_many": (
        "我对各项的理解如下，请确认或逐项修改：",
        "This is how I read your answer; confirm it or correct any line:",
    ),
    "unsure": (
        "没关系。可以参考下面的提示判断；仍不确定的话可以先“跳过”，最后会再问一次。",
        "No problem. The hints below may help; if still unsure, “skip” it and I will ask again "
        "at the end.",
    ),
    "skipped": ("已跳过，稍后会再问一次。", "Skipped; I will ask again at the end."),
    "left_open": ("已跳过，此项记为未评估。", "Skipped; this stays not rated."),
    "back_none": ("已经是第一题了。", "This is already the first question."),
    "back": ("回到上一题：", "Back to the previous question:"),
    "revisit": (
        "各能力域已问完。还有 {count} 项先前跳过的指标，再问一次：",
        "All areas are done. {count} skipped indicators remain; one more time:",
    ),
    "help": (
        "**可用指令**：跳过（skip）、上一题（back）、进度（progress）、报告（report）、"
        "帮助（help）、全面差距分析（full gap analysis）、English / 中文（切换语言）。"
        "回答时可以点选按钮，也可以直接用自己的话描述，我会判断后请您确认。"
        "修改已答指标：输入“修改 SO-1-03 部分满足”。也可以随时提问，例如“四星对数据有什么要求？”。"
        "上传文件可作为证据（PDF、Word、Excel、文本、图片）。",
        "**Commands**: skip, back, progress, report, help, full gap analysis, Chinese "
        "(switch to Chinese). Answer with the buttons or in your own words; I will read it and "
        "ask you to confirm. To change an answer type e.g. “change SO-1-03 partly met”. You can "
        "ask about the standard at any time, e.g. “What does four stars require of data?”. "
        "Upload files as evidence (PDF, Word, Excel, text, images).",
    ),
    "progress": (
        "**进度**：已答 {answered} / {total} 项。",
        "**Progress**: {answered} of {total} answered.",
    ),
    "full_gap": (
        "已切换为**全面差距分析**：五个能力域都将问到五星，不再因核心指标未满足而跳过。",
        "Switched to a **full gap analysis**: every area is asked up to five stars, with no "
        "skipping after a failed core indicator.",
    ),
    "language": ("已切换为中文。", "Switched to English."),
    "no_answerer": (
        "问答功能暂未启用（未建立检索索引），请先运行 `smecmm index`。",
        "Questions about the standard are not available (no retrieval index); run "
        "`smecmm index` first.",
    ),
    "resume": ("继续刚才的问题：", "Back to where we were:"),
    "unknown_indicator": (
        "没有找到指标 {id}，请检查编号（例如 SO-1-03）。",
        "There is no indicator {id}; check the id (e.g. SO-1-03).",
    ),
    "answer_not_in_question": (
        "指标 {id} 不属于本题，已忽略；修改其他指标请输入如“修改 {id} 满足”。",
        "Indicator {id} is not part of this question and was ignored; to change it type e.g. "
        "“change {id} met”.",
    ),
    "answers_ignored": (
        "有 {count} 个编号不属于本题，已忽略。",
        "{count} ids not in this question were ignored.",
    ),
    "unknown_indicators": (
        "有 {count} 个编号不是本标准的指标，已忽略。",
        "{count} ids are not indicators of the standard and were ignored.",
    ),
    "not_applicable_refused": (
        "指标 {id} 不允许选择“不适用”，请选择其他状态。",
        "Indicator {id} cannot be marked not applicable; choose another status.",
    ),
    "done": (
        "**全部问题已完成。** 以下是临时评级结果：",
        "**All questions are answered.** Here is the provisional rating:",
    ),
    "report_hint": (
        "可下载自评报告和申报材料清单（PDF、Word、Markdown、JSON）。",
        "You can download the self-assessment report and the application pack (PDF, Word, "
        "Markdown, JSON).",
    ),
    "evidence_received": (
        "已收到文件 **{filename}**（识别为：{kind}{dated}）。它可以作为以下哪些指标的证据？"
        "（类型或日期不对时，可回复如“类型 报告”“日期 2026-03-01”更正；制度、证书、合同可回复"
        "“有效期至 2027-12-31”）",
        "Received **{filename}** (read as: {kind}{dated}). Which indicators does it support? "
        "(If the kind or date is wrong, reply e.g. “kind report” or “date 2026-03-01”; for a "
        "policy, certificate or contract, “valid until 2027-12-31”.)",
    ),
    "evidence_linked": ("已将该文件关联到：{ids}。", "Linked the file to: {ids}."),
    "evidence_confirm_links": (
        "一份文件一次关联超过 {limit} 项指标需要确认。将关联以下 {count} 项：\n\n{lines}\n\n"
        "确认全部关联吗？也可以只选其中一项，或暂不关联。",
        "Linking one file to more than {limit} indicators needs a confirmation. It would be "
        "linked to these {count}:\n\n{lines}\n\nLink all of them? You can also pick one, "
        "or not link it now.",
    ),
    "evidence_edited": (
        "已更正：类型 {kind}，日期 {dated}{valid_until}。请继续选择要关联的指标。",
        "Corrected: kind {kind}, date {dated}{valid_until}. Now choose the indicators to link.",
    ),
    "evidence_unlinked": (
        "该文件已保存，暂未关联指标。",
        "The file is kept, not linked to any indicator yet.",
    ),
    "evidence_none": (
        "没有找到明显相关的指标；可以回复指标编号来关联，例如“SO-1-02”。",
        "No indicator stands out; reply with indicator ids to link it, e.g. “SO-1-02”.",
    ),
    "stale_choice": (
        "这个按钮属于前面的问题，已忽略。请回答当前的问题：",
        "That button belongs to an earlier question and was ignored. The current question:",
    ),
    "checklist_rest": (
        "还有以下几项未选择：",
        "These lines are still open:",
    ),
}


def say(key: str, language: Language, /, **values: object) -> str:
    zh, en = MESSAGES[key]
    template = en if language == "en" else zh
    return template.format(**values) if values else template
