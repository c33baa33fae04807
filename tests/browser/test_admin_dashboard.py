"""The association's dashboard in Chromium: an admin signs in, sees the counts with a scripted
applicant's session among them, the three charts (with text alternatives), switches the
blockers' level, filters, downloads the Excel export (read back with openpyxl), switches to
English, and on a phone; axe-core finds nothing serious. An assessor's key is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from openpyxl import load_workbook  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from assistant.interview.service import InterviewService
from assistant.knowledge.schema import FindingStatus, InstitutionType
from assistant.session.models import Profile, UserTurn
from tests.unit.dashboard.builders import add_session, sign
from tests.utils.api import add_keys
from tests.utils.browser import PageEvents, Screenshots, by_testid
from tests.utils.interview_script import Applicant
from tests.utils.live_server import Served

pytestmark = pytest.mark.browser

APPLICANT = "示例市中小企业服务中心"
SERIOUS = ("serious", "critical")
WAIT_MS = 15_000
TURNS = 12  # a few answers, then 报告 (the report): a kept rating


def scripted_applicant(service: InterviewService) -> str:
    profile = Profile(
        name=APPLICANT,
        institution_type=InstitutionType.MARKET,
        service_fields="政策咨询、融资对接",
        smes_served_per_year=300,
        target_stars=2,
    )
    started = service.start(profile=profile)
    applicant = Applicant(
        service, started.session_id, "zh", lambda _: FindingStatus.MET, reply=started.reply
    )
    applicant.until(lambda reply: applicant.turns >= TURNS or reply.question is None)
    applicant.send(UserTurn(text="报告"))  # the rating is kept when the applicant is shown it
    assert service.store.latest_rating(started.session_id) is not None
    return started.session_id


def signed_elsewhere(service: InterviewService) -> None:
    """Another institution, rated and signed off (so the signed reading counts one)."""
    catalog, rules = service.catalog, service.rules
    statuses = {i.id: FindingStatus.MET for i in catalog.indicators[:8]}
    rating = add_session(
        service.store,
        catalog,
        rules,
        "s-signed",
        name="某县中小企业服务中心",
        kind=InstitutionType.PUBLIC_SERVICE,
        statuses=statuses,
    )
    assert rating is not None
    sign(service.store, "s-signed", rating, by="评估员张三")


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:4]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def loaded(page: Page, times: int) -> None:
    expect(page.locator(f"#main[data-loaded='{times}']")).to_be_attached()


def charts_drawn(page: Page) -> None:
    for name in ("stars", "months", "blockers"):
        image = page.locator(by_testid(f"chart-{name}"))
        expect(image).to_have_attribute("src", re.compile(rf"/charts/{name}\.svg"))
        alt = image.get_attribute("alt") or ""
        assert len(alt) > 20, (name, alt)
        expect(image).to_have_js_property("complete", True)
        # drawn: the SVG came back (the cookie opened it) and was an image
        assert image.evaluate("img => img.naturalWidth") > 100, name


def test_an_admin_sees_the_counts_the_charts_and_exports(
    page: Page, served: Served, screens: Screenshots, page_events: PageEvents, tmp_path: Path
) -> None:
    page.set_default_timeout(WAIT_MS)
    keys = add_keys(served.live.store)
    service = served.live.app.state.runtime.current.service
    session_id = scripted_applicant(service)
    signed_elsewhere(service)

    # an assessor's key is refused with a clear message
    page.goto(served.url + "/admin")
    expect(page.locator("#main[data-ready=true]")).to_be_attached()
    expect(page.locator(by_testid("sign-in-form"))).to_be_visible()
    expect(page.locator(by_testid("sign-out"))).to_be_hidden()  # nobody to sign out yet
    page.fill(by_testid("key-input"), keys.assessor)
    page.click(by_testid("sign-in"))
    expect(page.locator(by_testid("sign-in-error"))).to_have_text(
        "这是评估人员密钥：统计看板只对管理员开放。"
    )

    # the admin signs in and sees both sessions counted
    page.fill(by_testid("key-input"), keys.admin)
    page.click(by_testid("sign-in"))
    loaded(page, 1)
    expect(page.locator(by_testid("total-sessions"))).to_contain_text("2")
    expect(page.locator(by_testid("total-signed"))).to_contain_text("1")
    market = page.locator(by_testid("type-row")).filter(has_text="市场化服务机构")
    expect(market.locator("td").first).to_have_text("1")
    stars = page.locator(by_testid("stars-row"))
    expect(stars).to_have_count(8)  # 0..5 stars, not rated, not signed
    declared = [int(n) for n in stars.locator("td:nth-child(2)").all_inner_texts()[:6]]
    assert sum(declared) == 2
    charts_drawn(page)
    screens.take(page, "admin-dashboard")

    # the commonest blockers: of one star here, then of another level
    expect(page.locator(by_testid("blocker-row")).first.locator("td").nth(1)).not_to_have_text("")
    page.locator(by_testid("levels")).scroll_into_view_if_needed()
    screens.take(page, "admin-blockers")
    page.locator(by_testid("level")).nth(1).click()
    expect(page.locator(by_testid("level")).nth(1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#blockers-table caption")).to_contain_text("二星")
    expect(page.locator(by_testid("chart-blockers"))).to_have_attribute(
        "src", re.compile(r"level=2")
    )

    # filter to the applicant's type, then export
    page.select_option(by_testid("filter-type"), "market")
    page.click(by_testid("apply-filters"))
    loaded(page, 2)
    expect(page.locator(by_testid("total-sessions"))).to_contain_text("1")
    with page.expect_download() as info:
        page.click(by_testid("export"))
    target = tmp_path / "export.xlsx"
    info.value.save_as(target)
    assert info.value.suggested_filename.startswith("smecmm-dashboard-")
    book = load_workbook(target)
    assert book.sheetnames == ["申请 Applications", "指标认定 Findings", "阻碍项 Blockers"]
    apps = list(book["申请 Applications"].iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[2]) for r in apps] == [(session_id, APPLICANT, "market")]
    findings = list(book["指标认定 Findings"].iter_rows(min_row=3, values_only=True))
    assert findings and {r[0] for r in findings} == {session_id}

    assert serious_violations(page) == []

    # English, and a phone
    page.click(by_testid("lang-switch"))
    expect(page.locator("#page-title")).to_have_text("Association dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(by_testid("chart-stars"))).to_have_attribute("src", re.compile(r"lang=en"))
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, wide  # the tables scroll inside their cards, not the page
    screens.take(page, "admin-dashboard-phone-en")
    assert serious_violations(page) == []

    page.click(by_testid("sign-out"))
    expect(page.locator(by_testid("sign-in-form"))).to_be_visible()
    assert page_events.errors == []
    assert page_events.csp_violations() == []
