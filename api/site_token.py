"""Site tokens: a host site names its logged-in institution to the chat for a short while.

A token is ``<payload>.<signature>``, both parts base64url without padding:

- payload: UTF-8 JSON ``{"institution": "…", "site": "<site key id>", "exp": <unix seconds>}``;
- signature: HMAC-SHA256 of the payload part (its ASCII text), keyed with the UTF-8 bytes of
  the shared secret (``SMECMM_SITE_TOKEN_SECRET``).

A token is refused when the signature does not match, when ``exp`` has passed, or when it
lives longer than ``site_token_max_age_s`` from now (a host site signs at page load, for
minutes, never for days). ``site`` binds the token to the site key it is used with.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "SiteClaims",
    "SiteTokenError",
    "SiteTokenProblem",
    "sign_site_token",
    "verify_site_token",
]

_MAX_TOKEN_CHARS = 4096
_MAX_INSTITUTION_CHARS = 200
_LEEWAY_S = 30  # clocks of the host site and this server may differ a little


class SiteTokenProblem(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    TOO_LONG_LIVED = "too_long_lived"


class SiteTokenError(Exception):
    def __init__(self, problem: SiteTokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class SiteClaims:
    institution: str
    site: str
    exp: int


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SiteTokenError(SiteTokenProblem.MALFORMED) from exc


def _signature(secret: str, payload: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()


def sign_site_token(secret: str, *, institution: str, site: str, exp: int) -> str:
    """What a host site does (any language will do; see the module docstring)."""
    claims = {"institution": institution, "site": site, "exp": exp}
    payload = _encode(json.dumps(claims, ensure_ascii=False).encode("utf-8"))
    return f"{payload}.{_encode(_signature(secret, payload))}"


def verify_site_token(token: str, secret: str, *, now: float, max_age_s: int) -> SiteClaims:
    """The claims of a valid token; ``SiteTokenError`` naming the problem otherwise."""
    payload, dot, signature = token.strip().partition(".")
    if not dot or not payload or len(token) > _MAX_TOKEN_CHARS or not payload.isascii():
        raise SiteTokenError(SiteTokenProblem.MALFORMED)
    if not hmac.compare_digest(_decode(signature), _signature(secret, payload)):
        raise SiteTokenError(SiteTokenProblem.BAD_SIGNATURE)
    claims = _claims(_decode(payload))
    if claims.exp <= now:
        raise SiteTokenError(SiteTokenProblem.EXPIRED)
    if claims.exp > now + max_age_s + _LEEWAY_S:
        raise SiteTokenError(SiteTokenProblem.TOO_LONG_LIVED)
    return claims


def _claims(raw: bytes) -> SiteClaims:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SiteTokenError(SiteTokenProblem.MALFORMED) from exc
    if not isinstance(data, dict):
        raise SiteTokenError(SiteTokenProblem.MALFORMED)
    institution, site, exp = data.get("institution"), data.get("site"), data.get("exp")
    valid = (
        isinstance(institution, str)
        and 0 < len(institution.strip()) <= _MAX_INSTITUTION_CHARS
        and isinstance(site, str)
        and isinstance(exp, int)
        and not isinstance(exp, bool)
    )
    if not valid:
        raise SiteTokenError(SiteTokenProblem.MALFORMED)
    assert isinstance(institution, str) and isinstance(site, str) and isinstance(exp, int)
    return SiteClaims(institution=institution.strip(), site=site, exp=exp)
