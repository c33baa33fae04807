"""Read a findings file (YAML or JSON) for ``smecmm rate``.

Two shapes are accepted for ``findings``: a list of finding objects, or a mapping from
indicator id to a status code or to a finding object without ``indicator_id``::

    institution: 某某中小企业服务中心
    as_of: 2026-06-30
    findings:
      SS-1-01: met
      SS-1-02: {status: largely_met, evidence: [{kind: plan, dated: 2026-01-05}]}
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from assistant.errors import FindingsError
from assistant.knowledge.schema import InstitutionType, StrictModel
from assistant.knowledge.yamlio import format_validation_error, read_data_file
from assistant.rating.models import Finding

__all__ = ["FindingsFile", "load_findings_file", "parse_findings"]

MAX_FINDINGS_FILE_BYTES = 5 * 1024 * 1024


def _normalise(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = []
    for indicator_id, entry in value.items():
        body = {"status": entry} if isinstance(entry, str) else entry
        out.append({"indicator_id": indicator_id, **body} if isinstance(body, dict) else body)
    return out


class FindingsFile(StrictModel):
    institution: str | None = None
    institution_type: Annotated[InstitutionType | None, BeforeValidator(InstitutionType.parse)] = (
        None
    )
    as_of: date | None = None
    findings: Annotated[tuple[Finding, ...], BeforeValidator(_normalise)] = Field(
        default_factory=tuple
    )


def parse_findings(data: Any, source: str) -> FindingsFile:
    if not isinstance(data, dict):
        raise FindingsError(f"{source!r}: 顶层应为映射（含 findings） / expected a mapping")
    try:
        return FindingsFile.model_validate(data)
    except ValidationError as exc:
        raise FindingsError(format_validation_error(source, exc, data)) from exc


def load_findings_file(path: Path) -> FindingsFile:
    if path.is_file() and path.stat().st_size > MAX_FINDINGS_FILE_BYTES:
        raise FindingsError(f"{str(path)!r}: 文件过大（上限 5 MB） / file too large (max 5 MB)")
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise FindingsError(f"{str(path)!r}: 仅支持 .yaml/.yml/.json / only YAML or JSON")
    try:
        data = read_data_file(path)
    except ValueError as exc:
        raise FindingsError(str(exc)) from exc
    return parse_findings(data, str(path))
