"""The console's sign-in and sign-out, who is signed in, and the ``/assessor`` page.

The page is served with ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``: nothing
may frame a page that signs off assessments.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from api.auth import STAFF_ROLES
from api.console import (
    COOKIE,
    CSRF_HEADER,
    check_csrf,
    cleared_cookie,
    console_key,
    csrf_token,
    same_origin,
    sign_in,
)
from api.deps import ServiceDep, SettingsDep
from api.errors import ApiError
from api.routers.common import errors
from api.routers.pages import page_policy
from assistant.security import hash_token
from assistant.storage import KeyRole

__all__ = ["ConsoleCredentials", "ConsoleMe", "router"]

router = APIRouter(prefix="/console", tags=["console 控制台"])
pages = APIRouter(include_in_schema=False)

_NO_STORE = {"Cache-Control": "no-store"}
_PAGE_HEADERS = {
    "Content-Security-Policy": page_policy("'none'"),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class ConsoleCredentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: Annotated[
        str, Field(min_length=1, max_length=200, description="评估人员或管理员密钥 / the key")
    ]


class ConsoleMe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: KeyRole = Field(description="assessor 或 admin / assessor or admin")
    label: str = Field(description="密钥名称（记入审计）/ the key's label, as audited")
    csrf_token: str = Field(
        description=f"写操作须放入 {CSRF_HEADER} 请求头 / send as {CSRF_HEADER}"
    )
    expires_at: datetime


class SignedOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signed_out: bool = True


def _refuse_cross_origin(request: Request) -> None:
    if not same_origin(request):
        raise ApiError(
            403,
            "cross_origin_cookie",
            "只能在本站的控制台页面登录或退出。",
            "Sign in and out only on this server's own console page.",
        )


@router.post(
    "/login",
    summary="控制台登录 / Console sign-in",
    description=(
        "用评估人员或管理员密钥登录 /assessor、/admin 页面：设置 HttpOnly、SameSite=Strict 的 "
        f"`{COOKIE}` Cookie，并返回写操作所需的 CSRF 令牌（放入 `{CSRF_HEADER}` 请求头）。"
        "网站密钥不能登录；密钥错误 401。\n\n"
        "Sign in to the /assessor and /admin pages with an assessor or admin key: sets the "
        f"HttpOnly, SameSite=Strict cookie `{COOKIE}` and returns the CSRF token that every "
        f"write must send as `{CSRF_HEADER}`. Site keys cannot sign in; a wrong key is 401."
    ),
    responses=errors(400, 401, 403, 422, 429),
)
def login(
    request: Request,
    response: Response,
    service: ServiceDep,
    settings: SettingsDep,
    body: Annotated[ConsoleCredentials, Body()],
) -> ConsoleMe:
    _refuse_cross_origin(request)
    key = service.store.find_key(hash_token(body.key.strip()))
    if key is None or key.revoked:
        raise ApiError(401, "invalid_api_key", "密钥无效或已吊销。", "Invalid or revoked key.")
    if key.role not in STAFF_ROLES:
        raise ApiError(
            403,
            "forbidden_role",
            "只有评估人员或管理员密钥可以登录控制台。",
            "Only an assessor or admin key can sign in to the console.",
        )
    signed = sign_in(service.store, key, settings.console_hours)
    response.set_cookie(
        COOKIE,
        signed.cookie,
        max_age=settings.console_hours * 3600,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    response.headers.update(_NO_STORE)
    return ConsoleMe(
        role=key.role,
        label=key.label or key.id,
        csrf_token=signed.csrf,
        expires_at=signed.login.expires_at,
    )


@router.get(
    "/me",
    summary="当前登录 / Who is signed in",
    description=(
        "当前控制台登录的角色、名称和 CSRF 令牌；未登录或已失效 401。\n\n"
        "The signed-in console's role, label and CSRF token; 401 when not signed in."
    ),
    responses=errors(401, 403, 429),
)
def me(request: Request, response: Response, service: ServiceDep) -> ConsoleMe:
    _refuse_cross_origin(request)
    login, key = console_key(request, service.store)
    response.headers.update(_NO_STORE)
    return ConsoleMe(
        role=key.role,
        label=key.label or key.id,
        csrf_token=csrf_token(request.cookies[COOKIE]),
        expires_at=login.expires_at,
    )


@router.post(
    "/logout",
    summary="退出控制台 / Console sign-out",
    description=(
        f"吊销当前登录并清除 Cookie；须带 `{CSRF_HEADER}`。\n\n"
        f"Revokes this sign-in and clears the cookie; needs `{CSRF_HEADER}`."
    ),
    responses=errors(401, 403, 429),
)
def logout(request: Request, response: Response, service: ServiceDep) -> SignedOut:
    _refuse_cross_origin(request)
    login, _ = console_key(request, service.store)
    check_csrf(request, login)
    service.store.revoke_console_login(login.id_hash, datetime.now(UTC))
    response.headers["Set-Cookie"] = cleared_cookie(request)
    response.headers.update(_NO_STORE)
    return SignedOut()


@pages.get("/assessor")
def assessor_page(settings: SettingsDep) -> FileResponse:
    path = settings.web_dir / "assessor.html"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)
