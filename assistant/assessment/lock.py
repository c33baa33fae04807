"""The lock of a signed-off assessment: while a sign-off is live (not reopened), every write
to the session is refused with ``SessionLocked`` (409 ``session_locked`` in the API) and
nothing is written. Reads and downloads go on.

The interview service calls ``ensure_unlocked`` before each turn it writes (answers, uploads,
undo, an assessor's finding) and the assessment service before each of its writes, so the
API and the command line obey the same rule. The check is one indexed read of the latest
sign-off's reopening (``SessionStore.locked``; the SQL store reads that one column).
"""

from __future__ import annotations

from assistant.errors import SessionLocked
from assistant.storage.base import SessionStore

__all__ = ["LOCKED_EN", "LOCKED_ZH", "ensure_unlocked", "is_locked", "locked_error"]

LOCKED_ZH = "该评估已由评估人员签署并锁定，只能查看和下载；如需修改请联系评估人员重新开启。"
LOCKED_EN = (
    "This assessment was signed off by an assessor and is locked: you can read and download "
    "it, not change it. Ask the assessor to reopen it."
)


def locked_error() -> SessionLocked:
    return SessionLocked(LOCKED_ZH, en=LOCKED_EN)


def is_locked(store: SessionStore, session_id: str) -> bool:
    return store.locked(session_id)


def ensure_unlocked(store: SessionStore, session_id: str) -> None:
    """Refuse (``SessionLocked``) a write to a session with a live sign-off."""
    if is_locked(store, session_id):
        raise locked_error()
