"""The project's error tree. Every error a user can see derives from ``AssistantError``.

    AssistantError             user-facing base: ``str(error)`` is a message for people
    ├── KnowledgeError         a knowledge file is missing, malformed or inconsistent
    ├── FindingsError          a findings file or payload cannot be rated as given
    ├── ConfigurationError     a setting names something that cannot be used (model, store)
    ├── SessionNotFound        no interview session has that id
    ├── ConcurrentUpdate       the session changed under this turn (another worker wrote first)
├── SessionLocked          an assessor signed the session off: it is read-only until reopened
    ├── EvidenceRejected       an upload was refused (size, type, corrupt, hostile); nothing kept
    ├── StorageUnavailable     a shared store (evidence objects) did not answer in time; retry
    │   └── SearchUnavailable  the retrieval vectors (Chroma) could not be searched; retry
    ├── ReportError            a report could not be produced in the asked format
    └── BackupError            a backup cannot be made, or an archive cannot be restored

Messages name files, paths and identifiers with ``!r`` so they can be searched for. An error
may carry an English message beside the Chinese one (``en=``); ``message(language)`` picks.
Each class has a stable ``code`` that the API puts in its error body.
"""

from __future__ import annotations

__all__ = [
    "AssistantError",
    "BackupError",
    "ConcurrentUpdate",
    "ConfigurationError",
    "EvidenceRejected",
    "FindingsError",
    "KnowledgeError",
    "ReportError",
    "SearchUnavailable",
    "SessionLocked",
    "SessionNotFound",
    "StorageUnavailable",
]


class AssistantError(Exception):
    """Base of every error whose message is meant for the user."""

    code = "error"

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.message_en = en

    def message(self, language: str = "zh") -> str:
        if language == "en" and self.message_en:
            return self.message_en
        return str(self)


class KnowledgeError(AssistantError):
    """A knowledge file (standard text, catalog, rules) cannot be used."""

    code = "knowledge_error"


class FindingsError(AssistantError):
    """Findings cannot be rated: unreadable file, unknown indicator, bad status, …"""

    code = "findings_error"


class ConfigurationError(AssistantError):
    """A setting cannot be honoured; the message names the fix."""

    code = "configuration_error"


class SessionNotFound(AssistantError):
    code = "session_not_found"


class ConcurrentUpdate(AssistantError):
    code = "concurrent_update"


class SessionLocked(AssistantError):
    """A write to a signed-off session (``assistant.assessment.lock``); nothing was written."""

    code = "session_locked"


class EvidenceRejected(AssistantError):
    """An upload was refused. ``reason`` is a stable code: too_large, unsupported_type, …"""

    code = "evidence_rejected"

    def __init__(self, message: str, *, en: str | None = None, reason: str = "invalid") -> None:
        super().__init__(message, en=en)
        self.reason = reason


class StorageUnavailable(AssistantError):
    """A store the server relies on is unreachable or timed out; nothing was half-written."""

    code = "storage_unavailable"


class SearchUnavailable(StorageUnavailable):
    """The vector store did not answer a search (down, or its collection replaced meanwhile).
    Callers that can do without the search (link suggestions) go on without it."""

    code = "search_unavailable"


class ReportError(AssistantError):
    code = "report_error"


class BackupError(AssistantError):
    """A backup cannot be written, or an archive is refused (damaged, another format version,
    a non-empty target); a refused restore has written nothing."""

    code = "backup_error"
