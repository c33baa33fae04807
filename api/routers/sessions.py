"""Sessions: start an interview, read one back (a reloaded page shows its last reply)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Body, Header

from api import examples
from api.auth import Caller
from api.deps import PublicCaller, ReadableSession, ServiceDep, SettingsDep
from api.errors import ApiError
from api.routers.common import errors
from api.schemas import SessionCreate, SessionCreated, SessionPublic
from api.site_token import SiteClaims, SiteTokenError, SiteTokenProblem, verify_site_token
from assistant.interview.models import Profile
from assistant.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["sessions 会话"])


def _claims(token: str, settings: Settings, caller: Caller) -> SiteClaims:
    if settings.site_token_secret is None:
        raise ApiError(
            401,
            "invalid_site_token",
            "本服务未配置站点令牌密钥，不接受站点令牌。",
            "This server has no site token secret and accepts no site tokens.",
        )
    try:
        claims = verify_site_token(
            token,
            settings.site_token_secret.get_secret_value(),
            now=time.time(),
            max_age_s=settings.site_token_max_age_s,
        )
    except SiteTokenError as exc:
        if exc.problem is SiteTokenProblem.EXPIRED:
            raise ApiError(
                401, "site_token_expired", "站点令牌已过期。", "The site token has expired."
            ) from None
        raise ApiError(
            401,
            "invalid_site_token",
            f"站点令牌无效（{exc.problem.value}）。",
            f"The site token is invalid ({exc.problem.value}).",
        ) from None
    if caller.site is not None and claims.site != caller.site.id:
        raise ApiError(
            403,
            "site_token_mismatch",
            "站点令牌属于另一个站点密钥。",
            "The site token was issued for another site key.",
        )
    return claims


@router.post(
    "",
    status_code=201,
    summary="开始自评访谈 / Start an interview",
    description=(
        "创建会话并返回问候语与第一个问题。`token` 只返回这一次，之后以 "
        "`Authorization: Bearer <token>` 访问本会话。宿主网站可用 `X-Site-Token` 请求头或 "
        "`site_token` 字段传入签名的机构身份，服务器验证后记为会话所属机构。\n\n"
        "Creates a session and returns the greeting with the first question. The `token` is "
        "shown once; send it as `Authorization: Bearer <token>` for this session. A host site "
        "may pass a signed institution token (`X-Site-Token` header or `site_token` field); "
        "once verified it names the session's owner and the institution's name."
    ),
    responses=errors(401, 403, 422, 429),
)
def create_session(
    caller: PublicCaller,
    service: ServiceDep,
    settings: SettingsDep,
    body: Annotated[SessionCreate | None, Body(openapi_examples=examples.SESSION_REQUESTS)] = None,
    x_site_token: Annotated[str | None, Header(max_length=4096)] = None,
) -> SessionCreated:
    request = body or SessionCreate()
    token = x_site_token or request.site_token
    profile = request.profile or Profile()
    owner = None
    if token:
        claims = _claims(token, settings, caller)
        owner = claims.institution
        profile = profile.model_copy(update={"name": claims.institution})
    started = service.start(language=request.language, profile=profile, owner=owner)
    return SessionCreated(session_id=started.session_id, token=started.token, reply=started.reply)


@router.get(
    "/{session_id}",
    summary="读取会话 / Read a session",
    description=(
        "会话的当前状态：机构画像、已确认的发现、证据和最后一条回复（页面刷新后据此恢复未答完的"
        "问题）。申请机构凭本会话令牌访问，评估人员和管理员凭 API 密钥访问。\n\n"
        "The session as it stands: profile, confirmed findings, evidence and the last reply "
        "(what a reloaded page shows, half-answered question included). The applicant reads "
        "it with the session token, assessors and admins with their API key."
    ),
    responses=errors(401, 403, 404, 429),
)
def read_session(session_id: ReadableSession, service: ServiceDep) -> SessionPublic:
    view = service.view(session_id)
    return SessionPublic.model_validate(view.model_dump())
