"""The issue's scenario in Chromium, on a desktop and on a 390 px phone: a county centre marks
a core indicator 部分满足 and another 不满足, types 报告 — the first blocker shown is a failing
core indicator under its area's score and pass mark, the same in the panel, the chat and the
PDF, and the unanswered items are counted rather than listed."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.utils.browser import NO_TAP_GUARD, Chat, PageEvents, Screenshots, by_testid
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 860}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
CHAT_BLOCKER = re.compile(r"^\s*((?:SS|SD|ST|SO|CSI)-\d-\d{2}) ", re.MULTILINE)
INDICATOR = re.compile(r"\b(?:SS|SD|ST|SO|CSI)-\d-\d{2}\b")


@pytest.fixture(params=sorted(VIEWPORTS))
def device(
    request: pytest.FixtureRequest, chromium: Browser, page_events: PageEvents
) -> Iterator[tuple[str, Page]]:
    context = chromium.new_context(
        accept_downloads=True, locale="zh-CN", **VIEWPORTS[request.param]
    )
    context.add_init_script(NO_TAP_GUARD)
    opened = context.new_page()
    opened.on("pageerror", page_events.on_error)
    yield request.param, opened
    context.close()


def asked(chat: Chat) -> str:
    """The indicator the last question asks ("**服务战略 · 一星 · SS-1-01 …**")."""
    found = re.findall(
        r"· ((?:SS|SD|ST|SO|CSI)-\d-\d{2}) ", chat.by("msg-assistant").last.inner_text()
    )
    assert found, chat.by("msg-assistant").last.inner_text()
    return str(found[-1])


def play_scenario(chat: Chat) -> tuple[str, str]:
    """Profile, the first core 部分满足, the next indicator 不满足; the two ids."""
    chat.say("某县中小企业服务中心")
    chat.pick("type:public_service")
    chat.pick("skip")
    chat.pick("skip")
    chat.pick("stars:1")
    core = asked(chat)
    chat.pick("partly_met")
    if chat.live_kind() == "checklist":
        other = chat.checklist_ids()[0]
        chat.submit_checklist({other: "not_met"})
    else:
        other = asked(chat)
        chat.pick("not_met")
    return core, other


def pdf_text(page: Page, chat: Chat, tmp_path: Path) -> str:
    with page.expect_download() as info:
        chat.by("report-pdf").click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    done = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def keep(page: Page, screens: Screenshots, name: str) -> None:
    screens.take(page, name)


def test_the_failing_core_comes_first_in_the_panel_the_chat_and_the_pdf(
    device: tuple[str, Page],
    served: Served,
    screens: Screenshots,
    page_events: PageEvents,
    tmp_path: Path,
) -> None:
    name, page = device
    page.goto(served.url + "/")
    chat = Chat(page)
    chat.wait_ready()
    core, other = play_scenario(chat)
    reply = chat.say("报告")
    said = reply.inner_text()
    keep(page, screens, f"verdict-chat-{name}")

    if name == "phone":
        chat.by("panel-toggle").click()
        expect(chat.by("side-panel")).to_be_visible()
    area = chat.by("blocker-area").first
    expect(area).to_be_visible()
    headline = area.locator(by_testid("blocker-headline")).inner_text().strip()
    first = area.locator(by_testid("blocker")).first
    first_id = first.get_attribute("data-indicator")
    assert first.get_attribute("data-group") == "core"
    assert first_id in (core, other)
    assert re.fullmatch(r"服务战略 一星：得分 \d\.\d\d，需达到 \d\.\d\d", headline), headline
    text = first.locator(by_testid("blocker-text")).inner_text().strip()
    assert "核心指标" in text
    notes = chat.by("blocker-note").all_inner_texts()
    assert notes and all(re.fullmatch(r"还有 \d+ 项未回答", n) for n in notes), notes
    assert chat.by("blocker").count() == 2  # the two answers; nothing unanswered is listed
    first.scroll_into_view_if_needed()
    keep(page, screens, f"verdict-panel-{name}")

    # the chat: the same headline, the same first blocker, the same words
    assert headline in said
    listed = CHAT_BLOCKER.findall(said.split(headline, 1)[1])
    assert listed[0] == first_id and text in said

    # the PDF: the declared plan says the same
    pdf = pdf_text(page, chat, tmp_path)
    plan = pdf.split("申报口径：迈向一星", 1)[1].split("四、逐项发现与证据", 1)[0]
    assert headline in plan
    assert INDICATOR.findall(plan.split(headline, 1)[1])[0] == first_id
    assert page_events.errors == []


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


TITLE = "中小企业服务 服务机构 通用能力成熟度模型"
MAX_STEPS = 80  # a one-star interview asks 26 indicators, some of them in checklists


def answer_everything(chat: Chat) -> list[str]:
    """Answer every live question until the interview asks nothing more; the replies' texts."""
    replies: list[str] = []
    for _ in range(MAX_STEPS):
        kind = chat.live_kind()
        live = chat.by("live-question")
        if kind is None:
            return replies
        if kind == "checklist":
            rows = chat.checklist_ids()
            reply = chat.submit_checklist(dict.fromkeys(rows, "largely_met"))
        elif live.locator(by_testid("quick-reply", value="met")).count():
            reply = chat.pick("met")
        elif live.locator(by_testid("quick-reply", value="skip")).count():
            reply = chat.pick("skip")
        else:
            return replies
        replies.append(reply.inner_text())
    raise AssertionError(f"the interview still asked after {MAX_STEPS} answers")


def test_a_whole_english_interview_shows_no_chinese(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents
) -> None:
    page.goto(served.url + "/?lang=en")
    chat = Chat(page)
    chat.wait_ready()
    opening = chat.by("msg-assistant").first.inner_text()
    chat.say("Example County SME Service Centre")
    chat.pick("type:public_service")
    chat.pick("skip")
    chat.pick("skip")
    chat.pick("stars:1")
    chat.pick("partly_met")
    replies = [opening, *answer_everything(chat)]
    replies.append(chat.say("report").inner_text())
    expect(chat.by("blocker").first).to_be_visible()
    for text in replies:  # the standard's own title may stand in Chinese
        assert CJK.findall(text.replace(TITLE, "")) == [], text
    panel = chat.by("side-panel").inner_text()
    assert CJK.findall(panel) == [], panel
    headline = chat.by("blocker-headline").first.inner_text().strip()
    assert re.fullmatch(r"Service strategy one star: score \d\.\d\d, needs \d\.\d\d", headline)
    assert headline in replies[-1]
    keep(page, screens, "verdict-english")
    assert page_events.errors == []
