"""Shared computers in Chromium: the session is kept for this tab only unless the user ticks
"remember me"; signing out shows a one-time resume code, forgets the token, stops every
other tab, and the code continues the assessment on another device."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.utils.browser import Chat, PageEvents, Screenshots
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$")
STORAGES = """() => {
  const dump = (s) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
  return {local: dump(window.localStorage), tab: dump(window.sessionStorage)};
}"""


def open_chat(page: Page, url: str) -> Chat:
    page.goto(url + "/")
    chat = Chat(page)
    chat.wait_ready()
    return chat


def storages(page: Page) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = page.evaluate(STORAGES)
    return found


def session_of(page: Page) -> dict[str, Any] | None:
    for kept in storages(page).values():
        if "smecmm:page:session" in kept:
            session: dict[str, Any] = json.loads(kept["smecmm:page:session"])
            return session
    return None


def test_by_default_the_session_lives_in_this_tab_only(page: Page, served: Served) -> None:
    chat = open_chat(page, served.url)
    chat.say("示例服务中心")

    kept = storages(page)
    assert "smecmm:page:session" in kept["tab"]
    assert not any(":session" in key or ":history" in key for key in kept["local"])
    assert chat.by("remember-me").is_checked() is False
    first = session_of(page)
    page.reload()  # a reload keeps it
    Chat(page).wait_ready()
    assert session_of(page) == first
    other = page.context.new_page()  # as after closing the browser: a new tab starts afresh
    open_chat(other, served.url)
    assert session_of(other) is not None and session_of(other) != first
    assert len(served.live.store.list_sessions()) == 2


def test_remember_me_keeps_the_session_for_the_next_window_and_unticking_forgets_it(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    chat.say("示例服务中心")
    chat.by("remember-me").check()
    screens.element(chat.by("account-bar"), "remember-me-ticked")
    first = session_of(page)

    assert "smecmm:page:session" in storages(page)["local"]
    later = page.context.new_page()
    again = open_chat(later, served.url)
    assert session_of(later) == first
    assert again.by("remember-me").is_checked()
    assert "示例服务中心" in again.by("msg-user").first.inner_text()  # the history came too

    again.by("remember-me").uncheck()
    assert not any(":session" in key for key in storages(later)["local"])
    assert session_of(later) == first  # still open in this tab


def test_signing_out_forgets_the_token_stops_other_tabs_and_the_code_continues(
    chromium: Browser,
    page: Page,
    served: Served,
    screens: Screenshots,
    page_events: PageEvents,
) -> None:
    chat = open_chat(page, served.url)
    chat.say("示例服务中心")
    chat.by("remember-me").check()
    session = session_of(page)
    assert session is not None
    other_tab = page.context.new_page()
    other = open_chat(other_tab, served.url)  # the same session, remembered on this device
    assert session_of(other_tab) == session

    chat.by("sign-out").click()
    bar = chat.by("sign-out-bar")
    expect(bar).to_be_visible()
    code = chat.by("resume-code").inner_text().strip()
    assert CODE.match(code), code
    assert "只能用一次" in bar.inner_text() and "用恢复码继续" in bar.inner_text()
    screens.take(page, "sign-out-code")
    chat.by("sign-out-confirm").click()
    expect(chat.by("signed-out")).to_be_visible()
    screens.take(page, "signed-out")

    dumped = str(storages(page))
    assert session["token"] not in dumped and code not in dumped
    assert chat.by("resume-code").inner_text() == ""  # the code left the screen
    assert chat.by("chat-input").is_disabled()
    assert not chat.by("remember-me").is_checked()  # the next person must tick it again

    turns = len(served.live.store.turns(session["id"]))
    other.by("chat-input").fill("另一个标签页里的回答")
    other.by("chat-input").press("Enter")
    expect(other.by("signed-out")).to_contain_text("退出", timeout=10_000)
    assert len(served.live.store.turns(session["id"])) == turns  # nothing written

    elsewhere = chromium.new_context(locale="zh-CN")  # another device
    try:
        device = elsewhere.new_page()
        resumed = open_chat(device, served.url)
        resumed.by("resume-open").click()
        resumed.by("resume-input").fill(code.lower())
        resumed.by("resume-submit").click()
        expect(resumed.by("msg-system").last).to_contain_text("已用恢复码恢复会话")
        assert session_of(device) is not None
        assert session_of(device)["id"] == session["id"]  # type: ignore[index]
        assert resumed.live_kind() == "profile"
        reply = resumed.pick("type:market")  # the interview goes on where it was
        assert "服务领域" in reply.inner_text()
        screens.take(device, "resumed-elsewhere")
    finally:
        elsewhere.close()
    assert page_events.errors == [] and page_events.csp_violations() == []


def test_a_wrong_code_says_so_and_keeps_the_current_session(page: Page, served: Served) -> None:
    chat = open_chat(page, served.url)
    before = session_of(page)

    chat.by("resume-open").click()
    chat.by("resume-input").fill("0000-0000-0000-0000-0000")
    chat.by("resume-submit").click()

    expect(chat.by("resume-error")).to_contain_text("恢复码无效")
    assert session_of(page) == before
    chat.by("resume-cancel").click()
    assert chat.by("resume-bar").is_hidden()
