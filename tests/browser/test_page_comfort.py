"""The chat page as a hurried user meets it: a quick second tap, a long paste, reading back
while a reply arrives, waiting for a report, a phone, and accessibility (axe-core)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, expect

from assistant.cli.key_commands import issue_key
from assistant.session.models import MAX_TEXT_CHARS
from assistant.storage import KeyRole
from tests.utils.browser import IDLE, NO_TAP_GUARD, Chat, PageEvents, Screenshots, by_testid
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

TAP_GUARD_MS = 800  # web/static/app.js
NAME = "示例服务中心"
PHONE = {"width": 390, "height": 844}
TOUCH_PX = 44
SERIOUS = ("serious", "critical")
LIVE = by_testid("live-question")
WAIT_STEPS = 250  # × 20 ms: how long a held request may take to arrive


def open_chat(page: Page, url: str, path: str = "/") -> Chat:
    page.goto(url + path)
    chat = Chat(page)
    chat.wait_ready()
    return chat


def to_checklist(chat: Chat, first: str = "met", second: str = "met") -> None:
    """The profile through its quick replies, SS-1-01 and SS-1-02: the first checklist."""
    chat.say(NAME)
    chat.pick("type:market")
    chat.pick("skip")
    chat.pick("skip")
    chat.pick("stars:1")
    chat.pick(first)
    chat.pick(second)
    assert chat.live_kind() == "checklist"


def hold(page: Page, pattern: str) -> list[Route]:
    """Requests to ``pattern`` wait until the test lets them go."""
    held: list[Route] = []

    def keep(route: Route) -> None:
        held.append(route)

    page.route(pattern, keep)
    return held


def next_held(page: Page, held: list[Route]) -> Route:
    for _ in range(WAIT_STEPS):
        if held:
            return held.pop()
        page.wait_for_timeout(20)  # lets Playwright deliver the request to the route
    raise AssertionError("the request never came")


def log_position(page: Page) -> dict[str, float]:
    position: dict[str, float] = page.locator(by_testid("chat-log")).evaluate(
        "log => ({top: log.scrollTop, bottom: log.scrollHeight - log.clientHeight})"
    )
    return position


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings; a rule that broke counts as one (axe then
    reports the rule as incomplete, which would hide every violation it had found)."""
    results = Axe().run(page, options={"resultTypes": ["violations", "incomplete"]})
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
    broken = [
        f"{rule['id']} broke: {check['data']}"
        for rule in results.response["incomplete"]
        for node in rule["nodes"]
        for check in node["none"] + node["any"] + node["all"]
        if check["id"] == "error-occurred"
    ]
    return found + broken


# ---------------------------------------------------------------- a quick second tap


@pytest.fixture
def guarded(chromium: Browser, page_events: PageEvents) -> Iterator[Page]:
    """A page with the tap guard on and a clock that the test moves by hand."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    opened = context.new_page()
    opened.on("pageerror", page_events.on_error)
    opened.clock.install()
    yield opened
    context.close()


def test_a_second_tap_right_after_a_new_question_does_nothing(
    guarded: Page, served: Served, page_events: PageEvents
) -> None:
    page = guarded
    chat = open_chat(page, served.url)
    chat.say(NAME)  # Chat waits until the question listens
    before = chat.assistant_count()
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 0.05)  # time moves on command
    chat.by("live-question").locator(by_testid("quick-reply", value="type:market")).click()
    page.wait_for_selector(f"{by_testid('msg-assistant')} >> nth={before}")
    page.wait_for_selector(IDLE, state="attached")
    skip = chat.by("live-question").locator(by_testid("quick-reply", value="skip"))
    users = chat.by("msg-user").count()

    page.clock.run_for(300)
    skip.click()  # the finger's second tap, 0.3 s after the question came

    assert chat.by("msg-user").count() == users
    assert chat.assistant_count() == before + 1
    assert chat.by("live-question").get_attribute("data-armed") == "false"
    page.clock.run_for(1000 - 300)  # 1 s after the question came
    assert chat.by("live-question").get_attribute("data-armed") == "true"
    skip.click()
    page.wait_for_selector(f"{by_testid('msg-assistant')} >> nth={before + 1}")
    assert chat.by("msg-user").count() == users + 1
    assert chat.by("msg-user").last.inner_text().strip().endswith("跳过")
    assert page_events.errors == []


def test_skip_stands_apart_from_the_answers(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    to_checklist(chat)

    skip = page.locator(f"{LIVE} {by_testid('quick-secondary')} .chip-secondary")
    answers = page.locator(f"{LIVE} button:not(.chip-secondary)")
    boxes = [b.bounding_box() for b in answers.all()]
    lowest = max(box["y"] + box["height"] for box in boxes if box)
    skip_box = skip.bounding_box()
    assert skip_box is not None and skip.get_attribute("data-value") == "skip"
    assert skip_box["y"] >= lowest + 12  # a row of its own, below every answer
    look = skip.evaluate(
        "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).textDecorationLine]"
    )
    assert look == ["rgba(0, 0, 0, 0)", "underline"]  # a secondary action, not an answer chip
    screens.element(chat.by("live-question"), "checklist-skip-apart")


# ---------------------------------------------------------------- the message field


def test_the_counter_warns_before_the_limit_and_a_long_paste_is_kept_and_explained(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    field, counter, send = chat.by("chat-input"), chat.by("input-counter"), chat.by("send-button")
    field.fill("满" * 100)
    expect(counter).to_be_hidden()
    near = MAX_TEXT_CHARS - 400
    field.fill("满" * near)
    expect(counter).to_have_text(f"{near:,}/{MAX_TEXT_CHARS:,} · 还可输入 400 个字符")
    expect(send).to_be_enabled()

    pasted = "长" * 20_000
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
    page.evaluate("text => navigator.clipboard.writeText(text)", pasted)
    field.fill("")
    field.press("ControlOrMeta+V")

    assert field.input_value() == pasted  # nothing is cut
    over = len(pasted) - MAX_TEXT_CHARS
    expect(counter).to_contain_text(f"20,000/{MAX_TEXT_CHARS:,} · 超出 {over:,} 个字符")
    expect(counter).to_contain_text("分几次发送")
    expect(counter).to_have_class("counter over")
    expect(send).to_be_disabled()
    assert field.get_attribute("aria-invalid") == "true"
    screens.take(page, "paste-over-the-limit")
    users = chat.by("msg-user").count()
    field.press("Enter")
    assert chat.by("msg-user").count() == users and field.input_value() == pasted

    field.fill("满" * MAX_TEXT_CHARS)
    expect(counter).to_have_text(f"{MAX_TEXT_CHARS:,}/{MAX_TEXT_CHARS:,} · 还可输入 0 个字符")
    expect(send).to_be_enabled()


# ---------------------------------------------------------------- scrolling


def test_new_content_follows_the_reader_and_waits_behind_a_button_when_they_scrolled_up(
    page: Page, served: Served, screens: Screenshots
) -> None:
    page.set_viewport_size({"width": 1100, "height": 560})
    chat = open_chat(page, served.url)
    chat.say(NAME)
    chat.pick("type:market")
    chat.say("企业管理咨询、融资对接")
    assert log_position(page)["bottom"] > 200  # the log scrolls
    new_below = chat.by("new-messages")

    held = hold(page, "**/messages")
    before = chat.assistant_count()
    chat.by("chat-input").fill("300")
    chat.by("chat-input").press("Enter")
    route = next_held(page, held)
    log = chat.by("chat-log").bounding_box()
    assert log is not None
    page.mouse.move(log["x"] + log["width"] / 2, log["y"] + 40)
    page.mouse.wheel(0, -5000)  # the reader goes back up while the reply is made
    for _ in range(WAIT_STEPS):
        if log_position(page)["top"] == 0:
            break
        page.wait_for_timeout(20)
    route.continue_()
    page.unroute("**/messages")
    reply = chat.reply_after(before)

    expect(new_below).to_be_visible()
    expect(new_below).to_have_text("新消息 ↓")
    assert log_position(page)["top"] == 0  # not yanked down
    expect(reply).not_to_be_in_viewport()
    screens.take(page, "new-messages-button")
    new_below.click()
    expect(chat.by("live-question")).to_be_in_viewport()
    expect(new_below).to_be_hidden()

    before = chat.assistant_count()
    chat.by("upload-input").set_input_files(
        {"name": "计划.txt", "mimeType": "text/plain", "buffer": "2026年度工作计划".encode()}
    )
    expect(chat.reply_after(before)).to_be_in_viewport()  # an upload's answer, followed

    page.route(
        "**/messages",
        lambda r: r.fulfill(
            status=503,
            json={"error": {"code": "busy", "message": "服务繁忙，请稍后重试。"}},
        ),
    )
    chat.by("chat-input").fill("满足")
    chat.by("chat-input").press("Enter")
    error = chat.page.locator("[data-testid=msg-system][role=alert]").last
    expect(error).to_contain_text("服务繁忙，请稍后重试。")
    expect(error).to_be_in_viewport()  # an error, followed too


# ---------------------------------------------------------------- reports


def test_a_report_being_made_says_so_until_it_is_there(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    held = hold(page, "**/report?format=docx")
    status, docx = chat.by("report-status"), chat.by("report-docx")
    expect(status).to_be_hidden()

    docx.click()
    route = next_held(page, held)

    expect(status).to_be_visible()
    expect(status).to_have_text("正在生成报告（Word），请稍候…")
    assert status.get_attribute("role") == "status"
    expect(docx).to_be_disabled()
    expect(docx).to_have_attribute("aria-busy", "true")
    expect(chat.by("report-pdf")).to_be_disabled()  # one report at a time
    screens.element(chat.by("side-panel"), "report-generating")
    with page.expect_download() as download:
        route.continue_()
    assert download.value.suggested_filename.endswith(".docx")
    expect(status).to_be_hidden()
    expect(docx).to_be_enabled()
    assert docx.get_attribute("aria-busy") is None


# ---------------------------------------------------------------- a phone


@pytest.fixture
def phone(chromium: Browser, page_events: PageEvents) -> Iterator[Page]:
    context = chromium.new_context(
        locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    context.add_init_script(NO_TAP_GUARD)
    opened = context.new_page()
    opened.on("pageerror", page_events.on_error)
    yield opened
    context.close()


def small_targets(page: Page) -> list[str]:
    """Controls on screen smaller than a finger: ``"<testid or text> 40x34"``."""
    found: list[str] = page.evaluate(
        """min => Array.from(document.querySelectorAll('button, summary, a, label.remember'))
          .filter(n => n.checkVisibility())
          .map(n => [n, n.getBoundingClientRect()])
          .filter(([, r]) => r.width > 0 && r.bottom > 0)
          .filter(([, r]) => r.width < min - 0.5 || r.height < min - 0.5)
          .map(([n, r]) => `${n.dataset.testid || n.textContent.trim()} ${r.width}x${r.height}`)""",
        TOUCH_PX,
    )
    return found


def test_on_a_phone_the_field_does_not_zoom_and_every_target_takes_a_finger(
    phone: Page, served: Served, screens: Screenshots, page_events: PageEvents
) -> None:
    chat = open_chat(phone, served.url)
    to_checklist(chat)
    field = chat.by("chat-input")
    assert field.evaluate("f => getComputedStyle(f).fontSize") == "16px"
    assert small_targets(phone) == []
    toggle = chat.by("panel-toggle")
    assert toggle.get_attribute("aria-label") == "查看进度与星级"
    assert toggle.get_attribute("title") == "查看进度与星级"
    expect(toggle.locator(".label")).to_have_text("进度")
    expect(toggle.locator(".label")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screens.take(phone, "phone-checklist")

    toggle.click()
    expect(chat.by("side-panel")).to_be_visible()
    assert small_targets(phone) == []
    screens.take(phone, "phone-panel")
    assert page_events.errors == []


# ---------------------------------------------------------------- accessibility


def test_axe_finds_nothing_serious_on_the_chat_page_in_chinese_and_english(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    to_checklist(chat, first="partly_met", second="not_met")  # status tags in the panel
    rows = chat.by("live-question").locator(by_testid("checklist-row"))
    for n, status in enumerate(("largely_met", "partly_met", "not_applicable")):
        rows.nth(n).locator(by_testid("checklist-status", status=status)).click()
    expect(chat.by("blockers-panel").locator(".status-pill").first).to_be_visible()

    assert serious_violations(page) == []
    screens.take(page, "axe-zh")

    before = chat.assistant_count()
    chat.by("lang-switch").click()
    chat.reply_after(before)
    assert page.locator("html").get_attribute("lang") == "en"
    assert serious_violations(page) == []
    screens.take(page, "axe-en")


def test_axe_finds_nothing_serious_in_the_embedded_chat(page: Page, served: Served) -> None:
    key, _ = issue_key(served.live.store, KeyRole.SITE, label="示例网站", origins=(served.url,))
    chat = open_chat(page, served.url, f"/embed?site_key={key}")
    chat.say(NAME)
    assert chat.live_kind() == "profile"

    assert serious_violations(page) == []
