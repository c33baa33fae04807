"""Sessions: start an interview, read one back (a reloaded page shows its last reply), and the
token's life: a resume code, signing out on this device, continuing on another."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Header

from api import examples
from api.auth import Caller
from api.deps import PublicCaller, ReadableSession, ServiceDep, SettingsDep, WritableSession
from api.errors import ApiError
from api.routers.common import errors
from api.schemas import SessionCreate, SessionCreated, SessionPublic
from api.site_token import SiteClaims, SiteTokenError, SiteTokenProblem, verify_site_token
from api.token_schemas import ResumeCodeIssued, ResumeRequest, SignedOut
from assistant.session.models import Profile
from assistant.settings import Settings
from assistant.storage import ApiKeyRecord, SessionStore

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["sessions 会话"])


def _site_of(caller: Caller) -> ApiKeyRecord:
    if caller.site is None:
        raise ApiError(
            401,
            "site_key_required",
            "站点令牌须与签发它的站点密钥（X-Site-Key）一同发送。",
            "A site token is accepted only with its own site key (X-Site-Key).",
        )
    if not caller.site.token_secret:
        raise ApiError(
            401,
            "site_token_secret_missing",
            f"站点密钥 {caller.site.id!r} 尚无站点令牌密钥，不接受站点令牌：请运营方运行 "
            f"smecmm keys rotate-secret {caller.site.id} 并把新密钥交给宿主网站。",
            f"Site key {caller.site.id!r} has no site-token secret and accepts no site tokens: "
            f"the operator runs `smecmm keys rotate-secret {caller.site.id}` and gives the new "
            "secret to the host site.",
        )
    return caller.site


def _verified(token: str, site: ApiKeyRecord, settings: Settings, now: float) -> SiteClaims:
    try:
        claims = verify_site_token(
            token, site.token_secret, now=now, max_age_s=settings.site_token_max_age_s
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
    if claims.site != site.id:
        raise ApiError(
            403,
            "site_token_mismatch",
            "站点令牌属于另一个站点密钥。",
            "The site token was issued for another site key.",
        )
    return claims


def _claims(token: str, settings: Settings, caller: Caller, store: SessionStore) -> SiteClaims:
    site = _site_of(caller)
    now = time.time()
    claims = _verified(token, site, settings, now)
    expires = datetime.fromtimestamp(claims.exp, UTC)
    if claims.jti is not None and not store.claim_jti(
        site.id, claims.jti, expires, datetime.fromtimestamp(now, UTC)
    ):
        raise ApiError(
            401,
            "site_token_replayed",
            "该站点令牌（jti）已经用过，请由宿主网站重新签发。",
            "This site token (jti) was already used; the host site must sign a new one.",
        )
    return claims


@router.post(
    "",
    status_code=201,
    summary="开始自评访谈 / Start an interview",
    description=(
        "创建会话并返回问候语与第一个问题。`token` 只返回这一次，之后以 "
        "`Authorization: Bearer <token>` 访问本会话；超过 `SMECMM_SESSION_TOKEN_IDLE_DAYS` "
        "天未使用即失效。宿主网站可用 `X-Site-Token` 请求头或 `site_token` 字段传入签名的机构"
        "身份，须同时携带签发它的站点密钥（`X-Site-Key`），验证后记为会话所属机构。\n\n"
        "Creates a session and returns the greeting with the first question. The `token` is "
        "shown once; send it as `Authorization: Bearer <token>` for this session; it stops "
        "working after `SMECMM_SESSION_TOKEN_IDLE_DAYS` days unused. A host site may pass a "
        "signed institution token (`X-Site-Token` header or `site_token` field) together with "
        "its own site key (`X-Site-Key`); once verified it names the session's owner and the "
        "institution's name."
    ),
    responses=errors(400, 401, 403, 422, 429),
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
        claims = _claims(token, settings, caller, service.store)
        owner = claims.institution
        profile = profile.updated(name=claims.institution)
    started = service.start(language=request.language, profile=profile, owner=owner)
    return SessionCreated(session_id=started.session_id, token=started.token, reply=started.reply)


@router.post(
    "/resume",
    summary="用恢复码继续 / Continue with a resume code",
    description=(
        "在另一台设备上继续：用退出时记下的一次性恢复码换取本会话的新令牌（只返回这一次），"
        "并返回最后一条回复。恢复码只能用一次；此后其他设备上的旧令牌均失效。受限流约束。\n\n"
        "Continue on another device: trade the one-time resume code noted when signing out for "
        "a new token of the session (shown once), with the session's last reply. A code works "
        "once; any older token of the session stops working. Rate limited."
    ),
    responses=errors(400, 401, 403, 422, 429),
)
def resume_session(
    caller: PublicCaller, service: ServiceDep, body: ResumeRequest
) -> SessionCreated:
    redeemed = service.tokens.redeem(body.code)
    if redeemed is None:
        raise ApiError(
            401,
            "invalid_resume_code",
            "恢复码无效、已用过或已过期。请核对后重试，或开始新的自评。",
            "The resume code is wrong, already used or expired. Check it and try again, or "
            "start a new assessment.",
        )
    return SessionCreated(
        session_id=redeemed.session_id, token=redeemed.token, reply=redeemed.reply
    )


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


@router.post(
    "/{session_id}/resume-code",
    status_code=201,
    summary="取得恢复码 / Get a resume code",
    description=(
        "退出前调用：返回一次性恢复码（只显示这一次，服务器只存其哈希），凭它可在另一台设备上"
        "继续本会话。再次调用会换一个新码，旧码作废。令牌仍然有效，直到退出。\n\n"
        "Call before signing out: returns a one-time resume code (shown once; the server keeps "
        "only its hash) that continues this session on another device. Asking again replaces "
        "the code. The token stays valid until signing out."
    ),
    responses=errors(401, 403, 404, 429),
)
def issue_resume_code(session_id: WritableSession, service: ServiceDep) -> ResumeCodeIssued:
    issued = service.tokens.resume_code(session_id)
    return ResumeCodeIssued(code=issued.code, expires_at=issued.expires_at)


@router.post(
    "/{session_id}/sign-out",
    summary="在此设备上退出 / Sign out on this device",
    description=(
        "立即停用本会话令牌（每台设备、每个标签页）。已取得的恢复码仍可在另一台设备上继续；"
        "会话内容不会丢失。\n\n"
        "Stops this session's token at once (every device, every tab). A resume code already "
        "issued still continues the session elsewhere; nothing of the session is lost."
    ),
    responses=errors(401, 403, 404, 429),
)
def sign_out(session_id: WritableSession, service: ServiceDep) -> SignedOut:
    return SignedOut(session_id=session_id, signed_out_at=service.tokens.sign_out(session_id))
