"""Every endpoint against every kind of caller, from one table.

Columns: no credentials; another session's token; the session's own token; an assessor key;
an admin key; the site key from an origin it allows; the site key from an origin it does not
allow; and the widget's usual call (site key from its origin plus the session's token).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import create_app
from assistant.interview.service import InterviewService
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.workbook import export_workbook
from assistant.storage import KeyRole, SessionStore
from tests.api.conftest import Session, make_settings
from tests.utils.api import ALLOWED_ORIGIN, OTHER_ORIGIN, FakeAnswerer, Keys, add_key

CALLERS = (
    "none",
    "other_token",
    "own_token",
    "assessor",
    "admin",
    "site_allowed",
    "site_other_origin",
    "site_with_token",
)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    expected: tuple[int, ...]  # one status per caller, in the order of CALLERS
    json: Any = None
    file: tuple[str, bytes] | None = None
    params: dict[str, str] | None = None


TEXT_FILE = ("台账.txt", "服务台账 2025年1月 甲公司 融资对接".encode())
_RULES = default_knowledge_dir() / "rules"
SHIPPED_WORKBOOK = export_workbook(load_catalog(_RULES), load_rules(_RULES))
FINDING = {"status": "met", "reason": "现场复核"}

ENDPOINTS: dict[str, Endpoint] = {
    "create session": Endpoint(
        "POST", "/api/v1/sessions", (201, 201, 201, 201, 201, 201, 403, 201)
    ),
    "list sessions": Endpoint("GET", "/api/v1/sessions", (401, 403, 403, 200, 200, 403, 403, 403)),
    "read session": Endpoint(
        "GET", "/api/v1/sessions/{id}", (401, 401, 200, 200, 200, 401, 403, 200)
    ),
    "send message": Endpoint(
        "POST",
        "/api/v1/sessions/{id}/messages",
        (401, 401, 200, 403, 403, 401, 403, 200),
        json={"text": "深圳市示例中小企业服务中心"},
    ),
    "readings": Endpoint(
        "GET", "/api/v1/sessions/{id}/readings", (401, 401, 200, 200, 200, 401, 403, 200)
    ),
    "undo reading": Endpoint(  # reachable: a new session has no reading to undo (404)
        "POST",
        "/api/v1/sessions/{id}/readings/undo",
        (401, 401, 404, 403, 403, 401, 403, 404),
        json={"turn": 1, "indicator_id": "SS-1-01"},
    ),
    "upload evidence": Endpoint(
        "POST",
        "/api/v1/sessions/{id}/evidence",
        (401, 401, 201, 403, 403, 401, 403, 201),
        file=TEXT_FILE,
    ),
    "list evidence": Endpoint(
        "GET", "/api/v1/sessions/{id}/evidence", (401, 401, 200, 200, 200, 401, 403, 200)
    ),
    "rating": Endpoint(
        "GET", "/api/v1/sessions/{id}/rating", (401, 401, 200, 200, 200, 401, 403, 200)
    ),
    "report": Endpoint(
        "GET",
        "/api/v1/sessions/{id}/report",
        (401, 401, 200, 200, 200, 401, 403, 200),
        params={"format": "md"},
    ),
    "override finding": Endpoint(
        "PUT",
        "/api/v1/sessions/{id}/findings/SO-1-02",
        (401, 403, 403, 200, 200, 403, 403, 403),
        json=FINDING,
    ),
    "review finding": Endpoint(
        "GET", "/api/v1/sessions/{id}/findings/SO-1-02", (401, 403, 403, 200, 200, 403, 403, 403)
    ),
    "audit": Endpoint(
        "GET", "/api/v1/sessions/{id}/audit", (401, 403, 403, 200, 200, 403, 403, 403)
    ),
    "ask": Endpoint(
        "POST",
        "/api/v1/ask",
        (200, 200, 200, 200, 200, 200, 403, 200),
        json={"question": "四星要求？"},
    ),
    "catalog": Endpoint("GET", "/api/v1/catalog", (200, 200, 200, 200, 200, 200, 403, 200)),
    "vocabulary": Endpoint("GET", "/api/v1/vocabulary", (200, 200, 200, 200, 200, 200, 403, 200)),
    "ingest document": Endpoint(
        "POST",
        "/api/v1/admin/documents",
        (401, 403, 403, 403, 201, 403, 403, 403),
        file=("标准.md", "## 6.3 服务平台\n\n机构应建立服务平台。".encode()),
    ),
    "reindex": Endpoint("POST", "/api/v1/admin/reindex", (401, 403, 403, 403, 200, 403, 403, 403)),
    "resume code": Endpoint(
        "POST", "/api/v1/sessions/{id}/resume-code", (401, 401, 201, 403, 403, 401, 403, 201)
    ),
    "sign out": Endpoint(
        "POST", "/api/v1/sessions/{id}/sign-out", (401, 401, 200, 403, 403, 401, 403, 200)
    ),
    # Public, but only a valid code opens anything (tests/api/test_session_tokens.py).
    "resume with a code": Endpoint(
        "POST",
        "/api/v1/sessions/resume",
        (401, 401, 401, 401, 401, 401, 403, 401),
        json={"code": "7KQ2-M9XD-4TVB-P3NC-8RWH"},
    ),
    "revoke session": Endpoint(
        "POST",
        "/api/v1/admin/sessions/{id}/revoke",
        (401, 403, 403, 403, 200, 403, 403, 403),
    ),
    "export catalog": Endpoint(
        "GET", "/api/v1/admin/catalog.xlsx", (401, 403, 403, 403, 200, 403, 403, 403)
    ),
    "import catalog": Endpoint(
        "POST",
        "/api/v1/admin/catalog",
        (401, 403, 403, 403, 200, 403, 403, 403),
        file=("catalog.xlsx", SHIPPED_WORKBOOK),
        params={"dry_run": "true"},  # the table must not rewrite the shipped catalog
    ),
    # The session here was never signed off (409 not_signed) and is not a re-assessment (409
    # not_reassessment); tests/api/test_reassessment_api.py covers the signed case.
    "reassess": Endpoint(
        "POST", "/api/v1/sessions/{id}/reassess", (401, 401, 409, 409, 409, 401, 403, 409)
    ),
    "comparison": Endpoint(
        "GET", "/api/v1/sessions/{id}/comparison", (401, 401, 409, 409, 409, 401, 403, 409)
    ),
    # Reachable: the session here has no sign-off version 1 (404 signoff_not_found) and is
    # not a re-assessment (409); tests/api/test_assessor_reports.py covers the signed case.
    "assessor report": Endpoint(
        "GET",
        "/api/v1/sessions/{id}/signoffs/1/report",
        (401, 401, 404, 404, 404, 401, 403, 404),
    ),
    "comparison report": Endpoint(
        "GET",
        "/api/v1/sessions/{id}/comparison/report",
        (401, 401, 409, 409, 409, 401, 403, 409),
    ),
    # The assessor's work (tests/api/test_assessment_api.py): reachable, but this session has
    # no evidence "E1" (404) and no sign-off yet (404 for version 1).
    "assessor view": Endpoint(
        "GET", "/api/v1/sessions/{id}/assessor-view", (401, 403, 403, 200, 200, 403, 403, 403)
    ),
    "check evidence": Endpoint(
        "PUT",
        "/api/v1/sessions/{id}/evidence/E1/check",
        (401, 403, 403, 404, 404, 403, 403, 403),
        json={"sampled": True, "verified": True},
    ),
    "add note": Endpoint(
        "POST",
        "/api/v1/sessions/{id}/notes",
        (401, 403, 403, 201, 201, 403, 403, 403),
        json={"text": "材料较完整"},
    ),
    "list notes": Endpoint(
        "GET", "/api/v1/sessions/{id}/notes", (401, 403, 403, 200, 200, 403, 403, 403)
    ),
    "add record": Endpoint(
        "POST",
        "/api/v1/sessions/{id}/records",
        (401, 403, 403, 201, 201, 403, 403, 403),
        json={
            "kind": "observation",
            "text": "现场查看服务大厅",
            "indicator_ids": ["SO-1-02"],
            "dated": "2026-01-05",
        },
    ),
    "sign off": Endpoint(
        "POST", "/api/v1/sessions/{id}/signoff", (401, 403, 403, 201, 201, 403, 403, 403)
    ),
    "list sign-offs": Endpoint(
        "GET", "/api/v1/sessions/{id}/signoffs", (401, 401, 200, 200, 200, 401, 403, 200)
    ),
    "read sign-off": Endpoint(
        "GET", "/api/v1/sessions/{id}/signoffs/1", (401, 401, 404, 404, 404, 401, 403, 404)
    ),
    "reopen sign-off": Endpoint(
        "POST",
        "/api/v1/sessions/{id}/signoffs/1/reopen",
        (401, 403, 403, 404, 404, 403, 403, 403),
        json={"reason": "补充材料"},
    ),
    # The association's dashboard (tests/api/test_dashboard_api.py): admin only.
    "dashboard": Endpoint(
        "GET", "/api/v1/admin/dashboard", (401, 403, 403, 403, 200, 403, 403, 403)
    ),
    "dashboard chart": Endpoint(
        "GET",
        "/api/v1/admin/dashboard/charts/stars.svg",
        (401, 403, 403, 403, 200, 403, 403, 403),
    ),
    "dashboard export": Endpoint(
        "GET", "/api/v1/admin/export.xlsx", (401, 403, 403, 403, 200, 403, 403, 403)
    ),
    # File previews (tests/api/test_preview.py): reachable, but this session has no "E1".
    "preview evidence": Endpoint(
        "GET",
        "/api/v1/sessions/{id}/evidence/E1/preview",
        (401, 401, 404, 404, 404, 401, 403, 404),
    ),
    # The console's sign-in (tests/api/test_console_auth.py) reads a key from the body or the
    # cookie, never a header; other origins are refused before anything is read.
    "console login": Endpoint(
        "POST",
        "/console/login",
        (401, 401, 401, 401, 401, 403, 403, 403),
        json={"key": "not-a-key"},
    ),
    "console me": Endpoint("GET", "/console/me", (401, 401, 401, 401, 401, 403, 403, 403)),
    "console logout": Endpoint("POST", "/console/logout", (401, 401, 401, 401, 401, 403, 403, 403)),
    # Outside /api/ for load balancers: no credentials, no origin check, no rate limit.
    "health": Endpoint("GET", "/healthz", (200, 200, 200, 200, 200, 200, 200, 200)),
}

CASES = [
    pytest.param(name, caller, endpoint.expected[column], id=f"{name}-{caller}")
    for name, endpoint in ENDPOINTS.items()
    for column, caller in enumerate(CALLERS)
]


def credentials(caller: str, keys: Keys, own: Session, other: Session) -> dict[str, str]:
    table = {
        "none": {},
        "other_token": other.auth,
        "own_token": own.auth,
        "assessor": {"X-API-Key": keys.assessor},
        "admin": {"X-API-Key": keys.admin},
        "site_allowed": {"X-Site-Key": keys.site, "Origin": ALLOWED_ORIGIN},
        "site_other_origin": {"X-Site-Key": keys.site, "Origin": OTHER_ORIGIN},
        "site_with_token": {"X-Site-Key": keys.site, "Origin": ALLOWED_ORIGIN, **own.auth},
    }
    return table[caller]


def call(client: TestClient, endpoint: Endpoint, session_id: str, headers: dict[str, str]) -> Any:
    return client.request(
        endpoint.method,
        endpoint.path.format(id=session_id),
        headers=headers,
        json=endpoint.json,
        files={"file": endpoint.file} if endpoint.file else None,
        params=endpoint.params,
    )


def test_every_endpoint_is_in_the_table(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    served = {
        (
            method.upper(),
            path.replace("{session_id}", "{id}")
            .replace("{indicator_id}", "SO-1-02")
            .replace("{version}", "1")
            .replace("{evidence_id}", "E1")
            .replace("{name}", "stars"),
        )
        for path, operations in schema["paths"].items()
        for method in operations
    }

    assert served == {(e.method, e.path) for e in ENDPOINTS.values()}


@pytest.mark.parametrize(("name", "caller", "status"), CASES)
def test_the_authorization_matrix(
    client: TestClient,
    keys: Keys,
    session: Session,
    other_session: Session,
    name: str,
    caller: str,
    status: int,
) -> None:
    endpoint = ENDPOINTS[name]
    before = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()

    response = call(client, endpoint, session.id, credentials(caller, keys, session, other_session))

    assert response.status_code == status, response.text
    if status >= 400:
        assert set(response.json()) == {"error"}
        after = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
        assert after == before  # a refused call changed nothing


def test_another_sessions_token_reveals_nothing(
    client: TestClient, session: Session, other_session: Session
) -> None:
    client.post(
        f"/api/v1/sessions/{session.id}/messages",
        json={"text": "只属于本会话的机构名称"},
        headers=session.auth,
    )
    for path in ("", "/evidence", "/rating", "/report"):
        response = client.get(f"/api/v1/sessions/{session.id}{path}", headers=other_session.auth)
        assert response.status_code == 401
        assert "只属于本会话的机构名称" not in response.text


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("create session", (401, 401, 201, 201)),
        ("ask", (401, 401, 200, 200)),
        ("catalog", (401, 401, 200, 200)),
    ],
)
def test_a_setting_can_require_a_key_for_public_endpoints(
    keys: Keys,
    session: Session,
    service: InterviewService,
    tmp_path: Path,
    name: str,
    statuses: tuple[int, ...],
) -> None:
    app = create_app(
        make_settings(tmp_path, require_key_for_public=True),
        service=service,
        answerer=FakeAnswerer(),
    )
    endpoint = ENDPOINTS[name]
    callers = (
        {},
        session.auth,
        {"X-Site-Key": keys.site},
        {"X-API-Key": keys.assessor},
    )
    with TestClient(app) as client:
        got = tuple(call(client, endpoint, session.id, headers).status_code for headers in callers)

    assert got == statuses


# ---------------------------------------------------------------- console cookie callers
# The same endpoints called with the console's sign-in cookie instead of a header: an
# assessor's and an admin's cookie (with the CSRF token), an assessor's cookie without the
# token, and an assessor's cookie with its token sent from a sibling origin that holds a
# valid site key. Endpoints that do not take the cookie answer as for no credentials.

COOKIE_CALLERS = ("cookie_assessor", "cookie_admin", "cookie_no_csrf", "cookie_other_origin")

COOKIE_EXPECTED: dict[str, tuple[int, int, int, int]] = {
    "create session": (201, 201, 201, 201),
    "list sessions": (200, 200, 200, 403),
    "read session": (401, 401, 401, 401),
    "send message": (401, 401, 401, 401),
    "readings": (401, 401, 401, 401),
    "undo reading": (401, 401, 401, 401),
    "upload evidence": (401, 401, 401, 401),
    "list evidence": (401, 401, 401, 401),
    "rating": (401, 401, 401, 401),
    "report": (401, 401, 401, 401),
    "override finding": (200, 200, 403, 403),
    "review finding": (200, 200, 200, 403),
    "audit": (200, 200, 200, 403),
    "ask": (200, 200, 200, 200),
    "catalog": (200, 200, 200, 200),
    "vocabulary": (200, 200, 200, 200),
    "ingest document": (401, 401, 401, 403),  # knowledge upkeep takes admin keys only
    "reindex": (401, 401, 401, 403),
    "resume code": (401, 401, 401, 401),
    "sign out": (401, 401, 401, 401),
    "resume with a code": (401, 401, 401, 401),
    "revoke session": (401, 401, 401, 403),
    "export catalog": (401, 401, 401, 403),
    "import catalog": (401, 401, 401, 403),
    "reassess": (409, 409, 403, 403),
    "comparison": (409, 409, 409, 403),
    "assessor report": (404, 404, 404, 403),
    "comparison report": (409, 409, 409, 403),
    "assessor view": (200, 200, 200, 403),
    "check evidence": (404, 404, 403, 403),
    "add note": (201, 201, 403, 403),
    "list notes": (200, 200, 200, 403),
    "add record": (201, 201, 403, 403),
    "sign off": (201, 201, 403, 403),
    "list sign-offs": (200, 200, 200, 403),
    "read sign-off": (404, 404, 404, 403),
    "reopen sign-off": (404, 404, 403, 403),
    "dashboard": (403, 200, 403, 403),
    "dashboard chart": (403, 200, 403, 403),
    "dashboard export": (403, 200, 403, 403),
    "preview evidence": (404, 404, 404, 403),
    "console login": (401, 401, 401, 403),
    "console me": (200, 200, 200, 403),
    "console logout": (200, 200, 403, 403),
    "health": (200, 200, 200, 200),
}

COOKIE_CASES = [
    pytest.param(name, caller, statuses[column], id=f"{name}-{caller}")
    for name, statuses in COOKIE_EXPECTED.items()
    for column, caller in enumerate(COOKIE_CALLERS)
]


def console_headers(client: TestClient, caller: str, keys: Keys) -> dict[str, str]:
    """Sign in (the cookie lands in the client) and return the headers the caller sends."""
    key = keys.admin if caller == "cookie_admin" else keys.assessor
    response = client.post("/console/login", json={"key": key})
    assert response.status_code == 200, response.text
    csrf = response.json()["csrf_token"]
    if caller == "cookie_no_csrf":
        return {"Sec-Fetch-Site": "same-origin"}
    if caller == "cookie_other_origin":
        return {
            "X-CSRF-Token": csrf,
            "Origin": ALLOWED_ORIGIN,
            "X-Site-Key": keys.site,
            "Sec-Fetch-Site": "same-site",
        }
    return {"X-CSRF-Token": csrf, "Sec-Fetch-Site": "same-origin"}


def test_every_endpoint_has_its_cookie_row() -> None:
    assert set(COOKIE_EXPECTED) == set(ENDPOINTS)


@pytest.mark.parametrize(("name", "caller", "status"), COOKIE_CASES)
def test_the_console_cookie_matrix(
    client: TestClient, keys: Keys, session: Session, name: str, caller: str, status: int
) -> None:
    endpoint = ENDPOINTS[name]
    headers = console_headers(client, caller, keys)
    before = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()

    response = call(client, endpoint, session.id, headers)

    assert response.status_code == status, response.text
    assert "access-control-allow-credentials" not in response.headers
    if status >= 400:
        assert set(response.json()) == {"error"}
        after = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
        assert after == before  # a refused call changed nothing


# A session an assessor (评估员张三, the `assessor` key) has signed off, against the applicant,
# the signer, another assessor and an admin: reads go on, every write answers 409 (the lock)
# or 403 (the role), and only the signer or an admin may reopen the signed work.
LOCKED_CALLERS = ("own_token", "signer", "other_assessor", "admin")

LOCKED_EXPECTED: dict[str, tuple[int, int, int, int]] = {
    "create session": (201, 201, 201, 201),
    "list sessions": (403, 200, 200, 200),
    "read session": (200, 200, 200, 200),
    "send message": (409, 403, 403, 403),
    "readings": (200, 200, 200, 200),
    "undo reading": (409, 403, 403, 403),
    "upload evidence": (409, 403, 403, 403),
    "list evidence": (200, 200, 200, 200),
    "rating": (200, 200, 200, 200),
    "report": (200, 200, 200, 200),
    "override finding": (403, 409, 409, 409),
    "review finding": (403, 200, 200, 200),
    "audit": (403, 200, 200, 200),
    "ask": (200, 200, 200, 200),
    "catalog": (200, 200, 200, 200),
    "vocabulary": (200, 200, 200, 200),
    "ingest document": (403, 403, 403, 201),
    "reindex": (403, 403, 403, 200),
    "resume code": (201, 403, 403, 403),  # signing out and resuming are not changes
    "sign out": (200, 403, 403, 403),
    "resume with a code": (401, 401, 401, 401),
    "revoke session": (403, 403, 403, 200),
    "export catalog": (403, 403, 403, 200),
    "import catalog": (403, 403, 403, 200),
    "reassess": (201, 201, 201, 201),  # next year's assessment starts from the signed one
    "comparison": (409, 409, 409, 409),
    "assessor report": (200, 200, 200, 200),
    "comparison report": (409, 409, 409, 409),
    "assessor view": (403, 200, 200, 200),
    "check evidence": (403, 409, 409, 409),
    "add note": (403, 409, 409, 409),
    "list notes": (403, 200, 200, 200),
    "add record": (403, 409, 409, 409),
    "sign off": (403, 409, 409, 409),
    "list sign-offs": (200, 200, 200, 200),
    "read sign-off": (200, 200, 200, 200),
    "reopen sign-off": (403, 200, 403, 200),
    "dashboard": (403, 403, 403, 200),
    "dashboard chart": (403, 403, 403, 200),
    "dashboard export": (403, 403, 403, 200),
    "preview evidence": (404, 404, 404, 404),
    "console login": (401, 401, 401, 401),
    "console me": (401, 401, 401, 401),
    "console logout": (401, 401, 401, 401),
    "health": (200, 200, 200, 200),
}

LOCKED_CASES = [
    pytest.param(name, caller, statuses[column], id=f"{name}-{caller}")
    for name, statuses in LOCKED_EXPECTED.items()
    for column, caller in enumerate(LOCKED_CALLERS)
]

# The writes a locked session refuses with its own code, whoever may otherwise make them.
LOCK_CODES = {"send message", "undo reading", "upload evidence", "override finding"}
LOCK_CODES |= {"check evidence", "add note", "add record", "sign off"}


def test_every_endpoint_has_its_locked_row() -> None:
    assert set(LOCKED_EXPECTED) == set(ENDPOINTS)


@pytest.mark.parametrize(("name", "caller", "status"), LOCKED_CASES)
def test_the_locked_session_matrix(
    client: TestClient,
    keys: Keys,
    store: SessionStore,
    session: Session,
    name: str,
    caller: str,
    status: int,
) -> None:
    other_assessor = add_key(store, "k-assessor-2", KeyRole.ASSESSOR, label="评估员李四")
    signed = client.post(
        f"/api/v1/sessions/{session.id}/signoff", headers={"X-API-Key": keys.assessor}
    )
    assert signed.status_code == 201, signed.text
    headers = {
        "own_token": session.auth,
        "signer": {"X-API-Key": keys.assessor},
        "other_assessor": {"X-API-Key": other_assessor},
        "admin": {"X-API-Key": keys.admin},
    }[caller]
    before = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()

    response = call(client, ENDPOINTS[name], session.id, headers)

    assert response.status_code == status, response.text
    if status == 409 and name in LOCK_CODES:
        assert response.json()["error"]["code"] == "session_locked"
    if status >= 400:
        assert set(response.json()) == {"error"}
        after = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
        assert after == before  # a refused call changed nothing
        assert store.live_signoff(session.id) is not None  # and the work stays locked
