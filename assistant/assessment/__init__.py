"""The assessor's side of an assessment: sign-off, evidence checks, notes, re-assessment.

This package's ``__init__`` exports the models only: ``assistant.storage`` imports them, so
nothing imported here may pull in the interview (import the service modules directly).
"""

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SessionQuery,
    SignedSnapshot,
    SignOff,
    snapshot_json,
    snapshot_sha256,
)

__all__ = [
    "AssessorNote",
    "ConsoleLogin",
    "EvidenceCheck",
    "SessionQuery",
    "SignOff",
    "SignedSnapshot",
    "snapshot_json",
    "snapshot_sha256",
]
