"""The console's sign-in: an assessor or admin key once, then an HttpOnly cookie.

``POST /console/login`` checks the key and sets ``smecmm_console`` (32 random bytes,
HttpOnly, SameSite=Strict, Path=/, Secure over https as the trusted-proxy step reports it);
the server keeps only the SHA-256 of the cookie and of its CSRF token (``ConsoleLogin``).

The cookie authorises API calls only from this server's own pages:

- the request must be same-origin: ``Origin`` (or, without it, ``Referer``) equal to this
  server's origin when present, ``Sec-Fetch-Site`` (when sent) ``same-origin`` or ``none``;
- every unsafe method carries ``X-CSRF-Token`` matching the login's token (compared in
  constant time);
- the login is neither expired, revoked (sign out) nor made with a key since revoked.

A request with ``X-API-Key`` or a session token is judged by those, as before; the cookie
is looked at only when neither is sent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request

from api.auth import STAFF_ROLES, Caller, own_origin, require_role, require_session
from api.deps import CallerDep, ServiceDep, SessionId
from api.errors import ApiError
from assistant.assessment.models import ConsoleLogin
from assistant.security import hash_token
from assistant.storage import ApiKeyRecord, KeyRole, SessionStore

__all__ = [
    "COOKIE",
    "CSRF_HEADER",
    "AdminOrConsole",
    "ConsoleCaller",
    "ConsoleReadableSession",
    "ConsoleSignIn",
    "StaffOrConsole",
    "check_csrf",
    "cleared_cookie",
    "console_key",
    "csrf_token",
    "signed_out",
    "same_origin",
    "sign_in",
]

COOKIE = "smecmm_console"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})
_ADMIN = frozenset({KeyRole.ADMIN})
_CSRF_LABEL = b"smecmm console csrf"


def _now() -> datetime:
    return datetime.now(UTC)


def cleared_cookie(request: Request) -> str:
    secure = "; Secure" if request.url.scheme == "https" else ""
    return f"{COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict{secure}"


def signed_out(request: Request) -> ApiError:
    return ApiError(
        401,
        "console_signed_out",
        "登录已失效（已退出、已过期或密钥已吊销），请重新登录。",
        "The console sign-in is no longer valid (signed out, expired or its key revoked); "
        "sign in again.",
        headers={"Set-Cookie": cleared_cookie(request)},
    )


def _cross_origin() -> ApiError:
    return ApiError(
        403,
        "cross_origin_cookie",
        "控制台登录只对本站页面发出的请求有效，不接受来自其他来源的请求。",
        "The console sign-in works only for requests from this server's own pages, not from "
        "another origin.",
    )


def _csrf_failed() -> ApiError:
    return ApiError(
        403,
        "csrf_failed",
        f"缺少或错误的 {CSRF_HEADER} 请求头：请刷新控制台页面后重试。",
        f"Missing or wrong {CSRF_HEADER} header: reload the console page and try again.",
    )


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request) -> bool:
    """Whether the browser says the request comes from this server's own page.

    A header that is absent proves nothing either way (curl, old browsers); one that is
    present must name this origin."""
    own = own_origin(request)
    origin = request.headers.get("origin")
    if origin is not None:
        if origin.lower() != own:
            return False
    elif (referer := request.headers.get("referer")) is not None and _origin_of(referer) != own:
        return False
    fetch_site = request.headers.get("sec-fetch-site")
    return fetch_site is None or fetch_site.lower() in _SAME_ORIGIN_FETCH


def _key_by_id(store: SessionStore, key_id: str) -> ApiKeyRecord | None:
    return next((key for key in store.list_keys() if key.id == key_id), None)


def console_key(
    request: Request, store: SessionStore, *, now: datetime | None = None
) -> tuple[ConsoleLogin, ApiKeyRecord]:
    """The live login of the request's cookie and its key; 401 when it no longer holds."""
    value = request.cookies.get(COOKIE, "")
    login = store.find_console_login(hash_token(value)) if value else None
    moment = now or _now()
    if login is None or login.revoked_at is not None or login.expires_at <= moment:
        raise signed_out(request)
    key = _key_by_id(store, login.key_id)
    if key is None or key.revoked or key.role not in STAFF_ROLES:
        raise signed_out(request)
    return login, key


def check_csrf(request: Request, login: ConsoleLogin) -> None:
    if request.method.upper() in _SAFE_METHODS:
        return
    token = request.headers.get(CSRF_HEADER, "")
    if not token or not hmac.compare_digest(hash_token(token), login.csrf_hash):
        raise _csrf_failed()


def _by_cookie(request: Request, caller: Caller) -> bool:
    """Judge this request by the console cookie: it has one, and no key or token."""
    return (
        COOKIE in request.cookies
        and caller.staff is None
        and caller.bearer is None
        and "x-api-key" not in request.headers
    )


def _console_record(request: Request, store: SessionStore) -> ApiKeyRecord:
    if not same_origin(request):
        raise _cross_origin()
    login, key = console_key(request, store)
    check_csrf(request, login)
    return key


def _console_caller(request: Request, caller: CallerDep, service: ServiceDep) -> Caller:
    """The caller, with the console cookie's key as its staff key when judged by the cookie."""
    if _by_cookie(request, caller):
        record = _console_record(request, service.store)
        return Caller(staff=record, site=caller.site, origin=caller.origin)
    return caller


ConsoleCaller = Annotated[Caller, Depends(_console_caller)]


async def _staff_or_console(caller: ConsoleCaller) -> ApiKeyRecord:
    return require_role(caller, STAFF_ROLES)


async def _admin_or_console(caller: ConsoleCaller) -> ApiKeyRecord:
    return require_role(caller, _ADMIN)


def _console_readable(session_id: SessionId, caller: ConsoleCaller, service: ServiceDep) -> str:
    """The session's own token, a staff key, or a staff console cookie may read it."""
    require_session(caller, service, session_id, write=False)
    return session_id


StaffOrConsole = Annotated[ApiKeyRecord, Depends(_staff_or_console)]
AdminOrConsole = Annotated[ApiKeyRecord, Depends(_admin_or_console)]
ConsoleReadableSession = Annotated[str, Depends(_console_readable)]


def csrf_token(cookie: str) -> str:
    """The CSRF token of a cookie value: derived, so ``GET /console/me`` can give it again
    while the server keeps only hashes of both."""
    return hmac.new(cookie.encode(), _CSRF_LABEL, hashlib.sha256).hexdigest()


class ConsoleSignIn:
    """A new login's cookie value and CSRF token (shown once), and its stored row."""

    def __init__(self, cookie: str, csrf: str, login: ConsoleLogin) -> None:
        self.cookie = cookie
        self.csrf = csrf
        self.login = login


def sign_in(
    store: SessionStore, key: ApiKeyRecord, hours: int, *, now: datetime | None = None
) -> ConsoleSignIn:
    """Store a new login for ``key``; the cookie and token themselves are never stored."""
    moment = now or _now()
    cookie = secrets.token_urlsafe(32)
    csrf = csrf_token(cookie)
    login = ConsoleLogin(
        id_hash=hash_token(cookie),
        key_id=key.id,
        csrf_hash=hash_token(csrf),
        created_at=moment,
        expires_at=moment + timedelta(hours=hours),
    )
    store.add_console_login(login)
    return ConsoleSignIn(cookie, csrf, login)
