"""What an answer recorded, in Chromium: shown right under the user's bubble, back after a
reload (read from the server), undone in one tap; an upload's links ticked best match first,
and more than two listed back for a confirmation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistant.knowledge.schema import FindingStatus
from tests.utils.browser import Chat, PageEvents, Screenshots, by_testid
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

PLAN_ANSWER = "有的，我们每年都制定书面工作计划，负责人签字。"
PLAN_FILE = "2026年度工作计划.txt"
PLAN_TEXT = (
    "2026年度工作计划\n编制日期：2026年1月15日\n经机构负责人签字通过。\n"
    "一、服务方向：为中小企业提供管理咨询和融资对接服务。\n二、服务事项、时间安排和责任人。\n"
)


def open_chat(page: Page, url: str) -> Chat:
    page.goto(url + "/")
    chat = Chat(page)
    chat.wait_ready()
    return chat


def start_one_star(chat: Chat) -> None:
    chat.say("星海中小企业服务中心")
    chat.pick("type:market")
    chat.pick("skip")
    chat.pick("skip")
    chat.pick("stars:1")
    assert chat.by("live-question").locator(by_testid("quick-reply", value="met")).count()


def findings_of(served: Served) -> dict[str, FindingStatus]:
    (session,) = served.live.store.list_sessions()
    record = served.live.store.get(session.id)
    return {ident: finding.status for ident, finding in record.findings.items()}


def test_a_reading_shows_under_the_answer_survives_a_reload_and_is_undone(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents
) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    chat.say(PLAN_ANSWER)
    assert chat.live_kind() == "indicator"  # recorded at once: the next question is up
    under = chat.by("msg-user").last.locator("xpath=following-sibling::*[1]")
    expect(under).to_have_attribute("data-testid", "readings")
    reading = under.locator(by_testid("reading", indicator="SS-1-01"))
    expect(reading).to_contain_text("SS-1-01 记为 满足")
    expect(reading.locator(by_testid("reading-undo"))).to_have_text("撤销")
    expect(reading.locator(by_testid("reading-change"))).to_have_text("改")
    # nothing recorded sits between the new question and its buttons
    assert chat.by("msg-assistant").last.locator(".proposals").count() == 0
    assert findings_of(served) == {"SS-1-01": FindingStatus.MET}
    screens.take(page, "reading-under-answer")

    page.reload()
    chat.wait_ready()
    restored = chat.by("reading", indicator="SS-1-01")
    expect(restored).to_contain_text("SS-1-01 记为 满足")  # from GET …/readings
    assert restored.get_attribute("data-state") == "current"
    screens.take(page, "reading-after-reload")

    before = chat.assistant_count()
    restored.locator(by_testid("reading-undo")).click()
    reply = chat.reply_after(before)
    expect(reply).to_contain_text("已撤销")
    expect(chat.by("reading", indicator="SS-1-01").first).to_have_attribute("data-state", "undone")
    expect(chat.by("reading", indicator="SS-1-01").first).to_contain_text("SS-1-01 已撤销")
    assert findings_of(served) == {}
    assert chat.live_kind() == "indicator"
    assert "SS-1-01" in reply.inner_text()  # asked again
    screens.take(page, "reading-undone")
    assert not page_events.errors and not page_events.csp_violations()


def test_change_from_the_reading_names_the_indicator(page: Page, served: Served) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    chat.pick("met")
    reading = chat.by("reading", indicator="SS-1-01")
    reading.locator(by_testid("reading-change")).click()
    before = chat.assistant_count()
    reading.locator(by_testid("reading-choice", status="not_met")).click()
    reply = chat.reply_after(before)
    expect(reply).to_contain_text("已将 SS-1-01")
    expect(reply).to_contain_text("不满足")
    states = chat.by("reading", indicator="SS-1-01")
    expect(states.first).to_have_attribute("data-state", "changed")
    expect(states.last).to_contain_text("SS-1-01 记为 不满足")
    assert findings_of(served) == {"SS-1-01": FindingStatus.NOT_MET}


def test_links_start_from_the_best_match_and_more_than_two_are_confirmed(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    before = chat.assistant_count()
    chat.by("upload-input").set_input_files(
        {"name": PLAN_FILE, "mimeType": "text/plain", "buffer": PLAN_TEXT.encode()}
    )
    chat.reply_after(before)
    form = chat.by("live-question").locator(by_testid("evidence-links"))
    boxes = form.locator(by_testid("link-choice"))
    ids = [boxes.nth(i).get_attribute("data-indicator") or "" for i in range(boxes.count())]
    assert ids[0] == "SS-1-01" and len(ids) >= 3
    assert [boxes.nth(i).is_checked() for i in range(len(ids))] == [True] + [False] * (len(ids) - 1)
    expect(form.locator(by_testid("link-best"))).to_have_count(1)
    expect(form.locator(by_testid("link-submit"))).to_have_text("关联所选（1）")
    screens.take(page, "links-best-preselected")

    asked = chat.link(ids[:3])
    expect(asked).to_contain_text("超过 2 项")
    for ident in ids[:3]:
        expect(asked).to_contain_text(ident)
    confirm = chat.by("live-question").locator(by_testid("quick-reply", value="link:confirm"))
    expect(confirm).to_have_text("确认关联这 3 项")
    (session,) = served.live.store.list_sessions()
    assert [e.indicator_ids for e in served.live.store.evidence(session.id)] == [()]
    screens.take(page, "links-confirm")

    linked = chat.pick("link:confirm")
    expect(linked).to_contain_text("已将该文件关联到")
    assert [e.indicator_ids for e in served.live.store.evidence(session.id)] == [tuple(ids[:3])]
    assert chat.live_kind() == "indicator"
