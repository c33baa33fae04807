"""The assessor console in Chromium: an applicant starts on the chat page and (scripted)
finishes; the assessor signs in, finds the session, previews its PDF, overrides a finding,
verifies the file, signs off and downloads the assessor's report; the applicant's page then
refuses a change; a re-assessment started from the console asks fewer questions and its
comparison shows the override — with axe-core's check and a phone-width look."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from assistant.interview.service import InterviewService
from assistant.knowledge.schema import FindingStatus, InstitutionType
from assistant.session.models import Profile, UserTurn
from tests.utils.api import add_keys
from tests.utils.browser import NO_TAP_GUARD, Chat, PageEvents, Screenshots, by_testid
from tests.utils.evidence_files import pdf_bytes
from tests.utils.interview_script import Applicant
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

INSTITUTION = "示例市中小企业服务中心"
SERIOUS = ("serious", "critical")
OVERRIDDEN = "SO-1-02"
WAIT_MS = 15_000


PROFILE = {
    "name": INSTITUTION,
    "institution_type": "市场化服务机构",
    "service_fields": "政策咨询、融资对接",
    "smes_served_per_year": "300",
    "target_stars": "2",
}
SAVED_SESSION = """() => {
  for (const store of [sessionStorage, localStorage]) {
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key.endsWith(":session")) return JSON.parse(store.getItem(key));
    }
  }
  return null;
}"""


def applicant_on_the_chat_page(chromium: Browser, url: str) -> tuple[Page, str]:
    """An applicant opens the chat page: the page starts its session."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 800})
    context.add_init_script(NO_TAP_GUARD)
    page = context.new_page()
    page.goto(url + "/")
    Chat(page).wait_ready()
    saved = page.evaluate(SAVED_SESSION)
    assert saved is not None and saved["id"]
    return page, str(saved["id"])


def answer_everything(service: InterviewService, session_id: str) -> int:
    """The applicant answers every question (all met); returns how many were asked."""
    applicant = Applicant(
        service,
        session_id,
        "zh",
        lambda _: FindingStatus.MET,
        reply=service.view(session_id).reply,
    )
    applicant.answer_profile(PROFILE)
    applicant.finish()
    return applicant.turns


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_an_assessor_reviews_signs_off_and_downloads_the_report(
    chromium: Browser,
    page: Page,
    served: Served,
    screens: Screenshots,
    page_events: PageEvents,
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    page.set_default_timeout(WAIT_MS)
    keys = add_keys(served.live.store)
    service = served.live.app.state.runtime.current.service
    applicant_page, session_id = applicant_on_the_chat_page(chromium, served.url)
    fresh_questions = answer_everything(service, session_id)
    ledger = pdf_bytes([["服务台账 2025 年 第一页"], ["服务台账 第二页"]], title="服务台账")
    service.upload(session_id, "服务台账.pdf", ledger)
    service.send(session_id, UserTurn(text="link:SO-1-01"))
    evidence_id = service.store.evidence(session_id)[-1].id

    # sign in
    page.goto(served.url + "/assessor")
    expect(page.locator("#console[data-ready=true]")).to_be_attached()
    expect(page.locator(by_testid("status"))).to_have_text("")  # a first visit: no "expired"
    page.fill(by_testid("console-key"), keys.assessor)
    page.click(by_testid("sign-in"))
    expect(page.locator(by_testid("signed-in-as"))).to_contain_text("评估员张三")

    # the queue shows the finished session
    row = page.locator(by_testid("queue-row")).filter(has_text=INSTITUTION)
    expect(row).to_be_visible()
    expect(page.locator(by_testid("queue-total"))).to_contain_text("共 1 份")
    screens.take(page, "queue")
    row.locator(by_testid("queue-open")).click()
    expect(page.locator(by_testid("application-name"))).to_have_text(INSTITUTION)

    # preview the PDF, both pages
    file = page.locator(by_testid(f"file-{evidence_id}"))
    file.locator(by_testid("preview-open")).click()
    expect(file.locator(by_testid("preview-image"))).to_be_visible()
    expect(file.locator(by_testid("preview-page"))).to_have_text("第 1/2 页")
    file.locator(by_testid("preview-next")).click()
    expect(file.locator(by_testid("preview-page"))).to_have_text("第 2/2 页")
    width = file.locator(by_testid("preview-image")).evaluate("img => img.naturalWidth")
    assert 900 < width <= 1400
    screens.element(file, "pdf-preview")

    # override one finding with a reason
    finding = page.locator(by_testid(f"finding-{OVERRIDDEN}"))
    finding.locator("summary").click()
    finding.locator(by_testid("finding-status")).select_option("partly_met")
    finding.locator(by_testid("finding-reason")).fill("现场抽查：制度仅覆盖一个部门")
    finding.locator(by_testid("finding-save")).click()
    expect(page.locator(by_testid("status"))).to_have_text("已保存。")
    expect(page.locator(by_testid(f"finding-{OVERRIDDEN}")).locator(".c-status")).to_have_text(
        "部分满足"
    )

    # mark the file verified
    file = page.locator(by_testid(f"file-{evidence_id}"))
    file.locator(by_testid("check-verdict")).select_option("verified")
    file.locator(by_testid("check-note")).fill("与原件核对一致")
    file.locator(by_testid("check-save")).click()
    expect(
        page.locator(by_testid(f"file-{evidence_id}")).locator(by_testid("check-state"))
    ).to_have_text("核验属实")
    checks = service.store.evidence_checks(session_id)
    assert [(c.evidence_id, c.sampled, c.verified) for c in checks] == [(evidence_id, True, True)]

    assert serious_violations(page) == []
    screens.take(page, "application")

    # sign off through the page's own dialog
    page.click(by_testid("signoff-open"))
    dialog = page.locator(by_testid("signoff-dialog"))
    expect(dialog).to_be_visible()
    screens.take(page, "signoff-dialog")
    dialog.locator(by_testid("dialog-confirm")).click()
    expect(page.locator(by_testid("lock-note"))).to_be_visible()
    expect(page.locator(by_testid("signoff-1"))).to_be_visible()
    assert service.store.live_signoff(session_id) is not None
    assert page_events.dialogs == []  # never window.confirm

    # the assessor's report, as a PDF
    with page.expect_download() as download_info:
        page.locator(by_testid("signoff-1")).locator(by_testid("report-pdf")).click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".pdf" and saved.read_bytes().startswith(b"%PDF")
    screens.take(page, "signed")

    # the applicant's page: reading goes on, a change is refused in plain words
    applicant_page.reload()
    chat = Chat(applicant_page)
    chat.wait_ready()
    turns_before = len(service.store.turns(session_id))
    chat.by("chat-input").fill("SO-1-02 其实是满足的")
    chat.by("chat-input").press("Enter")
    refusal = chat.by("msg-system").last
    expect(refusal).to_contain_text("已由评估人员签署并锁定", timeout=WAIT_MS)
    assert refusal.get_attribute("data-error-code") == "session_locked"
    assert len(service.store.turns(session_id)) == turns_before  # nothing written
    screens.take(applicant_page, "applicant-locked")

    # next year's assessment from the signed one, and what changed
    page.click(by_testid("reassess"))
    expect(page.locator(by_testid("reassess-token"))).not_to_be_empty()
    page.click(by_testid("open-new"))
    expect(page.locator(by_testid("lock-note"))).to_have_count(0)
    page.click(by_testid("compare"))
    changed = page.locator(by_testid("comparison-findings")).locator(
        f"[data-indicator={OVERRIDDEN}]"
    )
    expect(changed).to_contain_text("部分满足 →")
    # what the applicant has not answered again yet is counted, not listed as a change
    expect(page.locator(by_testid("comparison-awaiting"))).to_contain_text("尚待重新回答")
    listed = page.locator(by_testid("comparison-findings")).locator("li")
    expect(listed).to_have_count(1)
    screens.element(page.locator(by_testid("comparison")), "comparison")

    # the re-assessment asks fewer questions than the fresh assessment did
    follow_up = next(s.id for s in service.store.list_sessions() if s.id != session_id)
    assert service.store.get(follow_up).previous_session_id == session_id
    assert answer_everything(service, follow_up) < fresh_questions

    # sign out: the cookie no longer opens the API
    page.click(by_testid("sign-out"))
    expect(page.locator(by_testid("sign-in-form"))).to_be_visible()
    status = page.evaluate("fetch('/api/v1/sessions').then((r) => r.status)")
    assert status == 401

    assert page_events.errors == []
    assert page_events.csp_violations() == []
    assert time.monotonic() - started < 90


def test_the_console_fits_a_phone_and_speaks_english(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents
) -> None:
    page.set_default_timeout(WAIT_MS)
    keys = add_keys(served.live.store)
    service = served.live.app.state.runtime.current.service
    started = service.start(
        profile=Profile(name=INSTITUTION, institution_type=InstitutionType.MARKET)
    )
    answer_everything(service, started.session_id)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(served.url + "/assessor")
    expect(page.locator("#console[data-ready=true]")).to_be_attached()
    page.click(by_testid("lang-switch"))
    expect(page.locator("h1")).to_have_text("Assessor console")
    page.fill(by_testid("console-key"), keys.admin)
    page.keyboard.press("Enter")
    expect(page.locator(by_testid("queue-row"))).to_have_count(1)
    page.locator(by_testid("queue-open")).click()
    expect(page.locator(by_testid("application-name"))).to_have_text(INSTITUTION)

    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360
    assert page.locator("html").get_attribute("lang") == "en"
    assert serious_violations(page) == []
    screens.take(page, "phone-en")
    assert page_events.errors == []
