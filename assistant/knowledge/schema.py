"""Strict pydantic models of the knowledge data in ``knowledge/rules/``.

Every model forbids unknown keys, so a typo in a YAML file fails loudly at load time
instead of silently dropping a field.
"""

from __future__ import annotations

import re
from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "AREA_CODES",
    "ASSESSOR_KINDS",
    "AreaCode",
    "AreaSpec",
    "Catalog",
    "CatalogHeader",
    "DATED_KINDS",
    "EvidenceClass",
    "EvidenceKind",
    "EvidenceRequirement",
    "FindingStatus",
    "IN_FORCE_KINDS",
    "Indicator",
    "IndicatorFile",
    "InstitutionType",
    "ItemSpec",
    "Level",
    "LevelCharacteristic",
    "LevelSpec",
    "Localized",
    "OPERATING_TIME_KINDS",
    "RuleSet",
    "Scoring",
    "StrictModel",
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaCode(StrEnum):
    """The five capability areas (能力域), coded after their ITIL-like lineage."""

    SS = "SS"  # 服务战略 service strategy
    SD = "SD"  # 服务设计 service design
    ST = "ST"  # 服务转化 service transition
    SO = "SO"  # 服务运营 service operation
    CSI = "CSI"  # 服务持续改进 continual service improvement


AREA_CODES: tuple[AreaCode, ...] = tuple(AreaCode)


class Level(IntEnum):
    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5


class FindingStatus(StrEnum):
    """A finding's status; the same codes in the API, files and reports' JSON."""

    MET = "met"  # 满足
    LARGELY_MET = "largely_met"  # 基本满足
    PARTLY_MET = "partly_met"  # 部分满足
    NOT_MET = "not_met"  # 不满足
    NOT_APPLICABLE = "not_applicable"  # 不适用
    NOT_RATED = "not_rated"  # 未评估


class InstitutionType(StrEnum):
    PUBLIC_SERVICE = "public_service"  # 公共服务机构
    MARKET = "market"  # 市场化服务机构
    NONPROFIT = "nonprofit"  # 社会公益组织

    @classmethod
    def parse(cls, value: object) -> object:
        """Accept the code or its Chinese name (``公共服务机构``)."""
        return _INSTITUTION_TYPE_NAMES.get(str(value), value)


_INSTITUTION_TYPE_NAMES = {
    "公共服务机构": InstitutionType.PUBLIC_SERVICE,
    "市场化服务机构": InstitutionType.MARKET,
    "社会公益组织": InstitutionType.NONPROFIT,
}


class EvidenceKind(StrEnum):
    POLICY = "policy"  # 制度文件
    PLAN = "plan"  # 规划/计划
    RECORD = "record"  # 记录
    REPORT = "report"  # 报告
    SCREENSHOT = "screenshot"  # 平台截图
    CONTRACT = "contract"  # 合同/协议
    CERTIFICATE = "certificate"  # 证书/资质/荣誉
    LEDGER = "ledger"  # 台账/数据表
    CASE = "case"  # 案例材料
    INTERVIEW = "interview"  # 访谈记录 (assessor's confirmation only)
    OBSERVATION = "observation"  # 现场查看 (assessor's confirmation only)


# Kinds that show a moment or a period: a direct requirement of one states a maximum age.
DATED_KINDS: frozenset[EvidenceKind] = frozenset(
    {
        EvidenceKind.RECORD,
        EvidenceKind.LEDGER,
        EvidenceKind.REPORT,
        EvidenceKind.SCREENSHOT,
        EvidenceKind.CASE,
        EvidenceKind.PLAN,
    }
)
# Kinds that count while they are in force (no maximum age; an expiry date, when the record
# states one, ends them).
IN_FORCE_KINDS: frozenset[EvidenceKind] = frozenset(
    {EvidenceKind.POLICY, EvidenceKind.CERTIFICATE, EvidenceKind.CONTRACT}
)
# Kinds that can show how long something has been running.
OPERATING_TIME_KINDS: frozenset[EvidenceKind] = frozenset(
    {EvidenceKind.RECORD, EvidenceKind.LEDGER, EvidenceKind.REPORT}
)
# Kinds that only an assessor's confirmation satisfies, never an applicant's upload.
ASSESSOR_KINDS: frozenset[EvidenceKind] = frozenset(
    {EvidenceKind.INTERVIEW, EvidenceKind.OBSERVATION}
)


class EvidenceClass(StrEnum):
    DIRECT = "direct"  # 直接证据: required for an evidenced met/largely met
    INDIRECT = "indirect"  # 间接证据: supports, never required


class Localized(StrictModel):
    zh: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]


# The standard's clauses are numeric ("6.1.2"); the project's own annex is "R", "R.1", "R.1.2".
_CLAUSE_RE = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)$")
_INDICATOR_ID_RE = re.compile(r"^(SS|SD|ST|SO|CSI)-([1-5])-(\d{2})$")
_CHARACTERISTIC_ID_RE = re.compile(r"^L([1-5])-C(\d+)$")
_ITEM_CODE_RE = re.compile(r"^(SS|SD|ST|SO|CSI)\.\d+$")


class EvidenceRequirement(StrictModel):
    kind: EvidenceKind
    evidence_class: EvidenceClass = Field(alias="class")
    description: Annotated[str, Field(min_length=1)]
    min_count: Annotated[int, Field(ge=1)] = 1
    max_age_months: Annotated[int, Field(ge=1)] | None = None
    operating_months: Annotated[int, Field(ge=1)] | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def in_force(self) -> bool:
        """Counts while in force (policy, certificate, contract): no maximum age applies."""
        return self.kind in IN_FORCE_KINDS

    @property
    def assessor_only(self) -> bool:
        """Satisfied only by an assessor's confirmation (interview, observation)."""
        return self.kind in ASSESSOR_KINDS

    @model_validator(mode="after")
    def _evidence_rules(self) -> EvidenceRequirement:
        kind = self.kind.value
        if (
            self.evidence_class is EvidenceClass.DIRECT
            and self.kind in DATED_KINDS
            and self.max_age_months is None
        ):
            raise ValueError(
                f"a direct {kind!r} requirement needs max_age_months "
                f"/ 直接证据（{kind}）须写明最长时效 max_age_months"
            )
        if self.kind in IN_FORCE_KINDS and self.max_age_months is not None:
            raise ValueError(
                f"a {kind!r} counts while in force and takes no max_age_months "
                f"/ {kind} 在有效期内即有效，不设 max_age_months"
            )
        if self.operating_months is not None and self.kind not in OPERATING_TIME_KINDS:
            raise ValueError(
                f"operating_months only on record, ledger or report, not on {kind!r} "
                f"/ 运行时长只能由记录、台账或报告证明"
            )
        return self


class Scoring(StrictModel):
    """评分细则: what each grade looks like for one indicator, and what an assessor samples."""

    met: Annotated[str, Field(min_length=1)]  # 满足
    largely: Annotated[str, Field(min_length=1)]  # 基本满足
    partly: Annotated[str, Field(min_length=1)]  # 部分满足
    sample: Annotated[str, Field(min_length=1)]  # 抽查什么


class Indicator(StrictModel):
    id: str
    area: AreaCode
    item: str
    level: Level
    title: Localized
    requirement: Annotated[str, Field(min_length=1)]
    core: bool = False
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    na_allowed: bool = False
    event: bool = False  # event-driven: NA allowed, or "a procedure, plus the last occurrence"
    basis: Literal["notice", "practice"] = "notice"
    basis_note: Annotated[str, Field(min_length=1)] | None = None  # required for "practice"
    clause: str
    characteristics: Annotated[tuple[str, ...], Field(min_length=1)]
    see_also: tuple[str, ...] = ()  # owner indicators this one cross-refers to
    question: Annotated[str, Field(min_length=1)]
    question_en: Annotated[str, Field(min_length=1)] | None = None
    hints: tuple[str, ...] = ()
    hints_en: tuple[str, ...] = ()
    evidence: tuple[EvidenceRequirement, ...] = ()
    scoring: Scoring
    scoring_en: Scoring | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _INDICATOR_ID_RE.match(value):
            raise ValueError(f"indicator id {value!r} is not AREA-LEVEL-NN, e.g. 'SS-4-02'")
        return value

    @field_validator("see_also")
    @classmethod
    def _see_also_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for ident in value:
            if not _INDICATOR_ID_RE.match(ident):
                raise ValueError(f"see_also {ident!r} is not an indicator id such as 'SS-4-02'")
        if len(set(value)) != len(value):
            raise ValueError("see_also names an indicator twice / 交叉引用重复")
        return value

    @model_validator(mode="after")
    def _basis_explained(self) -> Indicator:
        if self.basis == "practice" and not (self.basis_note or "").strip():
            raise ValueError(
                f"indicator {self.id!r} has basis 'practice' but no basis_note "
                "/ 依据为本项目做法时须写明理由 basis_note"
            )
        if self.basis == "notice" and self.basis_note is not None:
            raise ValueError(
                f"indicator {self.id!r}: basis_note is only for basis 'practice' "
                "/ 仅当依据为本项目做法时填写 basis_note"
            )
        if self.id in self.see_also:
            raise ValueError(f"indicator {self.id!r} refers to itself in see_also")
        return self

    @field_validator("clause")
    @classmethod
    def _clause_shape(cls, value: str) -> str:
        if not _CLAUSE_RE.match(value):
            raise ValueError(f"clause {value!r} is not a clause number such as '6.4.2'")
        return value

    @field_validator("characteristics")
    @classmethod
    def _characteristic_shape(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not _CHARACTERISTIC_ID_RE.match(code):
                raise ValueError(f"characteristic {code!r} is not 'L<level>-C<n>'")
        return value

    @model_validator(mode="after")
    def _hints_translated_one_to_one(self) -> Indicator:
        if self.hints_en and len(self.hints_en) != len(self.hints):
            raise ValueError(
                f"indicator {self.id!r} has {len(self.hints)} hints but "
                f"{len(self.hints_en)} hints_en; translate each hint once, in order"
            )
        return self

    @model_validator(mode="after")
    def _id_matches_fields(self) -> Indicator:
        match = _INDICATOR_ID_RE.match(self.id)
        assert match is not None  # checked by the field validator
        if match.group(1) != self.area.value or int(match.group(2)) != self.level:
            raise ValueError(
                f"indicator id {self.id!r} does not match area {self.area.value!r} "
                f"and level {int(self.level)}"
            )
        if not self.item.startswith(f"{self.area.value}."):
            raise ValueError(f"item {self.item!r} does not belong to area {self.area.value!r}")
        for code in self.characteristics:
            if int(code[1]) != self.level:
                raise ValueError(
                    f"characteristic {code!r} belongs to another level than {int(self.level)}"
                )
        return self


class IndicatorFile(StrictModel):
    """One file of ``knowledge/rules/indicators/``: the indicators of one area."""

    area: AreaCode
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _single_area(self) -> IndicatorFile:
        for indicator in self.indicators:
            if indicator.area != self.area:
                raise ValueError(
                    f"indicator {indicator.id!r} is in area {indicator.area.value!r}, "
                    f"not the file's area {self.area.value!r}"
                )
        return self


class ItemSpec(StrictModel):
    code: str
    name: Localized

    @field_validator("code")
    @classmethod
    def _code_shape(cls, value: str) -> str:
        if not _ITEM_CODE_RE.match(value):
            raise ValueError(f"item code {value!r} is not AREA.N, e.g. 'SD.2'")
        return value


class AreaSpec(StrictModel):
    code: AreaCode
    name: Localized
    clause: str
    items: tuple[ItemSpec, ...]


class LevelCharacteristic(StrictModel):
    id: str
    text: Localized
    must: bool = True  # the notice states it as a must at its level: a core indicator covers it

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _CHARACTERISTIC_ID_RE.match(value):
            raise ValueError(f"characteristic id {value!r} is not 'L<level>-C<n>'")
        return value


class LevelSpec(StrictModel):
    level: Level
    name: Localized
    clause: str
    characteristics: tuple[LevelCharacteristic, ...]


class CatalogHeader(StrictModel):
    """``knowledge/rules/catalog.yaml``: the model's structure and the catalog version."""

    version: str
    standard: str
    areas: tuple[AreaSpec, ...]
    levels: tuple[LevelSpec, ...]


class Catalog(StrictModel):
    """The whole indicator catalog: the header plus every indicator, with its hash."""

    version: str
    content_hash: str
    standard: str
    areas: tuple[AreaSpec, ...]
    levels: tuple[LevelSpec, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def area(self, code: AreaCode) -> AreaSpec:
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)


class RuleSet(StrictModel):
    """``knowledge/rules/rules.yaml``: the rating rules' parameters."""

    version: str
    content_hash: str = ""
    threshold: Annotated[float, Field(gt=0, le=1)] = 0.8
    level_thresholds: dict[Level, Annotated[float, Field(gt=0, le=1)]] = Field(default_factory=dict)
    scores: dict[FindingStatus, Annotated[float, Field(ge=0, le=1)]]
    core_pass_statuses: frozenset[FindingStatus]
    evidence_cap: FindingStatus

    @model_validator(mode="after")
    def _scores_complete(self) -> RuleSet:
        scored = set(FindingStatus) - {FindingStatus.NOT_APPLICABLE, FindingStatus.NOT_RATED}
        missing = sorted(status.value for status in scored - set(self.scores))
        if missing:
            raise ValueError(f"scores lack the statuses {missing!r}")
        extra = sorted(s.value for s in set(self.scores) - scored)
        if extra:
            raise ValueError(f"statuses {extra!r} take no score (left out, or not rated)")
        order = (
            FindingStatus.MET,
            FindingStatus.LARGELY_MET,
            FindingStatus.PARTLY_MET,
            FindingStatus.NOT_MET,
        )
        ranked = [self.scores[status] for status in order]
        if ranked != sorted(ranked, reverse=True):
            raise ValueError("scores must not rise from met to not_met")
        return self

    def score(self, status: FindingStatus) -> float:
        return self.scores[status]

    def threshold_for(self, level: int) -> float:
        return self.level_thresholds.get(Level(level), self.threshold)
