// UI strings, Chinese first. The interview's own texts come from the server in the session's
// language; these are only the page's labels and messages.

export const LANGUAGES = ["zh", "en"];

const STRINGS = {
  zh: {
    title: "服务机构能力成熟度自评助手",
    subtitle: "T/ZXGJXH 002—2023 中小企业服务机构通用能力成熟度模型",
    langSwitch: "English",
    langSwitchLabel: "Switch to English",
    newSession: "新的自评",
    newSessionAsk: "开始新的自评？当前会话将不再显示在此页面。",
    newSessionConfirm: "确定开始",
    cancel: "取消",
    chatLog: "对话记录",
    inputLabel: "输入回答或问题",
    inputPlaceholder: "输入回答，或问一个关于标准的问题…（Enter 发送，Shift+Enter 换行）",
    inputPlaceholderShort: "输入回答或提问…",
    send: "发送",
    upload: "上传证据",
    uploadHint: "可将文件拖到对话区上传（PDF、Word、Excel、图片、文本）",
    dropHere: "松开鼠标即可上传证据文件",
    uploading: "正在上传 {name}…",
    uploaded: "已上传：{name}",
    you: "我",
    assistant: "助手",
    system: "提示",
    thinking: "正在回复…",
    panel: "进度与星级",
    panelShort: "进度与星级",
    newSessionShort: "新的自评",
    panelOpen: "查看进度与星级",
    panelClose: "关闭",
    progress: "答题进度",
    progressOverall: "总体",
    progressOf: "{answered}/{total}",
    stars: "临时星级",
    declared: "申报口径",
    evidenced: "证据口径",
    starsValue: "{label}",
    completeness: "已评估 {rated}/{total} 项指标",
    blockers: "升星阻碍项",
    blockersFor: "距{star}还差",
    blockersNone: "暂无阻碍项。",
    blockersTop: "已达最高星级。",
    nextLevel: "{area} → {star}",
    lift: "如何提升：",
    showMore: "再显示 {n} 项",
    reports: "下载报告",
    reportPdf: "PDF",
    reportDocx: "Word",
    reportMd: "Markdown",
    reportJson: "JSON",
    downloading: "正在生成报告…",
    evidenceList: "已上传证据",
    evidenceNone: "尚未上传证据。",
    validUntil: "有效期至 {date}",
    core: "核心",
    quickReplies: "快捷回复",
    submitChecklist: "提交勾选",
    checklistLegend: "逐项选择情况后提交",
    checklistChosen: "已选 {n}/{total} 项",
    proposed: "待确认的判断",
    recordedFindings: "已记录的判断",
    confidence: "把握 {pct}%",
    citations: "引用条款",
    reference: "项目参考文本",
    operator: "正式文本",
    errorNetwork: "网络连接失败，请检查网络后重试。",
    errorGeneric: "出错了（{status}），请稍后重试。",
    errorStream: "回复中断，已重新读取会话。",
    sessionLost: "之前的会话已失效，已为您开始新的自评。",
    restored: "已恢复上次的会话。",
    rememberMe: "在此设备上记住我",
    rememberMeShort: "记住我",
    rememberMeHint: "不勾选时，关闭浏览器后本设备不再保留这次自评（适合公用电脑）。",
    signOut: "在此设备上退出",
    signOutShort: "退出",
    signOutAsk: "退出前请记下恢复码：",
    signOutHelp:
      "在另一台设备上打开本页，点“用恢复码继续”并输入此码，即可接着填写。恢复码只能用一次，{date} 前有效。退出后本设备不再保存这次自评。",
    signOutConfirm: "已记下，退出",
    signedOut:
      "您已在此设备上退出，这次自评的内容都已保存。要接着填写，请点“用恢复码继续”；也可以开始新的自评。",
    resumeOpen: "用恢复码继续",
    resumeOpenShort: "恢复码",
    resumeLabel: "恢复码",
    resumeSubmit: "继续",
    resumed: "已用恢复码恢复会话，请接着填写。",
    stateMet: "满足",
    stateLargely: "基本满足",
    statePartly: "部分满足",
    stateNot: "不满足",
    stateNa: "不适用",
    stateNotRated: "未评估",
    levelAttained: "已达到",
    levelFailed: "未达到",
    levelNotRated: "尚未评完",
  },
  en: {
    title: "Service Institution Maturity Self-Assessment",
    subtitle: "T/ZXGJXH 002—2023 SME service institution capability maturity model",
    langSwitch: "中文",
    langSwitchLabel: "切换到中文",
    newSession: "New assessment",
    newSessionAsk: "Start a new assessment? This page will no longer show the current one.",
    newSessionConfirm: "Start",
    cancel: "Cancel",
    chatLog: "Conversation",
    inputLabel: "Type an answer or a question",
    inputPlaceholder: "Type an answer, or ask about the standard… (Enter sends, Shift+Enter new line)",
    inputPlaceholderShort: "Answer or ask…",
    send: "Send",
    upload: "Upload evidence",
    uploadHint: "You can drop files onto the chat (PDF, Word, Excel, images, text)",
    dropHere: "Drop the file to upload it as evidence",
    uploading: "Uploading {name}…",
    uploaded: "Uploaded: {name}",
    you: "You",
    assistant: "Assistant",
    system: "Notice",
    thinking: "Replying…",
    panel: "Progress and stars",
    panelShort: "Progress",
    newSessionShort: "New",
    panelOpen: "Show progress and stars",
    panelClose: "Close",
    progress: "Progress",
    progressOverall: "Overall",
    progressOf: "{answered}/{total}",
    stars: "Provisional stars",
    declared: "Declared",
    evidenced: "Evidenced",
    starsValue: "{label}",
    completeness: "{rated} of {total} indicators rated",
    blockers: "What blocks the next star",
    blockersFor: "Missing for {star}",
    blockersNone: "Nothing blocks the next star.",
    blockersTop: "The top star is reached.",
    nextLevel: "{area} → {star}",
    lift: "To lift it: ",
    showMore: "Show {n} more",
    reports: "Download the report",
    reportPdf: "PDF",
    reportDocx: "Word",
    reportMd: "Markdown",
    reportJson: "JSON",
    downloading: "Preparing the report…",
    evidenceList: "Uploaded evidence",
    evidenceNone: "No evidence uploaded yet.",
    validUntil: "valid until {date}",
    core: "core",
    quickReplies: "Quick replies",
    submitChecklist: "Submit",
    checklistLegend: "Choose a status for each, then submit",
    checklistChosen: "{n} of {total} chosen",
    proposed: "To confirm",
    recordedFindings: "Recorded",
    confidence: "confidence {pct}%",
    citations: "Cited clauses",
    reference: "project reference text",
    operator: "official text",
    errorNetwork: "The network failed; check the connection and try again.",
    errorGeneric: "Something went wrong ({status}); please try again.",
    errorStream: "The reply was cut off; the session was read again.",
    sessionLost: "The previous session is no longer available; a new assessment has started.",
    restored: "Your previous session is back.",
    rememberMe: "Remember me on this device",
    rememberMeShort: "Remember me",
    rememberMeHint:
      "Unticked, this device forgets the assessment when the browser closes (for shared computers).",
    signOut: "Sign out on this device",
    signOutShort: "Sign out",
    signOutAsk: "Before signing out, note this resume code:",
    signOutHelp:
      "On another device, open this page, choose “Continue with a code” and enter it to carry on where you left off. The code works once, until {date}. After signing out this device keeps nothing of this assessment.",
    signOutConfirm: "Noted, sign out",
    signedOut:
      "You are signed out on this device; everything you answered is saved. To carry on, choose “Continue with a code”, or start a new assessment.",
    resumeOpen: "Continue with a code",
    resumeOpenShort: "Code",
    resumeLabel: "Resume code",
    resumeSubmit: "Continue",
    resumed: "The session is back through your resume code; carry on where you left off.",
    stateMet: "Met",
    stateLargely: "Largely met",
    statePartly: "Partly met",
    stateNot: "Not met",
    stateNa: "Not applicable",
    stateNotRated: "Not rated",
    levelAttained: "attained",
    levelFailed: "not attained",
    levelNotRated: "not fully rated",
  },
};

export const AREAS = ["SS", "SD", "ST", "SO", "CSI"];

const AREA_NAMES = {
  zh: { SS: "服务战略", SD: "服务设计", ST: "服务转化", SO: "服务运营", CSI: "服务持续改进" },
  en: {
    SS: "Strategy",
    SD: "Design",
    ST: "Transition",
    SO: "Operation",
    CSI: "Continual improvement",
  },
};

const STARS = {
  zh: ["未达一星", "一星", "二星", "三星", "四星", "五星"],
  en: ["below one star", "one star", "two stars", "three stars", "four stars", "five stars"],
};

// The statuses a checklist row offers, in the order shown.
export const CHECKLIST_STATUSES = ["met", "largely_met", "partly_met", "not_met", "not_applicable"];

const STATUS_KEYS = {
  met: "stateMet",
  largely_met: "stateLargely",
  partly_met: "statePartly",
  not_met: "stateNot",
  not_applicable: "stateNa",
  not_rated: "stateNotRated",
};

const LEVEL_STATE_KEYS = {
  attained: "levelAttained",
  failed: "levelFailed",
  not_rated: "levelNotRated",
};

export function normalLanguage(value) {
  const lang = String(value || "").toLowerCase();
  return lang.startsWith("en") ? "en" : "zh";
}

/** The UI string ``key`` in ``lang`` with {placeholders} filled in. */
export function t(lang, key, vars = {}) {
  const table = STRINGS[lang] || STRINGS.zh;
  const text = table[key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

export function areaName(lang, code) {
  return (AREA_NAMES[lang] || AREA_NAMES.zh)[code] || code;
}

export function starLabel(lang, stars) {
  const list = STARS[lang] || STARS.zh;
  return list[Math.max(0, Math.min(5, Number(stars) || 0))];
}

export function statusLabel(lang, status) {
  return STATUS_KEYS[status] ? t(lang, STATUS_KEYS[status]) : status;
}

export function levelStateLabel(lang, state) {
  return LEVEL_STATE_KEYS[state] ? t(lang, LEVEL_STATE_KEYS[state]) : state;
}

/** The Accept-Language value the API reads. */
export function acceptLanguage(lang) {
  return lang === "en" ? "en" : "zh-CN";
}

// Evidence kinds as the server codes them (assistant/knowledge/schema.py EvidenceKind).
const KINDS = {
  zh: {
    policy: "制度文件",
    plan: "规划/计划",
    record: "记录",
    report: "报告",
    screenshot: "平台截图",
    contract: "合同/协议",
    certificate: "证书/资质",
    ledger: "台账/数据表",
    case: "案例材料",
    interview: "访谈记录",
    observation: "现场查看",
  },
  en: {
    policy: "policy",
    plan: "plan",
    record: "record",
    report: "report",
    screenshot: "screenshot",
    contract: "contract",
    certificate: "certificate",
    ledger: "ledger",
    case: "case",
    interview: "interview",
    observation: "observation",
  },
};

export function kindLabel(lang, kind) {
  if (!kind) return "";
  return (KINDS[lang] || KINDS.zh)[kind] || kind;
}
