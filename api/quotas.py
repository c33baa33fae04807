"""Per-session quotas, checked before a turn or an upload is taken (nothing is written when
one refuses): turns per session, evidence files and megabytes per session.

A session is what a public visitor controls; its growth is bounded here, field lengths by
the request schemas, and the number of sessions by the rate limits and session lifetimes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.auth import require_session
from api.deps import CallerDep, ServiceDep, SessionId, SettingsDep
from api.errors import ApiError
from assistant.interview.uploads import EvidenceQuota
from assistant.settings import Settings

__all__ = ["SessionWithRoom", "evidence_quota", "require_turn_room"]

_MB = 1024 * 1024


def require_turn_room(turns: int, max_turns: int) -> None:
    """Refuses a turn once the session has taken ``max_turns`` (409)."""
    if turns >= max_turns:
        raise ApiError(
            409,
            "turn_limit",
            f"本会话已达到 {max_turns:,} 轮对话的上限（已有 {turns:,} 轮），不能再继续。"
            "请下载报告，或开始新的会话。",
            f"This session has reached its limit of {max_turns:,} turns ({turns:,} taken). "
            "Download the report, or start a new session.",
        )


def evidence_quota(settings: Settings) -> EvidenceQuota:
    return EvidenceQuota(
        max_files=settings.evidence_max_files_per_session,
        max_bytes=settings.evidence_max_mb_per_session * _MB,
    )


def _with_room(
    session_id: SessionId, caller: CallerDep, service: ServiceDep, settings: SettingsDep
) -> str:
    # ``WritableSession``'s check and the quota in one dependency: one worker-thread hop
    require_session(caller, service, session_id, write=True)
    require_turn_room(service.store.head(session_id).version, settings.session_max_turns)
    return session_id


SessionWithRoom = Annotated[str, Depends(_with_room)]
"""A session the caller may write to and that may take one more turn."""
