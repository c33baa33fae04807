"""The words an exact question is made of: levels, areas, evidence kinds, cue words, fillers.

Each surface form maps to one meaning: a ``Level``, an ``AreaCode``, an ``EvidenceKind``, a
``Cue`` or ``None`` (a filler such as 的, 哪些, "what", "the"). A question answers exactly
only when every word of it is here (``assistant.qa.words``): "四星对数据有什么要求" keeps
数据 over, so retrieval answers it. Chinese forms are matched longest first ("申报口径"
before "申报"), English forms word by word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from assistant.knowledge.schema import AreaCode, EvidenceKind, Level

__all__ = [
    "EN_WORDS",
    "FUZZY_EN",
    "FUZZY_ZH",
    "FUZZY_ZH_DENIED",
    "LEVEL_WORDS_EN",
    "NUMBER_WORDS_EN",
    "ORDINALS_EN",
    "STAR_CHARS",
    "STAR_WORDS_EN",
    "ZH_NUMERALS",
    "ZH_WORDS",
    "Cue",
    "Meaning",
]


class Cue(StrEnum):
    CORE = "core"  # 核心指标, veto
    MATERIAL = "material"  # 材料, evidence
    REQUIREMENT = "requirement"  # 要求, indicators
    COUNT = "count"  # 多少, how many
    AGE = "age"  # 时效, how recent
    MONTHS = "months"  # 运行, running for
    RATING = "rating"  # 评级, computed
    THRESHOLD = "threshold"  # 门槛, pass mark
    SCORES = "scores"  # 得分, points
    LOWEST = "lowest"  # 短板, weakest area
    NOT_RATED = "not_rated"  # 未评定, pending
    READINGS = "readings"  # 申报口径/证据口径, declared/evidenced
    CUMULATIVE = "cumulative"  # 逐级, skip a level
    CONSEQUENCE = "consequence"  # 会怎样, what happens if
    PUBLISHER = "publisher"  # 发布, published
    ASSESSOR = "assessor"  # 评估机构, assessment body
    ASSESS = "assess"  # 评估 (the verb: "谁来评估")
    APPLY = "apply"  # 申请, apply
    WHO = "who"  # 谁, who
    DEFINITION = "definition"  # 什么是, meaning
    RANGE = "range"  # 到, through: 一星到三星
    FREQUENCY = "frequency"  # 几次, how often: a number inside one indicator's requirement
    REMEDY = "remedy"  # 整改, fix: problems found during the assessment
    OFFICIAL = "official"  # 官方, official: is this catalog the one the assessors use
    BENEFIT = "benefit"  # 好处, benefit: what passing the assessment brings
    CONTENT = "content"  # 记哪些, what a record holds: one indicator's requirement


Meaning = Level | AreaCode | EvidenceKind | Cue | None


def _table(*groups: tuple[Meaning, Iterable[str]]) -> dict[str, Meaning]:
    table: dict[str, Meaning] = {}
    for meaning, forms in groups:
        for form in forms:
            if form in table:
                raise ValueError(f"the lexicon lists {form!r} twice")
            table[form] = meaning
    return table


ZH_NUMERALS: Mapping[str, int] = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
# 心 and 新 are the commonest slips of 星 by pinyin input (三心 for 三星)
_ZH_LEVEL_SUFFIXES = ("星级", "颗星", "星", "级", "心", "新")
STAR_CHARS = frozenset("★☆⭐")

_ZH_LEVELS = tuple(
    (Level(value), [numeral + suffix for suffix in _ZH_LEVEL_SUFFIXES])
    for numeral, value in ZH_NUMERALS.items()
)

ZH_WORDS: Mapping[str, Meaning] = _table(
    *_ZH_LEVELS,
    (AreaCode.SS, ["服务战略", "战略"]),
    (AreaCode.SD, ["服务设计", "设计"]),
    (AreaCode.ST, ["服务转化", "转化", "服务转换", "转换"]),
    (AreaCode.SO, ["服务运营", "运营"]),
    (AreaCode.CSI, ["服务持续改进", "持续改进", "改进", "持续改善", "服务改进"]),
    (EvidenceKind.POLICY, ["制度", "制度文件", "管理制度", "规章制度"]),
    (EvidenceKind.PLAN, ["计划", "规划"]),
    (EvidenceKind.RECORD, ["记录"]),
    (EvidenceKind.REPORT, ["报告", "总结"]),
    (EvidenceKind.SCREENSHOT, ["截图", "平台截图", "截屏"]),
    (EvidenceKind.CONTRACT, ["合同", "协议"]),
    (EvidenceKind.CERTIFICATE, ["证书", "资质", "荣誉"]),
    (EvidenceKind.LEDGER, ["台账", "数据表"]),
    (EvidenceKind.CASE, ["案例", "案例材料"]),
    (EvidenceKind.INTERVIEW, ["访谈", "访谈记录"]),
    (EvidenceKind.OBSERVATION, ["现场查看", "现场"]),
    (Cue.CORE, ["核心指标", "核心", "核芯", "否决项", "否决", "一票否决", "否决指标"]),
    (Cue.CORE, ["关键指标", "硬杠杠", "硬指标", "硬性指标", "硬性要求", "必过项", "必须过"]),
    (Cue.MATERIAL, ["材料", "证据", "证明", "证明材料", "证据材料", "资料", "佐证"]),
    (Cue.MATERIAL, ["佐证材料", "文件", "文档", "附件"]),
    (Cue.REQUIREMENT, ["要求", "指标", "评估指标", "评价指标", "考核指标", "条件", "评估项"]),
    (Cue.REQUIREMENT, ["考核", "考核啥", "考什么", "查什么", "查哪些"]),
    (Cue.COUNT, ["多少", "几份", "几个", "几条", "几项", "数量", "份数", "几"]),
    (Cue.FREQUENCY, ["几次", "多少次", "多久一次", "频次", "频率", "每隔多久", "隔多久"]),
    (Cue.FREQUENCY, ["多久搞一次", "多久做一次", "多久开一次", "多久评一次", "多久一回"]),
    (Cue.FREQUENCY, ["多长时间一次", "多久更新一次", "多久查一次"]),
    (Cue.AGE, ["多新", "时效", "有效期", "过期", "最近", "近期", "以内", "之内", "多久"]),
    (Cue.AGE, ["多长时间", "期限", "时限", "日期"]),
    (Cue.MONTHS, ["运行", "运行时间", "运转", "运行满"]),
    (Cue.MONTHS, ["几个月", "多少个月", "几年", "多少年", "覆盖", "保留", "留存", "跨度"]),
    (Cue.RATING, ["评级", "评定", "判定", "计算", "怎么算", "算法", "评分", "打分", "计分"]),
    (Cue.RATING, ["规则", "评级规则", "定级", "怎么评", "怎么定", "决定", "得出"]),
    (Cue.THRESHOLD, ["门槛", "门槛值", "及格", "及格线", "合格线", "分数线", "通过线"]),
    (Cue.THRESHOLD, ["多少分", "最低分"]),
    (Cue.SCORES, ["得分", "分值", "分数", "几分", "权重"]),
    (Cue.LOWEST, ["最低", "短板", "平均", "木桶", "最弱", "最差"]),
    (Cue.NOT_RATED, ["未评定", "待评定"]),
    (Cue.READINGS, ["申报口径", "证据口径", "口径"]),
    (Cue.CUMULATIVE, ["逐级", "累进", "跳级", "越级"]),
    (Cue.CONSEQUENCE, ["会怎样", "会怎么样", "怎么办", "后果", "不满足", "没满足", "未满足"]),
    (Cue.CONSEQUENCE, ["没达到", "未达到", "达不到", "不通过", "没通过"]),
    (Cue.PUBLISHER, ["发布", "发布单位", "发布机构", "研制", "制定", "起草", "编制", "出台"]),
    (Cue.PUBLISHER, ["管理机构", "主管", "主管部门", "监督", "管理", "在管", "谁管", "归谁管"]),
    (Cue.REMEDY, ["整改", "补材料", "补交", "补充材料", "补充证据", "改正"]),
    (Cue.OFFICIAL, ["官方", "正式评估", "正式指标", "官方指标"]),
    (Cue.BENEFIT, ["好处", "有啥用", "有什么用", "用处", "益处", "得到什么", "得到啥", "能得到"]),
    (Cue.BENEFIT, ["获得什么", "拿到什么", "有什么收获"]),
    (Cue.CONTENT, ["记哪些", "记哪几项", "写哪些", "写哪几项", "哪些内容", "哪些字段", "哪些要素"]),
    (Cue.CONTENT, ["包含哪些", "包括哪些内容", "哪几项内容"]),
    (Cue.ASSESSOR, ["评估机构", "评审机构", "认证机构", "评估单位", "第三方"]),
    (Cue.ASSESS, ["评估", "评审", "认证", "测评"]),
    (Cue.APPLY, ["申请", "申报", "报名", "参评", "申请条件", "流程", "程序", "步骤"]),
    (Cue.WHO, ["谁", "哪家", "哪个单位", "哪个机构", "哪些单位", "哪些机构", "什么机构"]),
    (Cue.DEFINITION, ["什么是", "含义", "意思", "定义", "解释", "是指", "指的是", "意味着"]),
    (Cue.DEFINITION, ["啥是", "啥叫", "什么叫", "是啥"]),
    (Cue.RANGE, ["到", "至"]),
    (None, ["的", "了", "吗", "呢", "啊", "吧", "呀", "嘛", "哦", "么", "和", "与", "及"]),
    (None, ["以及", "或", "或者", "跟", "在", "对", "对于", "关于", "是", "有", "要"]),
    (None, ["需", "需要", "须", "必须", "应", "应该", "应当", "得", "请", "请问", "问"]),
    (None, ["一下", "我", "我们", "你", "您", "贵", "本", "这", "这个", "那", "那个"]),
    (None, ["些", "哪", "哪些", "那些", "哪个", "什么", "啥", "怎么", "怎样", "如何"]),
    (None, ["都", "各", "每", "每个", "所有", "全部", "个", "条", "项", "份", "次"]),
    (None, ["类", "月", "个月", "年", "天", "第", "达到", "做到", "满足", "准备", "提交"]),
    (None, ["上传", "提供", "具备", "拿出", "列出", "列", "说明", "告诉", "看看", "看"]),
    (None, ["为", "里", "能", "能够", "可以", "才能", "才"]),
    (None, ["就", "还", "也", "又", "再", "已经", "以上", "以下", "之", "等级", "星级"]),
    (None, ["级别", "能力域", "领域", "方面", "自评", "自评估", "获得", "拿到", "取得"]),
    (None, ["通过", "想", "想要", "服务机构", "机构", "企业", "中小企业", "单位", "标准"]),
    (None, ["本标准", "该标准", "团体标准", "成熟度模型", "模型", "服务", "具体", "主要"]),
    (None, ["分别", "一共", "总共", "共有", "合计", "清单", "列表", "包括", "包含", "星"]),
    (None, ["级", "六", "七", "八", "九", "十", "来", "会"]),
    (None, ["这块", "那块", "这一块", "那一块", "这方面", "交", "评", "过的"]),
    (None, ["被", "把", "让", "由", "从", "向", "嗯", "哪几", "相关", "其中", "其他"]),
    (None, ["其它", "另外", "以外", "之外", "如果", "是否", "能否", "可否", "最少"]),
    (None, ["至少", "最多", "怎么样", "为什么", "区别", "不同", "差别", "还是", "取", "按"]),
    *((None, [numeral]) for numeral in ZH_NUMERALS),
)

# Near-miss matching (one character off: 核芯指标, 服务运应) only for area, evidence-kind and
# core forms of four characters or more: two characters one off make another word (设计/设施).
FUZZY_ZH: tuple[str, ...] = tuple(
    sorted(
        (
            form
            for form, meaning in ZH_WORDS.items()
            if len(form) >= 4
            and (isinstance(meaning, AreaCode | EvidenceKind) or meaning is Cue.CORE)
        ),
        key=lambda form: (-len(form), form),
    )
)
FUZZY_ZH_DENIED = frozenset({"服务设施", "服务设备", "服务对象", "核心技术", "核心资源"})

NUMBER_WORDS_EN: Mapping[str, int] = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
ORDINALS_EN: Mapping[str, int] = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
LEVEL_WORDS_EN = frozenset({"level", "levels", "lvl", "lv", "tier"})
STAR_WORDS_EN = frozenset({"star", "stars", "starred"})

EN_WORDS: Mapping[str, Meaning] = _table(
    (AreaCode.SS, ["strategy", "strategic", "strategies"]),
    (AreaCode.SD, ["design", "designs"]),
    (AreaCode.ST, ["transition", "transformation", "conversion", "transitions"]),
    (AreaCode.SO, ["operation", "operations", "operational"]),
    (AreaCode.CSI, ["improvement", "improvements", "improve", "improving"]),
    (EvidenceKind.POLICY, ["policy", "policies"]),
    (EvidenceKind.PLAN, ["plan", "plans"]),
    (EvidenceKind.RECORD, ["record", "records"]),
    (EvidenceKind.REPORT, ["report", "reports"]),
    (EvidenceKind.SCREENSHOT, ["screenshot", "screenshots"]),
    (EvidenceKind.CONTRACT, ["contract", "contracts", "agreement", "agreements"]),
    (EvidenceKind.CERTIFICATE, ["certificate", "certificates", "qualification"]),
    (EvidenceKind.CERTIFICATE, ["qualifications"]),
    (EvidenceKind.LEDGER, ["ledger", "ledgers"]),
    (EvidenceKind.CASE, ["case", "cases"]),
    (EvidenceKind.INTERVIEW, ["interview", "interviews"]),
    (EvidenceKind.OBSERVATION, ["observation", "observations"]),
    # not "mandatory": "Is the assessment mandatory?" asks whether one must apply
    (Cue.CORE, ["core", "cores", "veto", "vetoes", "knockout", "knock"]),
    (Cue.MATERIAL, ["evidence", "material", "materials", "document", "documents", "proof"]),
    (Cue.MATERIAL, ["documentation", "paperwork", "files", "proofs"]),
    (Cue.REQUIREMENT, ["require", "requires", "required", "requirement", "requirements"]),
    (Cue.REQUIREMENT, ["indicator", "indicators", "criteria", "criterion"]),
    (Cue.COUNT, ["many", "number", "count", "copies"]),
    (Cue.FREQUENCY, ["often", "frequently", "frequency"]),
    (Cue.AGE, ["old", "recent", "fresh", "age", "stale", "expire", "expired", "expiry"]),
    (Cue.AGE, ["validity", "dated", "long", "older", "newer"]),
    (Cue.MONTHS, ["run", "running", "operating", "operate", "operated"]),
    (Cue.RATING, ["rating", "ratings", "rated", "rate", "computed", "compute", "computation"]),
    (Cue.RATING, ["calculated", "calculate", "calculation", "scoring", "determined"]),
    (Cue.RATING, ["determine", "decided", "decides", "decide", "rules", "awarded"]),
    (Cue.THRESHOLD, ["threshold", "thresholds", "pass", "mark", "cutoff", "passing"]),
    (Cue.SCORES, ["score", "scores", "points", "weight", "weights", "weighted"]),
    (Cue.THRESHOLD, ["minimum"]),
    (Cue.LOWEST, ["lowest", "weakest", "average", "averaged"]),
    (Cue.NOT_RATED, ["unrated", "pending", "undecided"]),
    (Cue.READINGS, ["declared", "evidenced", "freshness", "reading", "readings"]),
    (Cue.CUMULATIVE, ["cumulative", "skip", "lower"]),
    (Cue.CONSEQUENCE, ["happens", "happen", "fail", "fails", "failed", "consequence"]),
    (Cue.PUBLISHER, ["publish", "publishes", "published", "publisher", "issued", "issues"]),
    (Cue.PUBLISHER, ["developed", "drafted", "author", "authored", "owns", "supervises"]),
    (Cue.PUBLISHER, ["runs", "manages", "oversees"]),
    (Cue.REMEDY, ["fix", "remedy", "rectify", "corrective"]),
    (Cue.OFFICIAL, ["official", "identical"]),
    (Cue.BENEFIT, ["benefit", "benefits", "advantage", "advantages", "perks"]),
    (Cue.CONTENT, ["fields", "contain", "contains", "content", "contents", "include", "includes"]),
    (Cue.ASSESSOR, ["assessor", "assessors", "body", "bodies", "certifies", "certify"]),
    (Cue.ASSESS, ["assess", "assesses", "assessed", "assessment", "assessments", "evaluate"]),
    (Cue.ASSESS, ["evaluates", "audit", "audits"]),
    (Cue.APPLY, ["apply", "applies", "applying", "application", "applications", "enrol"]),
    (Cue.APPLY, ["enroll", "procedure", "process", "steps"]),
    (Cue.WHO, ["who", "whom"]),
    (Cue.DEFINITION, ["mean", "means", "meaning", "define", "definition", "explain"]),
    (Cue.RANGE, ["through"]),
    (None, ["what", "which", "how", "is", "are", "was", "were", "be", "been", "the", "a"]),
    (None, ["an", "of", "for", "in", "at", "on", "to", "by", "from", "with", "and", "or"]),
    (None, ["do", "does", "did", "i", "we", "my", "our", "me", "us", "you", "your", "there"]),
    (None, ["this", "that", "these", "those", "it", "its", "need", "needs", "needed"]),
    (None, ["must", "should", "have", "has", "get", "reach", "achieve", "attain", "obtain"]),
    (None, ["list", "show", "tell", "give", "please", "all", "each", "every", "any", "much"]),
    (None, ["can", "could", "would", "will", "about", "area", "areas", "service", "services"]),
    (None, ["institution", "institutions", "organisation", "organization", "standard"]),
    (None, ["s", "t", "so", "than", "then", "if", "when", "what's", "whats", "kind", "kinds"]),
    (None, ["type", "types", "prepare", "submit", "provide", "months", "month"]),
    (None, ["years", "year", "maximum", "max", "least", "most", "up", "don"]),
    (None, ["continual", "continuous", "capability", "maturity", "model", "sme", "smes"]),
    (None, ["one", "two", "three", "four", "five", "why", "where", "who's", "out", "not"]),
    (None, ["work", "works", "same", "different", "difference"]),
    (None, ["between", "per", "also", "only", "still", "whose", "whether", "after"]),
    (None, ["level", "levels", "star", "stars", "tier", "gets", "into", "practice"]),
    (None, ["practices", "system", "systems", "vs", "versus"]),
    # words that carry no topic: "knock-out ones", "who actually does the assessments"
    (None, ["ones", "actually", "exactly", "really", "just", "currently", "some", "here"]),
)

# Near-miss matching for English (opration, improvment): area and evidence-kind words of five
# letters or more, cue words of eight or more; shorter cue words have real neighbours (score
# and scope, process and progress).
FUZZY_EN: tuple[str, ...] = tuple(
    sorted(
        form
        for form, meaning in EN_WORDS.items()
        if (isinstance(meaning, AreaCode | EvidenceKind) and len(form) >= 5)
        or (isinstance(meaning, Cue) and len(form) >= 8)
    )
)
