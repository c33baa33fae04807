"""The API's own request and response bodies. Interview, evidence, rating and answer objects
are the library's public models (``assistant.session.models`` and friends), served as-is."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api import examples
from assistant.evidence.models import EvidenceRecord
from assistant.knowledge.schema import AreaSpec, FindingStatus, Indicator, LevelSpec
from assistant.rating import RatingResult
from assistant.session.models import Language, Profile, Reply
from assistant.session.state import FindingChange, RecordedFinding, Stage
from assistant.storage import SessionSummary
from assistant.verdict import Verdicts

__all__ = [
    "AskRequest",
    "AuditTrail",
    "CatalogImportReport",
    "CatalogPublic",
    "CatalogVersions",
    "CellProblem",
    "RatingPublic",
    "Vocabulary",
    "ErrorBody",
    "ErrorResponse",
    "EvidenceList",
    "EvidenceUploaded",
    "FindingOverride",
    "FindingReview",
    "IndexReport",
    "IngestReport",
    "MessageReply",
    "SessionCreate",
    "SessionCreated",
    "SessionList",
    "SessionPublic",
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionCreate(_Body):
    """开始一次自评访谈 / Start a guided self-assessment."""

    language: Language = Field(default="zh", description="会话语言 / the session's language")
    profile: Profile | None = Field(default=None, description="预填的机构画像 / a known profile")
    site_token: Annotated[str, Field(max_length=4096)] | None = Field(
        default=None,
        description="宿主网站签名的机构身份（也可放在 X-Site-Token 请求头）/ the host site's "
        "signed institution token (or the X-Site-Token header)",
    )


class SessionCreated(_Body):
    session_id: str
    token: str = Field(
        description="会话令牌，只返回这一次；之后以 Authorization: Bearer 发送 / the session "
        "token, shown once; send it as Authorization: Bearer"
    )
    reply: Reply

    model_config = ConfigDict(json_schema_extra={"examples": [examples.SESSION_CREATED]})


class SessionPublic(_Body):
    """一次会话的当前状态，含最后一条回复（页面刷新后据此恢复）/ A session as it stands,
    with the last reply (what a reloaded page shows)."""

    id: str
    language: Language
    stage: Stage
    profile: Profile
    full_gap_analysis: bool
    findings: dict[str, RecordedFinding]
    evidence: tuple[EvidenceRecord, ...]
    reply: Reply
    created_at: datetime
    updated_at: datetime
    owner: str | None = Field(description="宿主网站认证的机构 / institution named by a site")


class MessageReply(_Body):
    reply: Reply

    model_config = ConfigDict(json_schema_extra={"examples": [{"reply": examples.REPLY}]})


class EvidenceUploaded(_Body):
    reply: Reply
    evidence: EvidenceRecord | None = Field(description="刚上传的文件 / the file just uploaded")


class EvidenceList(_Body):
    evidence: tuple[EvidenceRecord, ...]


class AskRequest(_Body):
    question: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
    ]
    k: Annotated[int, Field(ge=1, le=20)] | None = Field(
        default=None, description="引用条数 / how many citations"
    )


class CatalogVersions(_Body):
    standard: str
    catalog_version: str
    catalog_hash: str
    rules_version: str
    rules_hash: str
    threshold: float = Field(description="默认达级阈值 / default level threshold")


class CatalogPublic(_Body):
    versions: CatalogVersions
    areas: tuple[AreaSpec, ...]
    levels: tuple[LevelSpec, ...]
    indicators: tuple[Indicator, ...]


class Vocabulary(_Body):
    """每个代码的中英文标签 / every code the product shows, with its zh and en label."""

    statuses: dict[str, dict[str, str]]
    kinds: dict[str, dict[str, str]]
    reasons: dict[str, dict[str, str]]
    institution_types: dict[str, dict[str, str]]
    stars: dict[str, dict[str, str]]
    level_states: dict[str, dict[str, str]]
    bases: dict[str, dict[str, str]]
    outcomes: dict[str, dict[str, str]]
    areas: dict[str, dict[str, str]]
    notes: dict[str, dict[str, str]]


class RatingPublic(RatingResult):
    """临时星级及其文字说明 / The provisional rating, and the same rating in words."""

    verdict: Verdicts = Field(
        description="呈现器的结果：各能力域得分与门槛、按统一顺序排列的阻碍项 / the presenter's "
        "verdict: each area's score and pass mark, the blockers in the one order"
    )


class SessionList(_Body):
    sessions: tuple[SessionSummary, ...]
    limit: int
    offset: int
    total: int | None = Field(
        default=None, description="符合筛选条件的会话总数 / how many sessions match the filters"
    )


class FindingOverride(_Body):
    status: FindingStatus
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="理由，必填，记入审计记录 / why; required, kept in the audit trail")


class AuditTrail(_Body):
    session_id: str
    changes: tuple[FindingChange, ...]


class FindingReview(_Body):
    """评估人员核查一项指标时所需的全部内容 / What an assessor reviews for one indicator."""

    session_id: str
    indicator: Indicator = Field(
        description=(
            "指标全文，含评分细则 `scoring`（满足/基本满足/部分满足的判定和抽查方法）及其英文 "
            "`scoring_en`（可无）/ the indicator, with its scoring guidance `scoring` (zh) and "
            "`scoring_en` (optional)"
        )
    )
    finding: RecordedFinding | None = Field(description="当前认定 / the current finding")
    evidence: tuple[EvidenceRecord, ...] = Field(
        description="已关联该指标的证据 / evidence linked to the indicator"
    )
    changes: tuple[FindingChange, ...] = Field(
        description="该指标的审计记录 / the indicator's audit trail"
    )


class IndexReport(_Body):
    rebuilt: bool
    chunks: int
    seconds: float


class IngestReport(_Body):
    filename: str
    clauses: int
    index: IndexReport


class CatalogImportReport(_Body):
    """导入指标目录工作簿的结果 / What importing a catalog workbook did (or would do)."""

    dry_run: bool
    written: bool = Field(description="是否已写入 YAML 文件 / whether the YAML files were written")
    changed: list[str] = Field(description="内容有变化的文件 / files whose content changes")
    catalog_version: str
    rules_version: str
    content_hash: str
    indicators: int


class CellProblem(_Body):
    sheet: str = Field(description="工作表 / the sheet")
    row: int | None = Field(description="行号（从 1 起）/ the row, as the sheet shows it")
    column: str | None = Field(description="列名 / the column key")
    message_zh: str
    message_en: str


class ErrorBody(_Body):
    code: str = Field(description="稳定的错误代码 / a stable error code")
    message: str = Field(description="按 Accept-Language 返回中文或英文 / zh or en")
    field: str | None = Field(default=None, description="出错的字段（422）/ the field (422)")
    reason: str | None = Field(default=None, description="证据被拒原因 / why evidence was refused")
    problems: list[CellProblem] | None = Field(
        default=None, description="工作簿的每处错误（422）/ every problem of a workbook (422)"
    )


class ErrorResponse(_Body):
    error: ErrorBody

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"error": {"code": "session_not_found", "message": "找不到会话 'abc'：…"}}]
        }
    )
