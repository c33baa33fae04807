"""Administration: take in an official document, rebuild the retrieval index, revoke a
session's token, and own the indicator catalog as an Excel workbook (export it, import it back)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from api.deps import AdminKey, MaintenanceDep, ServiceDep, SessionId, SettingsDep
from api.errors import preferred_language
from api.routers.common import errors
from api.routers.evidence import read_upload
from api.runtime import IndexSummary
from api.schemas import CatalogImportReport, CellProblem, IndexReport, IngestReport
from api.token_schemas import SessionRevoked
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.knowledge.workbook import WorkbookError, export_workbook, import_workbook

__all__ = ["router"]

router = APIRouter(prefix="/admin", tags=["admin 管理"])


def _report(summary: IndexSummary) -> IndexReport:
    return IndexReport(rebuilt=summary.rebuilt, chunks=summary.chunks, seconds=summary.seconds)


@router.post(
    "/documents",
    status_code=201,
    summary="导入正式文本 / Ingest an official document",
    description=(
        "上传标准的正式文本（PDF、DOCX、Markdown、TXT），按条款号切分保存并重建检索索引；"
        "此后的回答引用该文本的条款。重建需要约一分钟，期间本请求保持等待。\n\n"
        "Upload the standard's official text (PDF, DOCX, Markdown, TXT): it is split at its "
        "clause numbers, kept, and the retrieval index is rebuilt, so answers cite it from "
        "then on. The rebuild takes about a minute; the request waits for it."
    ),
    responses=errors(400, 401, 403, 413, 422, 429),
)
def ingest_document(
    admin: AdminKey,
    maintenance: MaintenanceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="PDF / DOCX / MD / TXT")],
) -> IngestReport:
    data = read_upload(file, settings.max_upload_mb)
    summary = maintenance.ingest(file.filename or "document", data)
    return IngestReport(
        filename=summary.filename, clauses=summary.clauses, index=_report(summary.index)
    )


@router.post(
    "/reindex",
    summary="重建检索索引 / Rebuild the retrieval index",
    description=(
        "知识内容有变化时重建（否则沿用现有向量），并换上新的索引。\n\n"
        "Rebuilds the index when the knowledge changed (else reuses the stored vectors) and "
        "swaps it in."
    ),
    responses=errors(401, 403, 429),
)
def reindex(admin: AdminKey, maintenance: MaintenanceDep) -> IndexReport:
    return _report(maintenance.reindex())


@router.post(
    "/sessions/{session_id}/revoke",
    summary="停用会话令牌 / Revoke a session's token",
    description=(
        "立即停用申请机构的会话令牌及其未用的恢复码（例如令牌泄露时）。会话内容保留，评估人员"
        "仍可读取；申请机构此后无法再以旧令牌访问。同 `smecmm sessions revoke ID`。\n\n"
        "Stops the applicant's session token and its unused resume code at once (say, when the "
        "token leaked). The session is kept and staff still read it; the old token opens "
        "nothing any more. Same as `smecmm sessions revoke ID`."
    ),
    responses=errors(401, 403, 404, 429),
)
def revoke_session(admin: AdminKey, service: ServiceDep, session_id: SessionId) -> SessionRevoked:
    return SessionRevoked(session_id=session_id, revoked_at=service.tokens.revoke(session_id))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/catalog.xlsx",
    summary="导出指标目录工作簿 / Export the catalog workbook",
    description=(
        "当前指标目录和评级规则的 Excel 工作簿（README、能力域、能力项、等级、等级特征、指标、"
        "证据要求、规则各一张表），可用 Excel 或 WPS 编辑后导入。\n\n"
        "The catalog and rating rules in force, as an Excel workbook (README, areas, items, "
        "levels, characteristics, indicators, evidence requirements, rules), to edit in Excel "
        "or WPS and import back."
    ),
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "xlsx"}, **errors(401, 403, 429)},
)
def export_catalog(admin: AdminKey, settings: SettingsDep) -> Response:
    rules_dir = settings.rules_dir
    data = export_workbook(load_catalog(rules_dir), load_rules(rules_dir))
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="catalog.xlsx"'},
    )


@router.post(
    "/catalog",
    summary="导入指标目录工作簿 / Import a catalog workbook",
    description=(
        "用与 YAML 相同的严格模型校验整个工作簿；全部有效才写入 YAML 文件"
        "（dry_run=true 时只校验）。有错误时返回 422，`error.problems` 逐条列出工作表、"
        "行、列和原因（中英文），且不写入任何文件。写入的目录在服务重启后生效；"
        "版本号变化时，先运行 `smecmm sessions migrate`。\n\n"
        "Validates the whole workbook with the same strict models as the YAML files and writes "
        "the YAML only when all of it is valid (with dry_run=true, validates only). A 422 lists "
        "each problem in `error.problems` with its sheet, row, column and reason (zh and en); "
        "nothing is written then. A written catalog takes effect when the service restarts; "
        "when the version changed, run `smecmm sessions migrate` first."
    ),
    response_model=CatalogImportReport,
    responses=errors(400, 401, 403, 413, 422, 429),
)
def import_catalog(
    request: Request,
    admin: AdminKey,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="xlsx")],
    dry_run: Annotated[
        bool, Query(description="只校验，不写入 / validate only, write nothing")
    ] = False,
) -> Any:
    data = read_upload(file, settings.max_upload_mb)
    try:
        result = import_workbook(data, settings.rules_dir, dry_run=dry_run)
    except WorkbookError as exc:
        problems = [
            CellProblem(
                sheet=e.sheet, row=e.row, column=e.column, message_zh=e.zh, message_en=e.en
            ).model_dump()
            for e in exc.errors
        ]
        english = preferred_language(request.headers.get("accept-language")) == "en"
        message = (
            f"The workbook has {len(problems)} problem{'' if len(problems) == 1 else 's'}; "
            "nothing was written."
            if english
            else f"工作簿有 {len(problems)} 处错误，未写入任何文件。"
        )
        body = {"code": "invalid_workbook", "message": message, "problems": problems}
        return JSONResponse({"error": body}, status_code=422)
    return CatalogImportReport(
        dry_run=dry_run,
        written=result.written,
        changed=list(result.changed),
        catalog_version=result.catalog.version,
        rules_version=result.rules.version,
        content_hash=result.catalog.content_hash,
        indicators=len(result.catalog.indicators),
    )
