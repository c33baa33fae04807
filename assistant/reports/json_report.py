"""JSON rendering: the report's data and its derived summary, with codes, not labels."""

from __future__ import annotations

import json
from typing import Any

from assistant.reports.data import ReportData
from assistant.reports.summary import ReportSummary, build_summary

__all__ = ["JSON_SCHEMA_ID", "render_json", "report_payload"]

JSON_SCHEMA_ID = "smecmm.report/1"


def report_payload(data: ReportData, summary: ReportSummary | None = None) -> dict[str, Any]:
    """A JSON-ready mapping. The catalog is named by version and hash, not copied."""
    summary = summary or build_summary(data)
    payload = data.model_dump(mode="json", exclude={"catalog"})
    payload["catalog"] = {
        "standard": data.catalog.standard,
        "version": data.catalog.version,
        "content_hash": data.catalog.content_hash,
    }
    payload["summary"] = summary.model_dump(mode="json")
    payload["summary"]["requirement_count"] = summary.requirement_count
    payload["summary"]["open_count"] = summary.open_count
    return {"schema": JSON_SCHEMA_ID, **payload}


def render_json(data: ReportData, summary: ReportSummary | None = None) -> str:
    return json.dumps(report_payload(data, summary), ensure_ascii=False, indent=2)
