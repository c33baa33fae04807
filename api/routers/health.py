"""``GET /healthz``: for load balancers and monitors. No credentials, outside ``/api/`` (so no
rate limit), one small database read: the shared index stamp."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from api.runtime import RuntimeBox
from api.schemas import ErrorResponse
from assistant import __version__
from assistant.errors import StorageUnavailable

__all__ = ["Health", "router"]

log = logging.getLogger("api.health")

router = APIRouter(tags=["health 健康检查"])


class Health(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="总是 `ok`（否则返回 503）/ always `ok` (else a 503)")
    version: str = Field(description="程序版本 / the program's version")
    database: str = Field(description="数据库已应答：`ok` / the database answered: `ok`")
    index_version: int | None = Field(
        description="本进程使用的检索索引版本（尚无重建记录时为 null）/ the index version this "
        "process serves (null before the first recorded reindex)"
    )
    index_latest: int | None = Field(
        description="数据库中最新的索引版本；大于 `index_version` 时本进程即将换上 / the "
        "latest version in the database; when larger, this process is about to switch"
    )
    retrieval: bool = Field(
        description="检索可用（`/ask`、证据关联建议）/ retrieval is served (`/ask`, link "
        "suggestions)"
    )


@router.get(
    "/healthz",
    response_model=Health,
    summary="健康检查 / Health check",
    description=(
        "无需凭据、不计入限流；读一次数据库中的索引版本戳。数据库无法访问时返回 503。\n\n"
        "No credentials and no rate limit; one small database read (the index stamp). "
        "Answers 503 when the database does not answer."
    ),
    responses={
        503: {
            "model": ErrorResponse,
            "description": "数据库无法访问 / the database does not answer",
        }
    },
)
def healthz(request: Request, response: Response) -> Health:
    box: RuntimeBox = request.app.state.runtime
    runtime = box.current
    try:
        stamp = runtime.service.store.index_stamp()
    except Exception as exc:  # any driver error: the database is what does not answer
        log.warning("health check: the database does not answer: %r", exc)
        raise StorageUnavailable("数据库无法访问", en="The database does not answer") from None
    response.headers["Cache-Control"] = "no-store"
    return Health(
        status="ok",
        version=__version__,
        database="ok",
        index_version=runtime.index_version,
        index_latest=stamp.version if stamp is not None else None,
        retrieval=runtime.answerer is not None,
    )
