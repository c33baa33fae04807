"""An applicant's session token over its life: issued, used, idle too long, signed out,
revoked, and replaced through a one-time resume code.

A session has one token at a time (only its SHA-256 is stored). It stops working when:

- it has not been used for ``TokenPolicy.idle`` (idle, not absolute: an applicant gathers
  evidence over weeks, and an active one must never be cut off mid-assessment); its last use
  is written at most every ``touch_every``, so reading a session costs no write each time;
- the applicant signs out on a device, or an admin revokes it.

Signing out loses no work: the page first asks for a **resume code** (20 Crockford base32
characters, 100 random bits, shown as ``XXXX-XXXX-XXXX-XXXX-XXXX``, stored hashed). Redeemed
once, before it expires, it gives the session a new token on another device; the old token
is then replaced, so every other device stays signed out.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from assistant.security import hash_token
from assistant.session.models import Reply
from assistant.storage.base import SessionHead, SessionRecord, SessionStore

__all__ = [
    "RESUME_CODE_CHARS",
    "RedeemedSession",
    "ResumeCode",
    "SessionTokens",
    "TokenPolicy",
    "TokenState",
    "new_resume_code",
    "new_session_token",
    "normalise_resume_code",
]

RESUME_CODE_CHARS = 20
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_GROUP = 4


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_resume_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(RESUME_CODE_CHARS))
    return "-".join(raw[i : i + _GROUP] for i in range(0, RESUME_CODE_CHARS, _GROUP))


def normalise_resume_code(text: str) -> str | None:
    """The code as stored (hashed): upper case, no spaces or dashes, O→0, I/L→1. ``None``
    when it cannot be a code (wrong length or characters)."""
    if len(text) > 64:
        return None
    code = "".join(text.upper().split()).replace("-", "").translate(_LOOKALIKES)
    if len(code) != RESUME_CODE_CHARS or any(ch not in _ALPHABET for ch in code):
        return None
    return code


class TokenState(StrEnum):
    VALID = "valid"
    WRONG = "wrong"  # not this session's token (never says more)
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    idle: timedelta = timedelta(days=30)
    touch_every: timedelta = timedelta(hours=1)

    def state(self, record: SessionHead | SessionRecord, token: str, now: datetime) -> TokenState:
        if not hmac.compare_digest(record.token_hash, hash_token(token)):
            return TokenState.WRONG
        if record.token_revoked_at is not None:
            return TokenState.REVOKED
        if now - _last_use(record) >= self.idle:
            return TokenState.EXPIRED
        return TokenState.VALID

    def needs_touch(self, record: SessionHead | SessionRecord, now: datetime) -> bool:
        return record.token_seen_at is None or now - record.token_seen_at >= self.touch_every


def _last_use(record: SessionHead | SessionRecord) -> datetime:
    return record.token_seen_at or record.updated_at


@dataclass(frozen=True, slots=True)
class ResumeCode:
    code: str  # shown once
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RedeemedSession:
    session_id: str
    token: str  # shown once
    reply: Reply  # the session's last reply: where the applicant left off


class SessionTokens:
    """The token operations of the interview service (``InterviewService.tokens``)."""

    def __init__(
        self, store: SessionStore, policy: TokenPolicy, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.policy = policy
        self._clock = clock

    def check(self, session_id: str, token: str) -> TokenState:
        """The token's state for this session (``SessionNotFound`` for an unknown id); a
        valid use is recorded."""
        record = self.store.head(session_id)
        now = self._clock()
        state = self.policy.state(record, token, now)
        if state is TokenState.VALID and self.policy.needs_touch(record, now):
            self.store.touch_token(session_id, now)
        return state

    def resume_code(self, session_id: str) -> ResumeCode:
        """A new one-time code for this session, replacing any earlier one; it lives as long
        as an unused token would."""
        code = new_resume_code()
        expires_at = self._clock() + self.policy.idle
        normal = normalise_resume_code(code)
        assert normal is not None
        self.store.set_resume_code(session_id, hash_token(normal), expires_at)
        return ResumeCode(code, expires_at)

    def sign_out(self, session_id: str) -> datetime:
        """The applicant leaves this device; a resume code already issued stays valid."""
        now = self._clock()
        self.store.revoke_token(session_id, now, drop_resume_code=False)
        return now

    def revoke(self, session_id: str) -> datetime:
        """An admin stops the session's token and its unredeemed resume code."""
        now = self._clock()
        self.store.revoke_token(session_id, now, drop_resume_code=True)
        return now

    def redeem(self, text: str) -> RedeemedSession | None:
        """A new token for the code's session, once; ``None`` for a wrong or spent code."""
        code = normalise_resume_code(text)
        if code is None:
            return None
        token = new_session_token()
        session_id = self.store.redeem_resume_code(
            hash_token(code), hash_token(token), self._clock()
        )
        if session_id is None:
            return None
        return RedeemedSession(session_id, token, self.store.last_turn(session_id).reply)
