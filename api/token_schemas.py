"""Request and response bodies of session-token lifetimes: resume codes, sign-out, revocation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ResumeCodeIssued", "ResumeRequest", "SessionRevoked", "SignedOut"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResumeCodeIssued(_Body):
    code: str = Field(
        description="一次性恢复码，只显示这一次（替换此前的恢复码）/ the one-time resume code, "
        "shown once (it replaces any earlier one)",
        examples=["7KQ2-M9XD-4TVB-P3NC-8RWH"],
    )
    expires_at: datetime = Field(description="此后不能再用 / unusable after this time")


class SignedOut(_Body):
    session_id: str
    signed_out_at: datetime


class SessionRevoked(_Body):
    session_id: str
    revoked_at: datetime


class ResumeRequest(_Body):
    """用恢复码在另一台设备上继续 / Continue on another device with a resume code."""

    code: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="退出时记下的恢复码（不区分大小写，可含空格和连字符）/ the resume code noted "
        "when signing out (any case; spaces and dashes are ignored)",
        examples=["7KQ2-M9XD-4TVB-P3NC-8RWH"],
    )
