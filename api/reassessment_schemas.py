"""Response bodies of re-assessment: the new session with what it carried, and the comparison."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.assessment.carry import RenewItem
from assistant.assessment.compare import Comparison
from assistant.session.models import Reply

__all__ = ["Comparison", "ReassessmentCreated", "RenewItem"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReassessmentCreated(_Body):
    """复评会话已开始 / The re-assessment session has started."""

    session_id: str = Field(description="复评的新会话 / the new session")
    token: str = Field(
        description="新会话的令牌，只返回这一次；之后以 Authorization: Bearer 发送 / the new "
        "session's token, shown once; send it as Authorization: Bearer"
    )
    reply: Reply = Field(description="开场白与第一个问题 / the opening and the first question")
    previous_session_id: str = Field(description="所依据的已签署会话 / the signed session")
    version: int = Field(description="所沿用的签署版本 / the sign-off version carried from")
    carried: int = Field(description="沿用（待确认）的认定数 / findings carried, to confirm")
    carried_ids: tuple[str, ...] = Field(description="沿用的指标 / the carried indicators")
    carried_evidence: int = Field(description="沿用的证据文件数 / evidence files carried")
    asked_again: tuple[str, ...] = Field(
        description="上次满足等、因证据过期须重新回答的指标 / indicators met last time that are "
        "asked again because their evidence is out of date"
    )
    to_renew: tuple[RenewItem, ...] = Field(description="需要更新的证据 / the evidence to renew")
