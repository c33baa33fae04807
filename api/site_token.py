"""Site tokens: a host site names its logged-in institution to the chat for a short while.

This docstring is the integrators' specification.

**The secret.** Every site key has its own secret, shared only with that host site.
``smecmm keys create --role site …`` generates one (32 random bytes, 43 characters) and shows
it once beside the key; ``--token-secret -`` reads one the operator brings instead (at least
32 characters, else a clear error). ``smecmm keys rotate-secret ID`` replaces it at once. The
retired global ``SMECMM_SITE_TOKEN_SECRET`` verifies nothing (start-up says so if it is set),
and an empty or short secret never verifies a token.

**The token** is ``<payload>.<signature>``, both parts base64url without padding:

- payload: UTF-8 JSON ``{"institution": "…", "site": "<site key id>", "exp": <unix seconds>}``,
  optionally with ``"jti": "<one-time id, 1–128 characters>"``;
- signature: HMAC-SHA256 of the payload part (its ASCII text), keyed with the UTF-8 bytes of
  the secret of the site key named by ``site``.

**Acceptance.** A token is accepted only together with its own site key: the request carries
``X-Site-Key`` and ``site`` is that key's id. It is refused, and nothing is written, when

- no site key comes with it (401 ``site_key_required``), or the key has no secret
  (401 ``site_token_secret_missing``);
- the signature does not match that key's secret (401 ``invalid_site_token``): a token signed
  for site A fails with site B's key;
- ``site`` names another key (403 ``site_token_mismatch``);
- ``exp`` has passed (401 ``site_token_expired``), or lies further ahead than
  ``site_token_max_age_s`` (a host site signs at page load, for minutes, never for days);
- its ``jti`` was already used (401 ``site_token_replayed``). Used ids are kept in the
  database until the token's ``exp``, so every worker agrees. Without ``jti`` a token may be
  used again until it expires.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from assistant.storage.keys import MIN_SECRET_CHARS

__all__ = [
    "SiteClaims",
    "SiteTokenError",
    "SiteTokenProblem",
    "sign_site_token",
    "verify_site_token",
]

_MAX_TOKEN_CHARS = 4096
_MAX_INSTITUTION_CHARS = 200
_MAX_JTI_CHARS = 128
_LEEWAY_S = 30  # clocks of the host site and this server may differ a little


class SiteTokenProblem(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    TOO_LONG_LIVED = "too_long_lived"
    NO_SECRET = "no_secret"


class SiteTokenError(Exception):
    def __init__(self, problem: SiteTokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class SiteClaims:
    institution: str
    site: str
    exp: int
    jti: str | None = None


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SiteTokenError(SiteTokenProblem.MALFORMED) from exc


def _usable(secret: str | None) -> str:
    if secret is None or len(secret.strip()) < MIN_SECRET_CHARS:
        raise SiteTokenError(SiteTokenProblem.NO_SECRET)
    return secret


def _signature(secret: str, payload: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()


def sign_site_token(
    secret: str, *, institution: str, site: str, exp: int, jti: str | None = None
) -> str:
    """What a host site does (any language will do; see the module docstring)."""
    claims: dict[str, Any] = {"institution": institution, "site": site, "exp": exp}
    if jti is not None:
        claims["jti"] = jti
    payload = _encode(json.dumps(claims, ensure_ascii=False).encode("utf-8"))
    return f"{payload}.{_encode(_signature(_usable(secret), payload))}"


def verify_site_token(token: str, secret: str | None, *, now: float, max_age_s: int) -> SiteClaims:
    """The claims of a valid token; ``SiteTokenError`` naming the problem otherwise."""
    key = _usable(secret)
    payload, dot, signature = token.strip().partition(".")
    if not dot or not payload or len(token) > _MAX_TOKEN_CHARS or not payload.isascii():
        raise SiteTokenError(SiteTokenProblem.MALFORMED)
    if not hmac.compare_digest(_decode(signature), _signature(key, payload)):
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
    jti = data.get("jti")
    valid = (
        isinstance(institution, str)
        and 0 < len(institution.strip()) <= _MAX_INSTITUTION_CHARS
        and isinstance(site, str)
        and isinstance(exp, int)
        and not isinstance(exp, bool)
        and (jti is None or (isinstance(jti, str) and 0 < len(jti) <= _MAX_JTI_CHARS))
    )
    if not valid:
        raise SiteTokenError(SiteTokenProblem.MALFORMED)
    assert isinstance(institution, str) and isinstance(site, str) and isinstance(exp, int)
    return SiteClaims(institution=institution.strip(), site=site, exp=exp, jti=jti)
