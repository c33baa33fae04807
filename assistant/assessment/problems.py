"""The refusals of an assessor's action (the API's status follows ``problem``)."""

from __future__ import annotations

from typing import Literal

from assistant.errors import FindingsError

__all__ = ["AssessmentError", "Problem"]

Problem = Literal["evidence_not_found", "signoff_not_found", "not_live", "invalid", "not_signer"]


class AssessmentError(FindingsError):
    """A refused assessor action; nothing was written. ``problem``: evidence_not_found and
    signoff_not_found (404), not_live (409: that sign-off is not the live one), invalid (422)."""

    code = "assessment_error"

    def __init__(self, message: str, *, en: str, problem: Problem) -> None:
        super().__init__(message, en=en)
        self.problem = problem
