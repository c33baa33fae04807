"""The project's error tree. Every error a user can see derives from ``AssistantError``.

    AssistantError             user-facing base: ``str(error)`` is a message for people
    ├── KnowledgeError         a knowledge file is missing, malformed or inconsistent
    ├── FindingsError          a findings file or payload cannot be rated as given
    └── ConfigurationError     a setting names something that cannot be used (model, store)

Messages name files, paths and identifiers with ``!r`` so they can be searched for.
"""

from __future__ import annotations

__all__ = ["AssistantError", "ConfigurationError", "FindingsError", "KnowledgeError"]


class AssistantError(Exception):
    """Base of every error whose message is meant for the user."""


class KnowledgeError(AssistantError):
    """A knowledge file (standard text, catalog, rules) cannot be used."""


class FindingsError(AssistantError):
    """Findings cannot be rated: unreadable file, unknown indicator, bad status, …"""


class ConfigurationError(AssistantError):
    """A setting cannot be honoured; the message names the fix."""
