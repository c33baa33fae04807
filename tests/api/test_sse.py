"""Cutting a reply into SSE deltas: pieces join back to the text, cut where a reader pauses."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from api.sse import event, markdown_chunks, wants_event_stream

REPLY = (
    "已记录为：**满足**，可随时修改。\n\n"
    "**服务运营 · 一星 · SO-1-02 服务活动有过程记录**（核心指标）\n\n"
    "贵机构每做一项服务，是否都会记下服务了谁、什么时候、做了什么？\n\n"
    "> 登记表、签到表都可以。"
)


@given(st.text(alphabet=st.sampled_from("满足。！？\n .!?abc中文*#>"), max_size=400))
def test_the_pieces_join_back_to_the_text(text: str) -> None:
    chunks = markdown_chunks(text)

    assert "".join(chunks) == text
    assert all(chunks)
    assert len(chunks) <= len(text)


def test_a_reply_is_cut_into_a_few_pieces_at_sentence_or_paragraph_ends() -> None:
    chunks = markdown_chunks(REPLY)

    assert 3 <= len(chunks) <= 7
    assert all(chunk.endswith(("\n\n", "。", "？")) for chunk in chunks[:-1])


def test_an_empty_text_has_no_pieces() -> None:
    assert markdown_chunks("") == []


def test_an_event_is_one_json_line() -> None:
    raw = event("delta", {"text": "第一行\n第二行"}).decode()

    name, data, blank, end = raw.split("\n")
    assert name == "event: delta"
    assert json.loads(data.removeprefix("data: ")) == {"text": "第一行\n第二行"}
    assert (blank, end) == ("", "")


def test_the_stream_is_asked_for_by_accept() -> None:
    assert wants_event_stream("text/event-stream")
    assert wants_event_stream("application/json, text/event-stream;q=0.9")
    assert not wants_event_stream("application/json")
    assert not wants_event_stream(None)
