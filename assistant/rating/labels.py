"""Display labels (zh first, en second) for the rating's codes."""

from __future__ import annotations

from assistant.knowledge.schema import EvidenceKind, FindingStatus
from assistant.rating.models import ReasonCode

__all__ = [
    "KIND_LABELS",
    "REASON_LABELS",
    "STAR_LABELS",
    "STAR_LABELS_EN",
    "STATUS_LABELS",
    "STATUS_LABELS_EN",
]

REASON_LABELS: dict[ReasonCode, str] = {
    ReasonCode.CORE_NOT_MET: "核心指标未满足",
    ReasonCode.BELOW_THRESHOLD: "得分未达门槛",
    ReasonCode.NOT_RATED: "未评估",
    ReasonCode.EVIDENCE_MISSING: "证据缺失或不足",
    ReasonCode.EVIDENCE_STALE: "证据过期",
}

STATUS_LABELS: dict[FindingStatus, str] = {
    FindingStatus.MET: "满足",
    FindingStatus.LARGELY_MET: "基本满足",
    FindingStatus.PARTLY_MET: "部分满足",
    FindingStatus.NOT_MET: "不满足",
    FindingStatus.NOT_APPLICABLE: "不适用",
    FindingStatus.NOT_RATED: "未评估",
}

STATUS_LABELS_EN: dict[FindingStatus, str] = {
    FindingStatus.MET: "met",
    FindingStatus.LARGELY_MET: "largely met",
    FindingStatus.PARTLY_MET: "partly met",
    FindingStatus.NOT_MET: "not met",
    FindingStatus.NOT_APPLICABLE: "not applicable",
    FindingStatus.NOT_RATED: "not rated",
}

KIND_LABELS: dict[EvidenceKind, str] = {
    EvidenceKind.POLICY: "制度文件",
    EvidenceKind.PLAN: "规划/计划",
    EvidenceKind.RECORD: "记录",
    EvidenceKind.REPORT: "报告",
    EvidenceKind.SCREENSHOT: "平台截图",
    EvidenceKind.CONTRACT: "合同/协议",
    EvidenceKind.CERTIFICATE: "证书/资质",
    EvidenceKind.LEDGER: "台账/数据表",
    EvidenceKind.CASE: "案例材料",
    EvidenceKind.INTERVIEW: "访谈记录",
    EvidenceKind.OBSERVATION: "现场查看",
}

STAR_LABELS: dict[int, str] = {0: "未达一星", 1: "一星", 2: "二星", 3: "三星", 4: "四星", 5: "五星"}
STAR_LABELS_EN: dict[int, str] = {
    0: "below one star",
    1: "one star",
    2: "two stars",
    3: "three stars",
    4: "four stars",
    5: "five stars",
}
