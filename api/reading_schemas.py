"""Request and response bodies of the applicant's readings: listing them, undoing one."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from assistant.interview.readings import ReadingView
from assistant.session.models import MAX_INDICATOR_ID_CHARS

__all__ = ["ReadingList", "UndoRequest"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReadingList(_Body):
    readings: tuple[ReadingView, ...] = Field(
        description="申请机构的回答记下的判断，按轮次排列 / the findings the applicant's "
        "answers recorded, oldest first"
    )


class UndoRequest(_Body):
    """撤销某一轮记下的某项判断 / Undo the finding one turn recorded for one indicator."""

    turn: Annotated[int, Field(ge=0, le=1_000_000)] = Field(
        description="记下该判断的轮次（回复中的 `turn`）/ the turn that recorded it (`turn`)"
    )
    indicator_id: Annotated[str, Field(min_length=1, max_length=MAX_INDICATOR_ID_CHARS)] = Field(
        description="指标编号 / the indicator id", examples=["SS-1-01"]
    )
