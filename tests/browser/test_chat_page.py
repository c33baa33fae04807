"""The chat page in Chromium: a whole one-star self-assessment, the language switch, and a
question about the standard answered with citations from the real index."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from assistant.retrieval.index import RetrievalIndex
from tests.utils.browser import Chat, PageEvents, Screenshots, by_testid
from tests.utils.live_server import Served, build_app, live_settings, serve_app

pytestmark = pytest.mark.browser

INJECTION = "<img src=x onerror=alert(1)>"
PLAN_FILE = "年度工作计划.txt"
PLAN_TEXT = (
    "2026年度工作计划\n编制日期：2026年1月15日\n经机构负责人签字通过。\n"
    "一、服务方向：为中小企业提供管理咨询和融资对接服务。\n"
)
HALF_TYPED = "我们的交接单还在整理"
MET = "met"


def open_chat(page: Page, url: str) -> Chat:
    page.goto(url + "/")
    chat = Chat(page)
    chat.wait_ready()
    return chat


def progress_value(chat: Chat, name: str = "progress-overall", **attrs: str) -> tuple[int, int]:
    bar = chat.by(name, **attrs)
    return int(bar.get_attribute("value") or -1), int(bar.get_attribute("max") or -1)


# ---------------------------------------------------------------- the full flow, in steps


def answer_profile(chat: Chat, screens: Screenshots) -> None:
    assert chat.live_kind() == "profile"
    chat.say(INJECTION)
    assert chat.by("msg-user").last.inner_text().strip().endswith(INJECTION)
    assert chat.by("chat-log").locator("img").count() == 0
    type_buttons = chat.by("live-question").locator(by_testid("quick-reply"))
    assert type_buttons.all_inner_texts() == ["公共服务机构", "市场化服务机构", "社会公益组织"]
    chat.pick("type:market")
    chat.say("企业管理咨询、融资对接")
    chat.say("300")
    screens.take(chat.page_of(), "profile-target-stars")
    reply = chat.pick("stars:1")
    assert "SS-1-01" in reply.inner_text()
    assert progress_value(chat) == (0, 26)


def upload_plan(chat: Chat, screens: Screenshots) -> None:
    before = chat.assistant_count()
    chat.by("upload-input").set_input_files(
        {"name": PLAN_FILE, "mimeType": "text/plain", "buffer": PLAN_TEXT.encode()}
    )
    reply = chat.reply_after(before)
    text = reply.inner_text()
    assert PLAN_FILE in text and "2026-01-15" in text
    assert chat.live_kind() == "evidence"
    assert chat.by("msg-user").last.inner_text().strip().endswith(PLAN_FILE)
    expect(chat.by("evidence-item")).to_have_count(1)  # the panel refreshes after the reply
    assert PLAN_FILE in chat.by("evidence-item").inner_text()
    screens.take(chat.page_of(), "evidence-uploaded")
    linked = chat.link(["SS-1-01"])
    assert "SS-1-01" in linked.inner_text()
    assert chat.live_kind() == "indicator"


def answer_core_by_text(chat: Chat) -> None:
    reply = chat.say("有的，我们每年都制定书面计划，负责人签字。")
    if chat.live_kind() == "confirm":
        reply = chat.pick("confirm")
    assert "满足" in reply.inner_text()
    assert progress_value(chat) == (1, 26)
    assert progress_value(chat, "progress-area", area="SS") == (1, 5)


def half_answer_and_reload(chat: Chat, screens: Screenshots) -> list[str]:
    """Choose two rows and type half an answer, reload: everything is still there."""
    ids = chat.checklist_ids()
    assert ids == ["SS-1-03", "SS-1-04", "SS-1-05"]
    rows = chat.by("live-question").locator(by_testid("checklist-row"))
    rows.nth(0).locator(by_testid("checklist-status", status="met")).click()
    rows.nth(1).locator(by_testid("checklist-status", status="partly_met")).click()
    chat.by("chat-input").fill(HALF_TYPED)
    chat.page_of().reload()
    chat.wait_ready()
    assert chat.by("chat-input").input_value() == HALF_TYPED
    assert chat.live_kind() == "checklist" and chat.checklist_ids() == ids
    assert "SS-1-03" in chat.by("msg-assistant").last.inner_text()
    pressed = chat.by("live-question").locator(
        f"{by_testid('checklist-status')}[aria-pressed=true]"
    )
    assert [p.get_attribute("data-status") for p in pressed.all()] == ["met", "partly_met"]
    assert INJECTION in chat.by("msg-user").first.inner_text()  # the history came back too
    links = chat.by("evidence-item").locator(".evidence-links code")
    assert links.all_inner_texts() == ["SS-1-01"]  # read back from the server
    screens.take(chat.page_of(), "reloaded-checklist")
    screens.element(chat.by("evidence-panel"), "reloaded-evidence-panel")
    return ids


def answer_rest(chat: Chat) -> None:
    """Everything met: quick replies for single indicators, the all-met button for groups."""
    for _ in range(40):
        kind = chat.live_kind()
        if kind == "done":
            return
        if kind == "indicator":
            chat.pick(MET)
        elif kind == "checklist":
            chat.pick("all:met")
        elif kind == "confirm":
            chat.pick("confirm")
        else:
            raise AssertionError(f"unexpected question kind {kind!r}")
    raise AssertionError("the one-star scope did not finish")


def check_panel_after_done(chat: Chat) -> None:
    assert progress_value(chat) == (26, 26)
    chat.by("stars-declared").and_(chat.page_of().locator('[data-stars="1"]')).wait_for()
    assert chat.by("stars-evidenced").get_attribute("data-stars") == "0"
    # counted as the progress bars count: the indicators in scope for this interview
    assert "已评估 26/26" in chat.by("completeness").inner_text()
    assert chat.by("blockers-list").get_attribute("data-next-star") == "2"


def download_pdf(chat: Chat, tmp_path: Path) -> Path:
    page = chat.page_of()
    with page.expect_download() as info:
        chat.by("report-pdf").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_one_star_self_assessment_from_greeting_to_pdf(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents, tmp_path: Path
) -> None:
    chat = open_chat(page, served.url)
    assert "自评助手" in chat.by("msg-assistant").first.inner_text()
    screens.take(page, "greeting")
    answer_profile(chat, screens)
    screens.take(page, "first-indicator")
    upload_plan(chat, screens)
    answer_core_by_text(chat)
    chat.pick(MET)  # SS-1-02
    ids = half_answer_and_reload(chat, screens)
    summary = chat.submit_checklist(dict.fromkeys(ids, "met"))
    assert f"已记录 {len(ids)} 项" in summary.inner_text()
    assert "SS-1-04 满足" in chat.by("msg-user").last.inner_text()
    assert progress_value(chat, "progress-area", area="SS") == (5, 5)
    answer_rest(chat)
    check_panel_after_done(chat)
    screens.take(page, "done-one-star")
    screens.element(chat.by("stars-panel"), "done-stars-panel")
    pdf = download_pdf(chat, tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10 * 1024
    assert pdf.suffix == ".pdf"
    assert chat.by("chat-log").locator("img").count() == 0
    assert page_events.dialogs == [] and page_events.errors == []
    assert page_events.csp_violations() == []  # the page's CSP lets its own code run


# ---------------------------------------------------------------- language


def test_language_switch_turns_the_page_and_the_next_question_english(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents
) -> None:
    chat = open_chat(page, served.url)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert chat.by("send-button").inner_text().strip() == "发送"
    before = chat.assistant_count()
    chat.by("lang-switch").click()
    reply = chat.reply_after(before)
    assert page.locator("html").get_attribute("lang") == "en"
    assert chat.by("lang-switch").inner_text().strip() == "中文"
    assert chat.by("send-button").inner_text().strip() == "Send"
    assert chat.by("progress-panel").locator("h2").inner_text() == "Progress"
    assert "full name" in reply.inner_text()
    nxt = chat.say("Example Service Centre")
    assert "kind of institution" in nxt.inner_text()
    assert nxt.inner_text().isascii(), nxt.inner_text()  # buttons and text, all English
    assert chat.by("live-question").locator(by_testid("quick-reply")).count() == 3
    screens.take(page, "english")
    page.reload()
    chat.wait_ready()
    assert chat.by("send-button").inner_text().strip() == "Send"  # the choice is kept
    assert page_events.errors == []


# ---------------------------------------------------------------- citations


@pytest.fixture
def served_with_index(tmp_path: Path, real_index: RetrievalIndex) -> Iterator[Served]:
    """The app with the real retrieval index (built once per test session)."""
    live = build_app(live_settings(tmp_path / "data"), real_index)
    with serve_app(live.app) as server:
        yield Served(live, server)
    live.close()


def test_a_question_about_the_standard_shows_citations_that_expand(
    page: Page, served_with_index: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served_with_index.url)
    chat.say("示例服务中心")
    reply = chat.say("四星对数据有什么要求？")
    assert "参考文本" in reply.inner_text()  # the rendition is labelled as such
    chips = reply.locator(by_testid("citation-chip"))
    clauses = [chips.nth(i).get_attribute("data-clause") or "" for i in range(chips.count())]
    assert clauses and all(re.fullmatch(r"\d+(\.\d+)+", c) for c in clauses), clauses
    assert any(c.startswith("9.4") for c in clauses), clauses  # 服务运营 · 四星 (data)
    # each chip is "[n] document and clause", the answer's marker [n]; never a file name
    labels = [chips.nth(i).locator("summary").inner_text() for i in range(chips.count())]
    assert all(re.match(rf"\[{n}\] \S", label) for n, label in enumerate(labels, 1)), labels
    assert not any(".md" in label for label in labels), labels
    assert any("参考文本" in label or "指标目录" in label for label in labels), labels
    # the chips sit under the answer, before the rule and the interview question asked again
    body = reply.locator(".msg-body")
    assert body.locator(f"{by_testid('citations')} + hr").count() == 1
    assert "[1]" in body.locator("p").first.inner_text()  # the answer comes first, cited
    assert reply.locator(".msg-body > blockquote").count() == 0  # the quotes are in the chips
    screens.element(reply.locator(by_testid("citations")), "citations-closed")
    first = chips.first
    quote = first.locator("blockquote")
    assert first.get_attribute("open") is None and not quote.is_visible()
    first.locator("summary").click()
    assert first.get_attribute("open") is not None
    assert quote.is_visible() and "数据" in quote.inner_text()
    screens.element(reply.locator(by_testid("citations")), "citations-expanded")
    assert chat.live_kind() == "profile"  # the interview resumes where it was
    assert chat.by("live-question").locator(by_testid("quick-reply")).count() == 3
    screens.take(page, "citations")


# ---------------------------------------------------------------- evidence panel (bugs)


def start_one_star(chat: Chat) -> None:
    chat.say("示例服务中心")
    chat.pick("type:market")
    chat.pick("skip")
    chat.pick("skip")
    chat.pick("stars:1")


def test_linking_an_upload_shows_the_indicator_in_the_evidence_panel(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    upload_plan(chat, screens)
    screens.element(chat.by("evidence-panel"), "evidence-panel-after-link")
    links = chat.by("evidence-item").locator(".evidence-links code")
    expect(links).to_have_text(["SS-1-01"], timeout=3000)


def test_the_evidence_panel_names_the_kind_in_the_page_language(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    upload_plan(chat, screens)
    details = chat.by("evidence-item").locator(".muted")
    expect(details).to_contain_text("2026-01-15")
    expect(chat.by("evidence-item").locator(".evidence-links")).to_contain_text("SS-1-01")
    screens.element(chat.by("evidence-panel"), "evidence-kind")
    assert "plan" not in details.inner_text()
    assert "规划" in details.inner_text()


def test_after_a_reload_the_restored_question_is_scrolled_into_view(
    page: Page, served: Served, screens: Screenshots
) -> None:
    chat = open_chat(page, served.url)
    start_one_star(chat)
    chat.pick(MET)
    chat.pick(MET)
    submit = chat.by("live-question").locator(by_testid("checklist-submit"))
    expect(submit).to_be_in_viewport()  # during the interview the log follows the question
    page.reload()
    chat.wait_ready()
    screens.take(page, "reloaded")
    expect(submit).to_be_in_viewport(timeout=3000)
