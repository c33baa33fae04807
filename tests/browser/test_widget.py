"""The one-tag widget on websites of other origins, in Chromium.

The app listens on one loopback port; a website on another port (an allowed origin of the
site key) embeds the chat and talks to it; a website on a third origin, not allowed, gets
neither the framed chat (``frame-ancestors``) nor answers to its own cross-origin calls (CORS
and the server's own origin check).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Frame, Page, expect

from assistant.cli.key_commands import issue_key
from assistant.storage import KeyRole
from tests.utils.browser import Chat, PageEvents, Screenshots, by_testid
from tests.utils.live_server import Served, StaticSite, serve_pages, widget_host_page

pytestmark = pytest.mark.browser

INSTITUTION = "示例网站服务中心"

# Runs in the host page (which has no CSP): a cross-origin call with the site key.
CROSS_ORIGIN_CREATE = """async ([url, key]) => {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {"X-Site-Key": key, "Content-Type": "application/json"},
      body: JSON.stringify({language: "zh"}),
    });
    return {ok: true, status: response.status, body: await response.json()};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
}"""

# A "simple" request the browser sends without a preflight (and without the site key);
# the browser hides the answer from the page, so only the server can refuse it.
NO_CORS_CREATE = """async (url) => {
  await fetch(url, {method: "POST", mode: "no-cors"});
  return true;
}"""


@dataclass(frozen=True)
class Websites:
    allowed: StaticSite
    other: StaticSite  # another site (localhost), not in the key's origins
    key: str


@pytest.fixture
def websites(served: Served) -> Iterator[Websites]:
    allowed_pages: dict[str, str] = {}
    other_pages: dict[str, str] = {}
    with (
        serve_pages(allowed_pages) as allowed,
        serve_pages(other_pages, host="localhost") as other,
    ):
        key, _ = issue_key(
            served.live.store, KeyRole.SITE, label="示例网站", origins=(allowed.url,)
        )
        allowed_pages["/"] = widget_host_page(served.url, key)
        other_pages["/"] = widget_host_page(served.url, key, title="未登记的网站")
        yield Websites(allowed=allowed, other=other, key=key)


def sessions_url(served: Served) -> str:
    return f"{served.url}/api/v1/sessions"


def open_widget(page: Page) -> Frame:
    button = page.locator(by_testid("widget-button"))
    button.wait_for()
    in_shadow = page.locator(by_testid("widget-host")).evaluate(
        "host => host.shadowRoot.querySelector('[data-testid=widget-button]') !== null"
    )
    assert in_shadow, "the widget's button lives in its open shadow root"
    button.click()
    handle = page.locator(by_testid("widget-frame")).element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    return frame


def test_widget_on_an_allowed_origin_opens_the_chat_and_answers(
    page: Page,
    served: Served,
    websites: Websites,
    screens: Screenshots,
    page_events: PageEvents,
) -> None:
    page.goto(websites.allowed.url + "/")
    assert page.locator(by_testid("widget-panel")).is_hidden()
    is_create = lambda r: r.url == sessions_url(served) and r.method == "POST"  # noqa: E731
    with (
        page.expect_response(lambda r: "/embed?" in r.url) as embed,
        page.expect_request(is_create) as create,
    ):
        frame = open_widget(page)
    policy = embed.value.headers["content-security-policy"]
    assert f"frame-ancestors {websites.allowed.url}" in policy
    assert frame.url.startswith(f"{served.url}/embed?site_key=")
    assert create.value.header_value("x-site-key") == websites.key
    assert create.value.header_value("origin") == served.url  # the frame is the app's origin

    chat = Chat(frame)
    chat.wait_ready()
    assert "自评助手" in chat.by("msg-assistant").first.inner_text()
    reply = chat.say(INSTITUTION)
    assert "哪一类" in reply.inner_text()
    assert chat.live_kind() == "profile"
    assert [s.institution for s in served.live.store.list_sessions()] == [INSTITUTION]
    screens.take(page, "widget-open-allowed")

    answer = page.evaluate(CROSS_ORIGIN_CREATE, [sessions_url(served), websites.key])
    assert answer["ok"] and answer["status"] == 201, answer
    assert len(served.live.store.list_sessions()) == 2
    assert page_events.errors == [] and page_events.csp_violations() == []
    # the chat said it was ready: the widget never put its own notice over it
    expect(page.locator(by_testid("widget-refused"))).to_be_hidden()
    expect(page.locator(by_testid("widget-frame"))).to_be_visible()


def test_widget_on_an_origin_the_key_does_not_allow_is_refused(
    page: Page,
    served: Served,
    websites: Websites,
    screens: Screenshots,
) -> None:
    page.goto(websites.other.url + "/")
    refused = lambda m: "frame-ancestors" in m.text  # noqa: E731
    with (
        page.expect_response(lambda r: "/embed?" in r.url) as embed,
        page.expect_console_message(refused) as console,
    ):
        frame = open_widget(page)
    policy = embed.value.headers["content-security-policy"]
    assert f"frame-ancestors {websites.allowed.url}" in policy
    assert websites.other.url not in policy
    assert f'"frame-ancestors {websites.allowed.url}"' in console.value.text
    assert "blocked" in console.value.text
    frame.wait_for_url(lambda url: url.startswith("chrome-error://"))  # an error page
    assert frame.query_selector(by_testid("chat-log")) is None
    assert frame.query_selector("#app") is None
    # which the user never sees: no "ready" came from the chat, so the widget says why
    notice = page.locator(by_testid("widget-refused"))
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("自评助手暂时无法在本网站中打开")
    expect(notice).to_contain_text("The assistant cannot open on this website")
    assert notice.get_attribute("role") == "alert"
    expect(page.locator(by_testid("widget-frame"))).to_be_hidden()
    link = page.locator(by_testid("widget-open-page"))
    assert link.get_attribute("href") == f"{served.url}/?lang=zh"
    assert link.get_attribute("target") == "_blank"
    screens.take(page, "widget-refused")

    with page.expect_console_message(lambda m: "CORS policy" in m.text) as cors:
        answer = page.evaluate(CROSS_ORIGIN_CREATE, [sessions_url(served), websites.key])
    assert answer == {"ok": False, "error": "TypeError: Failed to fetch"}
    assert f"from origin '{websites.other.url}'" in cors.value.text
    with page.expect_response(sessions_url(served)) as blind:
        page.evaluate(NO_CORS_CREATE, sessions_url(served))
    assert blind.value.status == 401
    assert served.live.store.list_sessions() == []


def test_the_widget_signs_out_and_keeps_nothing_in_the_frame(
    page: Page,
    served: Served,
    websites: Websites,
    screens: Screenshots,
    page_events: PageEvents,
) -> None:
    page.goto(websites.allowed.url + "/")
    chat = Chat(open_widget(page))
    chat.wait_ready()
    chat.say(INSTITUTION)
    [session] = served.live.store.list_sessions()
    assert chat.by("sign-out").inner_text().strip() == "退出"  # the compact labels
    assert chat.by("remember-me").is_checked() is False
    screens.take(page, "widget-account-bar")

    chat.by("sign-out").click()
    chat.by("sign-out-bar").wait_for()  # shown once the code has come
    code = chat.by("resume-code").inner_text().strip()
    assert len(code) == 24
    screens.take(page, "widget-sign-out-code")
    chat.by("sign-out-confirm").click()
    chat.by("signed-out").wait_for()

    frame = chat.page
    kept = frame.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    assert session.id not in kept and code not in kept
    assert served.live.store.get(session.id).token_revoked_at is not None
    assert page_events.errors == [] and page_events.csp_violations() == []
