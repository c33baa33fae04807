"""Every code the product shows, with its one Chinese and one English label (DESIGN §3).

Finding statuses, evidence kinds, reason codes, institution types, star levels, level states,
the two readings, evidence outcomes and the notes every report carries live here and nowhere
else; the chat, the page (``GET /api/v1/vocabulary``), the CLI and the reports take their
labels from this module. Area names are catalog data: ``payload`` adds them from the catalog.

English labels are written as they stand alone (a button, a table cell: "Largely met");
``inline=True`` gives the form used inside a sentence ("largely met").
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Literal, NamedTuple

from assistant.knowledge.schema import Catalog, EvidenceKind, FindingStatus, InstitutionType
from assistant.rating.models import Basis, EvidenceOutcome, LevelState, ReasonCode

__all__ = [
    "BASES",
    "KINDS",
    "LEVEL_STATES",
    "NOTES",
    "OUTCOMES",
    "REASONS",
    "STARS",
    "STATUSES",
    "TYPES",
    "Label",
    "Language",
    "basis_label",
    "kind_label",
    "outcome_label",
    "payload",
    "reason_label",
    "star_label",
    "state_label",
    "status_label",
    "type_label",
]

Language = Literal["zh", "en"]


class Label(NamedTuple):
    zh: str
    en: str

    def pick(self, language: Language, *, inline: bool = False) -> str:
        if language != "en":
            return self.zh
        return self.en[:1].lower() + self.en[1:] if inline else self.en


STATUSES: dict[FindingStatus, Label] = {
    FindingStatus.MET: Label("满足", "Met"),
    FindingStatus.LARGELY_MET: Label("基本满足", "Largely met"),
    FindingStatus.PARTLY_MET: Label("部分满足", "Partly met"),
    FindingStatus.NOT_MET: Label("不满足", "Not met"),
    FindingStatus.NOT_APPLICABLE: Label("不适用", "Not applicable"),
    FindingStatus.NOT_RATED: Label("未评估", "Not rated"),
}

KINDS: dict[EvidenceKind, Label] = {
    EvidenceKind.POLICY: Label("制度文件", "Policy document"),
    EvidenceKind.PLAN: Label("规划/计划", "Plan"),
    EvidenceKind.RECORD: Label("记录", "Record"),
    EvidenceKind.REPORT: Label("报告", "Report"),
    EvidenceKind.SCREENSHOT: Label("平台截图", "Platform screenshot"),
    EvidenceKind.CONTRACT: Label("合同/协议", "Contract or agreement"),
    EvidenceKind.CERTIFICATE: Label("证书/资质", "Certificate or qualification"),
    EvidenceKind.LEDGER: Label("台账/数据表", "Ledger or data sheet"),
    EvidenceKind.CASE: Label("案例材料", "Case material"),
    EvidenceKind.INTERVIEW: Label("访谈记录", "Interview record"),
    EvidenceKind.OBSERVATION: Label("现场查看", "On-site observation"),
}

REASONS: dict[ReasonCode, Label] = {
    ReasonCode.CORE_NOT_MET: Label("核心指标未满足", "Core indicator not met"),
    ReasonCode.BELOW_THRESHOLD: Label("得分未达要求", "Score below the pass mark"),
    ReasonCode.NOT_RATED: Label("未评估", "Not rated"),
    ReasonCode.EVIDENCE_MISSING: Label("证据缺失或不足", "Evidence missing or short"),
    ReasonCode.EVIDENCE_STALE: Label("证据过期", "Evidence out of date"),
}

TYPES: dict[InstitutionType, Label] = {
    InstitutionType.PUBLIC_SERVICE: Label("公共服务机构", "Public service institution"),
    InstitutionType.MARKET: Label("市场化服务机构", "Market service provider"),
    InstitutionType.NONPROFIT: Label("社会公益组织", "Non-profit organisation"),
}

STARS: dict[int, Label] = {
    0: Label("未达一星", "Below one star"),
    1: Label("一星", "One star"),
    2: Label("二星", "Two stars"),
    3: Label("三星", "Three stars"),
    4: Label("四星", "Four stars"),
    5: Label("五星", "Five stars"),
}

LEVEL_STATES: dict[LevelState, Label] = {
    LevelState.ATTAINED: Label("已达到", "Attained"),
    LevelState.FAILED: Label("未达到", "Not attained"),
    LevelState.NOT_RATED: Label("尚未评完", "Not fully rated"),
}

BASES: dict[Basis, Label] = {
    Basis.DECLARED: Label("申报口径", "Declared"),
    Basis.EVIDENCED: Label("证据口径", "Evidenced"),
}

OUTCOMES: dict[EvidenceOutcome, Label] = {
    EvidenceOutcome.SUFFICIENT: Label("证据齐备", "Evidence complete"),
    EvidenceOutcome.MISSING: Label("证据缺失或不足", "Evidence missing or short"),
    EvidenceOutcome.STALE: Label("证据过期", "Evidence out of date"),
    EvidenceOutcome.NOT_REQUIRED: Label("无需核验", "Not checked"),
    EvidenceOutcome.CONFIRMED: Label("评估人员已确认", "Confirmed by an assessor"),
}

NOTES: dict[str, Label] = {
    "provisional": Label(
        "自评结果仅供参考，以评估机构评定为准。",
        "This self-assessment is provisional: the designated assessment body's rating prevails.",
    ),
    "reference": Label(
        "本项目引用的标准条文与评估指标为本项目编写的参考文本，不是标准正式文本；"
        "正式评估以评估机构依据标准正式文本的判定为准。",
        "The standard's text and the indicators cited are this project's reference "
        "rendition, not the official text; the designated assessment bodies decide on the "
        "official text.",
    ),
}


def status_label(status: FindingStatus, language: Language, *, inline: bool = False) -> str:
    return STATUSES[status].pick(language, inline=inline)


def kind_label(kind: EvidenceKind, language: Language, *, inline: bool = False) -> str:
    return KINDS[kind].pick(language, inline=inline)


def reason_label(code: ReasonCode, language: Language, *, inline: bool = False) -> str:
    return REASONS[code].pick(language, inline=inline)


def type_label(kind: InstitutionType, language: Language, *, inline: bool = False) -> str:
    return TYPES[kind].pick(language, inline=inline)


def star_label(stars: int, language: Language, *, inline: bool = False) -> str:
    return STARS[max(0, min(5, stars))].pick(language, inline=inline)


def state_label(state: LevelState, language: Language, *, inline: bool = False) -> str:
    return LEVEL_STATES[state].pick(language, inline=inline)


def basis_label(basis: Basis, language: Language, *, inline: bool = False) -> str:
    return BASES[basis].pick(language, inline=inline)


def outcome_label(outcome: EvidenceOutcome, language: Language, *, inline: bool = False) -> str:
    return OUTCOMES[outcome].pick(language, inline=inline)


def _table(labels: Mapping[Any, Label]) -> dict[str, dict[str, str]]:
    return {
        (key.value if isinstance(key, StrEnum) else str(key)): label._asdict()
        for key, label in labels.items()
    }


def payload(catalog: Catalog) -> dict[str, dict[str, dict[str, str]]]:
    """Every label, zh and en, keyed by its code: what ``GET /api/v1/vocabulary`` serves."""
    return {
        "statuses": _table(STATUSES),
        "kinds": _table(KINDS),
        "reasons": _table(REASONS),
        "institution_types": _table(TYPES),
        "stars": _table(STARS),
        "level_states": _table(LEVEL_STATES),
        "bases": _table(BASES),
        "outcomes": _table(OUTCOMES),
        "areas": {a.code.value: {"zh": a.name.zh, "en": a.name.en} for a in catalog.areas},
        "notes": _table(NOTES),
    }
