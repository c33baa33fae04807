"""Dependency aliases for the routers: ``def handler(service: ServiceDep, caller: CallerDep)``.

Each alias is ``Annotated[type, Depends(...)]``; the checks of ``api.auth`` run as
dependencies, so a handler only runs for a caller that may. Dependencies that read the store
are plain functions (FastAPI runs them in its thread pool); the others are ``async`` so they
cost no thread hop.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.auth import (
    STAFF_ROLES,
    Caller,
    identify,
    require_public,
    require_role,
    require_session,
)
from api.errors import ApiError
from api.runtime import Maintenance, Runtime
from assistant.interview.ports import Answerer
from assistant.interview.service import InterviewService
from assistant.settings import Settings
from assistant.storage import ApiKeyRecord, KeyRole

__all__ = [
    "AdminKey",
    "AnswererDep",
    "CallerDep",
    "MaintenanceDep",
    "PublicCaller",
    "ReadableSession",
    "ServiceDep",
    "SessionId",
    "SettingsDep",
    "StaffKey",
    "WritableSession",
]

SessionId = Annotated[str, Path(description="会话编号 / session id", max_length=64)]


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime.current
    return runtime


async def _service(request: Request) -> InterviewService:
    # Straight from the request, not through ``_runtime``: every dependency level costs
    # FastAPI work on each request, and this one is on every request.
    runtime: Runtime = request.app.state.runtime.current
    return runtime.service


async def _answerer(runtime: Annotated[Runtime, Depends(_runtime)]) -> Answerer:
    if runtime.answerer is None:
        raise ApiError(
            503,
            "retrieval_unavailable",
            "检索索引未加载，暂时无法解答标准问题。",
            "The retrieval index is not loaded; questions cannot be answered now.",
        )
    return runtime.answerer


async def _maintenance(request: Request) -> Maintenance:
    maintenance: Maintenance = request.app.state.maintenance
    return maintenance


SettingsDep = Annotated[Settings, Depends(_settings)]
ServiceDep = Annotated[InterviewService, Depends(_service)]
AnswererDep = Annotated[Answerer, Depends(_answerer)]
MaintenanceDep = Annotated[Maintenance, Depends(_maintenance)]


# Declared for the OpenAPI document (the "Authorize" button of /docs); api.auth reads the
# headers itself, so these never refuse anything.
_SESSION_TOKEN = HTTPBearer(
    auto_error=False,
    scheme_name="SessionToken",
    description="申请机构的会话令牌 / the applicant's session token",
)
_STAFF_KEY = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="StaffKey",
    description="评估人员或管理员密钥 / an assessor or admin key",
)
_SITE_KEY = APIKeyHeader(
    name="X-Site-Key",
    auto_error=False,
    scheme_name="SiteKey",
    description="网站密钥，跨站调用必需 / a website's key, required from other origins",
)


async def _identify(request: Request, service: InterviewService) -> Caller:
    """``identify`` reads the store only for a key: an applicant's turn takes no thread hop."""
    if "x-api-key" in request.headers or "x-site-key" in request.headers:
        return await run_in_threadpool(identify, request, service.store)
    return identify(request, service.store)


async def _public_caller(request: Request, service: ServiceDep) -> Caller:
    return await _identify(request, service)


async def _caller(
    request: Request,
    service: ServiceDep,
    _token: Annotated[HTTPAuthorizationCredentials | None, Security(_SESSION_TOKEN)],
    _staff_key: Annotated[str | None, Security(_STAFF_KEY)],
    _site_key: Annotated[str | None, Security(_SITE_KEY)],
) -> Caller:
    return await _identify(request, service)


CallerDep = Annotated[Caller, Depends(_caller)]


async def _public(
    caller: Annotated[Caller, Depends(_public_caller)], settings: SettingsDep
) -> Caller:
    require_public(caller, key_required=settings.require_key_for_public)
    return caller


def _readable(session_id: SessionId, caller: CallerDep, service: ServiceDep) -> str:
    require_session(caller, service, session_id, write=False)
    return session_id


def _writable(session_id: SessionId, caller: CallerDep, service: ServiceDep) -> str:
    require_session(caller, service, session_id, write=True)
    return session_id


async def _staff(caller: CallerDep) -> ApiKeyRecord:
    return require_role(caller, STAFF_ROLES)


async def _admin(caller: CallerDep) -> ApiKeyRecord:
    return require_role(caller, frozenset({KeyRole.ADMIN}))


PublicCaller = Annotated[Caller, Depends(_public)]
ReadableSession = Annotated[str, Depends(_readable)]
WritableSession = Annotated[str, Depends(_writable)]
StaffKey = Annotated[ApiKeyRecord, Depends(_staff)]
AdminKey = Annotated[ApiKeyRecord, Depends(_admin)]
