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
    panelShort: "进度",
    newSessionShort: "新的自评",
    panelOpen: "查看进度与星级",
    panelClose: "关闭",
    progress: "答题进度",
    progressOverall: "总体",
    progressOf: "{answered}/{total}",
    stars: "临时星级",
    starsValue: "{label}",
    blockers: "升星阻碍项",
    blockersNone: "暂无阻碍项。",
    lift: "如何提升：",
    showMore: "再显示 {n} 项",
    reports: "下载报告",
    reportPdf: "PDF",
    reportDocx: "Word",
    reportMd: "Markdown",
    reportJson: "JSON",
    downloading: "正在生成报告…",
    downloadingFormat: "正在生成报告（{format}），请稍候…",
    newMessages: "新消息 ↓",
    counterLeft: "{count}/{max} · 还可输入 {left} 个字符",
    counterOver:
      "{count}/{max} · 超出 {over} 个字符：每条消息最多 {max} 个字符，请删减或分几次发送，超出时无法发送。",
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
    readingsLabel: "根据这条回答记下的判断",
    readingRecorded: "{id} 记为 {status}",
    readingUndone: "{id} 已撤销",
    readingChangedSince: "（之后已修改）",
    readingChange: "改",
    readingChangeLabel: "修改 {id} 的判断",
    readingUndo: "撤销",
    readingUndoLabel: "撤销 {id} 的这条记录",
    readingUndoEcho: "撤销 {id}",
    readingChangeEcho: "修改 {id} {status}",
    linkLegend: "勾选这份文件能证明的指标（已预选最相关的一项）：",
    linkBest: "最相关",
    linkSelected: "关联所选（{n}）",
    linkEcho: "关联：{ids}",
    linkNone: "暂不关联",
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
    starsValue: "{label}",
    blockers: "What blocks the next star",
    blockersNone: "Nothing blocks the next star.",
    lift: "To lift it: ",
    showMore: "Show {n} more",
    reports: "Download the report",
    reportPdf: "PDF",
    reportDocx: "Word",
    reportMd: "Markdown",
    reportJson: "JSON",
    downloading: "Generating the report…",
    downloadingFormat: "Generating the report ({format}); one moment…",
    newMessages: "New messages ↓",
    counterLeft: "{count}/{max} · {left} characters left",
    counterOver:
      "{count}/{max} · {over} characters too many: a message holds at most {max}. Shorten it or send it in parts; it cannot be sent as it is.",
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
    readingsLabel: "Recorded from this answer",
    readingRecorded: "{id} recorded as {status}",
    readingUndone: "{id} undone",
    readingChangedSince: "(changed since)",
    readingChange: "Change",
    readingChangeLabel: "Change the reading of {id}",
    readingUndo: "Undo",
    readingUndoLabel: "Undo this reading of {id}",
    readingUndoEcho: "Undo {id}",
    readingChangeEcho: "change {id} {status}",
    linkLegend: "Tick the indicators this file supports (the best match is ticked):",
    linkBest: "best match",
    linkSelected: "Link selected ({n})",
    linkEcho: "Link: {ids}",
    linkNone: "Don't link",
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
  },
};

// The labels of every code (statuses, evidence kinds, stars, areas…) come from the server's
// vocabulary (GET /api/v1/vocabulary, assistant/vocabulary.py); until it is loaded a code
// shows as itself.
let VOCABULARY = {};

/** Install the vocabulary the API serves: ``{statuses: {met: {zh, en}}, stars: …}``. */
export function setVocabulary(vocabulary) {
  VOCABULARY = vocabulary && typeof vocabulary === "object" ? vocabulary : {};
}

function label(table, code, lang) {
  const entry = (VOCABULARY[table] || {})[code];
  if (!entry) return code === undefined || code === null ? "" : String(code);
  return entry[lang] || entry.zh || String(code);
}

// The statuses a checklist row offers, in the order shown.
export const CHECKLIST_STATUSES = ["met", "largely_met", "partly_met", "not_met", "not_applicable"];

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
  return label("areas", code, lang);
}

export function starLabel(lang, stars) {
  return label("stars", Math.max(0, Math.min(5, Number(stars) || 0)), lang);
}

export function statusLabel(lang, status) {
  return label("statuses", status, lang);
}

export function basisLabel(lang, basis) {
  return label("bases", basis, lang);
}

export function levelStateLabel(lang, state) {
  return label("level_states", state, lang);
}

export function kindLabel(lang, kind) {
  return kind ? label("kinds", kind, lang) : "";
}

/** The Accept-Language value the API reads. */
export function acceptLanguage(lang) {
  return lang === "en" ? "en" : "zh-CN";
}
