"""Session-token rules without HTTP: idle expiry at its boundary, revocation, resume codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assistant.interview.tokens import (
    RESUME_CODE_CHARS,
    TokenPolicy,
    TokenState,
    new_resume_code,
    normalise_resume_code,
)
from assistant.security import hash_token
from assistant.storage import SessionRecord
from tests.utils.sessions import T0, new_session

POLICY = TokenPolicy(idle=timedelta(days=30))


def record(**update: object) -> SessionRecord:
    session, _ = new_session()
    return session.model_copy(update={"token_hash": hash_token("tok"), **update})


@pytest.mark.parametrize(
    ("idle", "state"),
    [
        (timedelta(days=30) - timedelta(seconds=1), TokenState.VALID),
        (timedelta(days=30), TokenState.EXPIRED),
    ],
)
def test_expiry_counts_from_the_last_use(idle: timedelta, state: TokenState) -> None:
    seen = T0 + timedelta(days=50)
    assert POLICY.state(record(token_seen_at=seen), "tok", seen + idle) is state


def test_without_a_recorded_use_the_last_turn_counts() -> None:
    old = record(updated_at=T0 + timedelta(days=10), token_seen_at=None)
    assert POLICY.state(old, "tok", T0 + timedelta(days=39)) is TokenState.VALID
    assert POLICY.state(old, "tok", T0 + timedelta(days=40)) is TokenState.EXPIRED


def test_a_wrong_token_learns_nothing_and_revocation_beats_expiry() -> None:
    revoked = record(token_revoked_at=T0, token_seen_at=T0)
    assert POLICY.state(revoked, "other", T0) is TokenState.WRONG
    assert POLICY.state(revoked, "tok", T0 + timedelta(days=99)) is TokenState.REVOKED


def test_a_use_is_written_at_most_every_touch_interval() -> None:
    seen = record(token_seen_at=T0)
    assert not POLICY.needs_touch(seen, T0 + timedelta(minutes=59))
    assert POLICY.needs_touch(seen, T0 + timedelta(hours=1))
    assert POLICY.needs_touch(record(token_seen_at=None), T0)


def test_resume_codes_are_random_grouped_and_typed_forgivingly() -> None:
    codes = {new_resume_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert len(code) == RESUME_CODE_CHARS + 4 and code.count("-") == 4
    normal = normalise_resume_code(code)
    assert normal == code.replace("-", "")
    typed = f"  {code.lower().replace('-', ' ')}\n"
    assert normalise_resume_code(typed) == normal
    looks = "O0I1L" * 4
    assert normalise_resume_code(looks) == "00111" * 4  # O→0, I and L→1


NOT_CODES = ["", "ABCD", "U" * RESUME_CODE_CHARS, "A" * (RESUME_CODE_CHARS + 1), "A" * 65, "码"]


@pytest.mark.parametrize("text", NOT_CODES)
def test_anything_else_is_not_a_code(text: str) -> None:
    assert normalise_resume_code(text) is None
