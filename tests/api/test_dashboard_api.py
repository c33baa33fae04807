"""The dashboard's endpoints over a real SQLite store: JSON counts with filters, the SVG
charts, the Excel export and the /admin page; admin only (key or admin console cookie)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from assistant.dashboard.excel import XLSX_MEDIA_TYPE
from assistant.knowledge.schema import Catalog, FindingStatus, InstitutionType, RuleSet
from assistant.storage.sql import SqlSessionStore
from tests.api.conftest import make_settings
from tests.unit.dashboard.builders import _START, add_session, sign
from tests.utils.api import Keys

DASHBOARD = "/api/v1/admin/dashboard"
EXPORT = "/api/v1/admin/export.xlsx"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def filled(store: SqlSessionStore, real_catalog: Catalog, real_rules: RuleSet) -> None:
    ids = [i.id for i in real_catalog.indicators]
    rating = add_session(
        store,
        real_catalog,
        real_rules,
        "s-market",
        name="=市场化机构",
        kind=InstitutionType.MARKET,
        statuses=dict.fromkeys(ids[:10], FindingStatus.MET),
    )
    assert rating is not None
    sign(store, "s-market", rating, by="评估员张三")
    add_session(
        store,
        real_catalog,
        real_rules,
        "s-public",
        name="某县中小企业服务中心",
        kind=InstitutionType.PUBLIC_SERVICE,
        statuses={ids[0]: FindingStatus.NOT_MET},
        created=_START + timedelta(days=45),
    )


def admin(keys: Keys) -> dict[str, str]:
    return {"X-API-Key": keys.admin}


def test_the_admin_sees_the_counts(client: TestClient, keys: Keys, filled: None) -> None:
    response = client.get(DASHBOARD, headers=admin(keys))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    board = response.json()
    assert board["totals"] == {"sessions": 2, "rated": 2, "signed": 1, "locked": 1}
    assert sum(board["stars"]["declared"]) == 2
    assert sum(board["stars"]["signed"]) == 1 and board["stars"]["unsigned"] == 1
    assert [t["institution_type"] for t in board["by_type"]] == ["public_service", "market"]
    assert [m["month"] for m in board["by_month"]] == ["2025-11", "2025-12"]
    first = board["blockers"][0]
    assert first["level"] == 1 and first["applications"] == 2
    assert first["blockers"][0]["title_zh"] and first["blockers"][0]["reasons"]


def test_the_filters(client: TestClient, keys: Keys, filled: None) -> None:
    market = client.get(DASHBOARD, params={"institution_type": "market"}, headers=admin(keys))
    assert market.json()["totals"]["sessions"] == 1
    december = client.get(
        DASHBOARD, params={"from": "2025-12-01", "to": "2025-12-31"}, headers=admin(keys)
    )
    assert [m["month"] for m in december.json()["by_month"]] == ["2025-12"]
    top = client.get(DASHBOARD, params={"top": 1}, headers=admin(keys)).json()
    assert all(len(level["blockers"]) <= 1 for level in top["blockers"])


BAD_FILTERS = [
    ({"from": "2026-02-01", "to": "2026-01-01"}, "zh", "起始日期（from）晚于结束日期（to）。"),
    ({"from": "2026-02-01", "to": "2026-01-01"}, "en", "The start date (from) is after"),
    ({"institution_type": "bank"}, "zh", "institution_type"),
    ({"top": "0"}, "en", "top"),
]


def test_bad_filters_are_refused_in_both_languages(client: TestClient, keys: Keys) -> None:
    for params, language, message in BAD_FILTERS:
        response = client.get(
            DASHBOARD, params=params, headers={**admin(keys), "Accept-Language": language}
        )
        assert response.status_code == 422, params
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert message in error["message"] or message == error.get("field"), error


def test_only_an_admin(client: TestClient, keys: Keys) -> None:
    for path in (DASHBOARD, f"{DASHBOARD}/charts/stars.svg", EXPORT):
        assert client.get(path).status_code == 401
        refused = client.get(path, headers={"X-API-Key": keys.assessor})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"]


def test_each_chart_is_svg(client: TestClient, keys: Keys, filled: None) -> None:
    for name in ("stars", "months", "blockers"):
        response = client.get(f"{DASHBOARD}/charts/{name}.svg", headers=admin(keys))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert response.headers["content-security-policy"] == "default-src 'none'"
        root = ET.fromstring(response.text)
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") and root.findtext(f"{SVG}desc")


def test_the_chart_speaks_english_and_takes_a_level(
    client: TestClient, keys: Keys, filled: None
) -> None:
    english = client.get(f"{DASHBOARD}/charts/stars.svg?lang=en", headers=admin(keys))
    assert ET.fromstring(english.text).findtext(f"{SVG}title") == "Institutions at each star"
    by_header = client.get(
        f"{DASHBOARD}/charts/blockers.svg?level=2",
        headers={**admin(keys), "Accept-Language": "en"},
    )
    title = ET.fromstring(by_header.text).findtext(f"{SVG}title")
    assert title == "Commonest blockers of two stars"
    assert client.get(f"{DASHBOARD}/charts/pie.svg", headers=admin(keys)).status_code == 422
    assert (
        client.get(f"{DASHBOARD}/charts/blockers.svg?level=6", headers=admin(keys)).status_code
        == 422
    )


def test_the_export(client: TestClient, keys: Keys, filled: None) -> None:
    response = client.get(EXPORT, headers=admin(keys))
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    today = datetime.now(UTC).date().isoformat()
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="smecmm-dashboard-{today}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["申请 Applications", "指标认定 Findings", "阻碍项 Blockers"]
    apps = list(book["申请 Applications"].iter_rows(min_row=3, values_only=True))
    assert sorted(r[1] for r in apps) == ["'=市场化机构", "某县中小企业服务中心"]
    market = client.get(EXPORT, params={"institution_type": "market"}, headers=admin(keys))
    one = load_workbook(io.BytesIO(market.content))["申请 Applications"]
    assert one.max_row == 3


def _console(client: TestClient, key: str) -> None:
    signed = client.post("/console/login", json={"key": key})
    assert signed.status_code == 200, signed.text


def test_an_admins_console_cookie_opens_it_an_assessors_does_not(
    client: TestClient, keys: Keys, filled: None
) -> None:
    _console(client, keys.admin)
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(EXPORT).status_code == 200
    other = client.get(DASHBOARD, headers={"Origin": "https://evil.example"})
    assert other.status_code in (401, 403)  # the cookie never opens it from another origin
    client.cookies.clear()
    _console(client, keys.assessor)
    assert client.get(DASHBOARD).status_code == 403


def test_the_admin_page(tmp_path: Path, client: TestClient) -> None:
    real = make_settings(tmp_path, web_dir=Path(__file__).parents[2] / "web")
    client.app.state.settings = real  # type: ignore[attr-defined]
    page = client.get("/admin")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert '<html lang="zh-CN"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert 'type="module"' in html


def test_documented_in_openapi(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/admin/dashboard",
        "/api/v1/admin/dashboard/charts/{name}.svg",
        "/api/v1/admin/export.xlsx",
    ):
        operation = paths[path]["get"]
        assert " / " in operation["summary"]
        assert re.search(r"[\u4e00-\u9fff]", operation["description"])
        assert {"401", "403", "422"} <= set(operation["responses"])
    svg = paths["/api/v1/admin/dashboard/charts/{name}.svg"]["get"]["responses"]["200"]
    assert "image/svg+xml" in svg["content"]
