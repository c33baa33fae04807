"""Who is calling, and what they may do.

Credentials, each in its own header:

- ``Authorization: Bearer <session token>``: an applicant; opens only the session it was
  issued with (the token is checked against the session named in the path), until it has
  gone unused for ``session_token_idle_days`` or was signed out or revoked
  (``assistant.interview.tokens``): each of these is a 401 that says what happened.
- ``X-API-Key: <key>``: an assessor or admin key (stored as a SHA-256 hash); reads every
  session, overrides findings; admin keys also maintain the knowledge base.
- ``X-Site-Key: <key>``: a website that embeds the chat; bound to its allowed origins.

A browser call from another origin than this server's must carry a site key whose allowed
origins include the request's ``Origin``: the server enforces it, not only the browser's CORS.
Missing or unknown credentials are 401; valid ones that do not reach far enough are 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request

from api.errors import ApiError
from assistant.interview.service import InterviewService
from assistant.interview.tokens import TokenState
from assistant.security import hash_token
from assistant.storage import ApiKeyRecord, KeyRole, SessionStore

__all__ = [
    "STAFF_ROLES",
    "Caller",
    "allowed_origins",
    "identify",
    "own_origin",
    "require_public",
    "require_role",
    "require_session",
]

STAFF_ROLES = frozenset({KeyRole.ASSESSOR, KeyRole.ADMIN})
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="smecmm"'}


@dataclass(frozen=True, slots=True)
class Caller:
    staff: ApiKeyRecord | None = None  # an assessor or admin key
    site: ApiKeyRecord | None = None
    bearer: str | None = None
    origin: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.staff is None and self.site is None and self.bearer is None


def _unauthorized(code: str, zh: str, en: str) -> ApiError:
    return ApiError(401, code, zh, en, headers=_CHALLENGE)


def _forbidden(code: str, zh: str, en: str) -> ApiError:
    return ApiError(403, code, zh, en)


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}".lower()


def _active_key(store: SessionStore, key: str, roles: Iterable[KeyRole]) -> ApiKeyRecord | None:
    record = store.find_key(hash_token(key.strip()))
    if record is None or record.revoked or record.role not in roles:
        return None
    return record


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized(
            "invalid_credentials",
            "Authorization 请求头应为“Bearer 会话令牌”。",
            "The Authorization header must be 'Bearer <session token>'.",
        )
    return token.strip()


def identify(request: Request, store: SessionStore) -> Caller:
    """Read and check the credentials; refuse a cross-origin call without a matching site key.

    Only an ``X-API-Key`` or ``X-Site-Key`` header makes it read the store (``api.deps`` runs
    it in a worker thread then, and on the event loop otherwise)."""
    staff = site = None
    if (api_key := request.headers.get("x-api-key")) is not None:
        staff = _active_key(store, api_key, STAFF_ROLES)
        if staff is None:
            raise _unauthorized(
                "invalid_api_key", "API 密钥无效或已吊销。", "Invalid or revoked API key."
            )
    if (site_key := request.headers.get("x-site-key")) is not None:
        site = _active_key(store, site_key, (KeyRole.SITE,))
        if site is None:
            raise _unauthorized(
                "invalid_site_key", "站点密钥无效或已吊销。", "Invalid or revoked site key."
            )
    origin = request.headers.get("origin")
    cross = origin is not None and origin.lower() != own_origin(request)
    if cross and site is None:
        raise _unauthorized(
            "site_key_required",
            "跨站调用须提供站点密钥（X-Site-Key）。",
            "A call from another origin needs a site key (X-Site-Key).",
        )
    if cross and site is not None and origin not in site.origins:
        raise _forbidden(
            "origin_not_allowed",
            f"站点密钥不允许来源 {origin!r} 调用。",
            f"The site key does not allow calls from {origin!r}.",
        )
    return Caller(staff=staff, site=site, bearer=_bearer(request), origin=origin)


def allowed_origins(store: SessionStore) -> frozenset[str]:
    """Every origin that some active site key allows (the CORS allow-list)."""
    return frozenset(
        origin
        for key in store.list_keys()
        if key.role is KeyRole.SITE and not key.revoked
        for origin in key.origins
    )


def require_public(caller: Caller, *, key_required: bool) -> None:
    """Creating a session, asking, the catalog: open unless the settings require a key."""
    if key_required and caller.site is None and caller.staff is None:
        raise _unauthorized(
            "key_required",
            "此服务须提供站点密钥或 API 密钥。",
            "This service needs a site key or an API key.",
        )


def require_role(caller: Caller, roles: frozenset[KeyRole]) -> ApiKeyRecord:
    if caller.staff is not None and caller.staff.role in roles:
        return caller.staff
    if caller.anonymous:
        raise _unauthorized("missing_credentials", "请提供 API 密钥。", "An API key is required.")
    wanted = "、".join(sorted(role.value for role in roles))
    raise _forbidden(
        "forbidden_role",
        f"当前凭据无权执行此操作（需要 {wanted} 密钥）。",
        f"These credentials may not do this (needs a key of role {wanted}).",
    )


def require_session(
    caller: Caller, service: InterviewService, session_id: str, *, write: bool
) -> None:
    """The session's own token reads and writes it; staff keys read any session."""
    if caller.staff is not None and not write and caller.bearer is None:
        service.store.get(session_id)  # SessionNotFound → 404
        return
    if caller.bearer is not None:
        state = service.tokens.check(session_id, caller.bearer)
        if state is not TokenState.VALID:
            raise _token_refused(state, service.tokens.policy.idle.days)
        return
    if caller.staff is not None:
        raise _forbidden(
            "forbidden_role",
            "只有申请机构本人（会话令牌）可以作答或上传。",
            "Only the applicant (session token) may answer or upload.",
        )
    raise _unauthorized(
        "missing_credentials",
        "请提供会话令牌（Authorization: Bearer …）。",
        "A session token is required (Authorization: Bearer …).",
    )


def _token_refused(state: TokenState, idle_days: int) -> ApiError:
    if state is TokenState.EXPIRED:
        return _unauthorized(
            "session_token_expired",
            f"会话令牌已失效：已超过 {idle_days} 天未使用。如在退出前记下了恢复码，"
            "请点“用恢复码继续”输入；否则请开始新的自评。",
            f"The session token has expired: it was not used for {idle_days} days. If you noted "
            "a resume code when signing out, choose 'Continue with a code'; otherwise start a "
            "new assessment.",
        )
    if state is TokenState.REVOKED:
        return _unauthorized(
            "session_token_revoked",
            "此设备已退出该会话（或管理员已停用其令牌）。请用退出时记下的恢复码继续，"
            "或开始新的自评。",
            "This device was signed out of the session (or an admin revoked its token). "
            "Continue with the resume code you noted when signing out, or start a new "
            "assessment.",
        )
    return _unauthorized(
        "invalid_session_token",
        "会话令牌与该会话不符。",
        "The session token does not open this session.",
    )
