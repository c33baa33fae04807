// The dashboard page's words, Chinese first. Labels of codes (stars, types, reasons) come
// from GET /api/v1/vocabulary, so they read as everywhere else.

const STRINGS = {
  zh: {
    title: "协会统计看板",
    langSwitch: "English",
    signOut: "退出",
    signInTitle: "管理员登录",
    signInHint: "请输入管理员密钥。登录后浏览器只保存一个仅限本站使用的会话 Cookie，不保存密钥。",
    keyLabel: "管理员密钥",
    signIn: "登录",
    notAdmin: "这是评估人员密钥：统计看板只对管理员开放。",
    filters: "筛选",
    from: "创建日期起",
    to: "创建日期止",
    type: "机构类型",
    allTypes: "全部",
    basis: "阻碍项口径",
    evidencedBasis: "证据口径",
    declaredBasis: "申报口径",
    apply: "应用",
    export: "导出 Excel",
    loading: "正在加载…",
    sessions: "申请",
    rated: "已评级",
    signed: "已签署",
    notRated: "未评级",
    unsigned: "未签署",
    starsTitle: "各星级机构数",
    star: "星级",
    declared: "申报",
    evidenced: "证据",
    signedReading: "签署",
    typesTitle: "按机构类型",
    notGiven: "未填写",
    monthsTitle: "按创建月份",
    month: "月份",
    blockersTitle: "最常见的阻碍项",
    blockersHint:
      "每家机构最新评级中，使其停在下一星级之前的指标（与结论展示一致）；每家机构每项计一次。",
    levelApps: "以{star}为下一星级的机构：{n} 家",
    indicator: "指标",
    indicatorTitle: "指标名称",
    count: "机构数",
    reasons: "原因",
    core: "核心",
    none: "暂无数据。",
    chartStarsAlt: "柱状图：各星级机构数（申报、证据、签署），数字见下表。{desc}",
    chartMonthsAlt: "柱状图：每月新建申请与已签署数，数字见下表。{desc}",
    chartBlockersAlt: "条形图：升到{star}最常见的阻碍项，数字见下表。{desc}",
    sep: "；",
  },
  en: {
    title: "Association dashboard",
    langSwitch: "中文",
    signOut: "Sign out",
    signInTitle: "Admin sign-in",
    signInHint:
      "Enter an admin key. The browser then keeps only a session cookie for this site, never the key.",
    keyLabel: "Admin key",
    signIn: "Sign in",
    notAdmin: "This is an assessor key: the dashboard is for admins only.",
    filters: "Filters",
    from: "Created from",
    to: "Created to",
    type: "Institution type",
    allTypes: "All",
    basis: "Blockers of",
    evidencedBasis: "Evidenced reading",
    declaredBasis: "Declared reading",
    apply: "Apply",
    export: "Export Excel",
    loading: "Loading…",
    sessions: "Applications",
    rated: "Rated",
    signed: "Signed",
    notRated: "Not rated",
    unsigned: "Not signed",
    starsTitle: "Institutions at each star",
    star: "Stars",
    declared: "Declared",
    evidenced: "Evidenced",
    signedReading: "Signed",
    typesTitle: "By institution type",
    notGiven: "Not given",
    monthsTitle: "By month created",
    month: "Month",
    blockersTitle: "Commonest blockers",
    blockersHint:
      "From each institution's latest rating: the indicators that hold it below its next star, " +
      "as the verdict shows them; each counts once per institution.",
    levelApps: "Institutions whose next star is {star}: {n}",
    indicator: "Indicator",
    indicatorTitle: "Title",
    count: "Institutions",
    reasons: "Reasons",
    core: "core",
    none: "No data yet.",
    chartStarsAlt:
      "Bar chart: institutions at each star (declared, evidenced, signed); the numbers are in the table below. {desc}",
    chartMonthsAlt:
      "Bar chart: applications and signed ones by month created; the numbers are in the table below. {desc}",
    chartBlockersAlt:
      "Bar chart: the commonest blockers of {star}; the numbers are in the table below. {desc}",
    sep: "; ",
  },
};

export function pickLanguage(search, stored) {
  const asked = new URLSearchParams(search).get("lang");
  if (asked === "en" || asked === "zh") return asked;
  return stored === "en" ? "en" : "zh";
}

export function t(language, key, values = {}) {
  const text = STRINGS[language][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** A code's label from the vocabulary ({zh, en}), or the code itself. */
export function label(vocabulary, table, code, language) {
  const entry = vocabulary?.[table]?.[String(code)];
  return entry ? entry[language] : String(code);
}

/** Fill every [data-i18n] element's text. */
export function translate(root, language) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(language, node.dataset.i18n);
  }
}
