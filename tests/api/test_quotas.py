"""Quotas over HTTP: every request field bounded, refusals in the caller's language that name
the field and the limit, the answers cap, evidence and turns per session; nothing written
when a quota refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routers.evidence import MAX_FILENAME_CHARS
from assistant.settings import Settings
from tests.api.conftest import Session, make_settings, start_session
from tests.api.test_errors import assert_error

MAX_TURNS = 12
PROFILE = {
    "name": "深圳市示例中小企业服务中心",
    "institution_type": "market",
    "service_fields": "融资对接",
    "smes_served_per_year": 300,
    "target_stars": 1,
}
EN = {"Accept-Language": "en"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        evidence_max_files_per_session=2,
        evidence_max_mb_per_session=1,
        session_max_turns=MAX_TURNS,
    )


def post_turn(client: TestClient, session: Session, body: object, **headers: str) -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/messages",
        content=json.dumps(body).encode(),
        headers={**session.auth, "Content-Type": "application/json", **headers},
    )


def upload(client: TestClient, session: Session, name: str, data: bytes) -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": (name, data, "application/octet-stream")},
        headers=session.auth,
    )


def text_file(kilobytes: int) -> bytes:
    line = "服务台账：企业名称，服务内容，服务日期 2025-03-02\n".encode()
    return line * (kilobytes * 1024 // len(line) + 1)


def turns(client: TestClient, session: Session) -> int:
    service = client.app.state.runtime.current.service  # type: ignore[attr-defined]
    version: int = service.store.get(session.id).version
    return version


# ------------------------------------------------------------------------------- field lengths


@pytest.mark.parametrize(
    ("headers", "told"),
    [
        (
            {},
            "机构名称（body.profile.name）过长：最多 200 个字符，收到 1,000,000 个。请缩短后重试。",
        ),
        (
            EN,
            "The institution's name (body.profile.name) is too long: at most 200 characters, "
            "got 1,000,000. Please shorten it and try again.",
        ),
    ],
    ids=["zh", "en"],
)
def test_a_megabyte_name_is_refused_in_the_callers_language(
    client: TestClient, headers: dict[str, str], told: str
) -> None:
    body = {"profile": {"name": "x" * 1_000_000}}

    response = client.post("/api/v1/sessions", json=body, headers=headers)

    assert response.status_code == 422
    assert assert_error(response.json(), "validation_error") == told
    assert response.json()["error"]["field"] == "body.profile.name"
    sessions = client.app.state.runtime.current.service.store.list_sessions()  # type: ignore[attr-defined]
    assert sessions == []


@pytest.mark.parametrize(
    ("path", "body", "field", "told"),
    [
        (
            "/api/v1/ask",
            {"question": "问" * 1001},
            "body.question",
            "问题（body.question）过长：最多 1,000 个字符，收到 1,001 个。请缩短后重试。",
        ),
        (
            "/api/v1/sessions",
            {"profile": {"service_fields": "融" * 501}},
            "body.profile.service_fields",
            "最多 500 个字符，收到 501 个",
        ),
        (
            "/api/v1/sessions",
            {"profile": {"smes_served_per_year": 10**12}},
            "body.profile.smes_served_per_year",
            "不得大于 100,000,000",
        ),
        (
            "/api/v1/sessions",
            {"site_token": "t" * 5000},
            "body.site_token",
            "最多 4,096 个字符，收到 5,000 个",
        ),
    ],
    ids=["ask", "service_fields", "smes_served_per_year", "site_token"],
)
def test_other_length_limits_name_the_field_and_the_limit(
    client: TestClient, path: str, body: dict[str, object], field: str, told: str
) -> None:
    response = client.post(path, json=body)

    assert response.status_code == 422
    assert told in assert_error(response.json(), "validation_error")
    assert response.json()["error"]["field"] == field


def test_a_long_turn_text_is_refused_in_chinese(client: TestClient, session: Session) -> None:
    response = post_turn(client, session, {"text": "满" * 4001})

    assert response.status_code == 422
    message = assert_error(response.json(), "validation_error")
    assert message == "消息（body.text）过长：最多 4,000 个字符，收到 4,001 个。请缩短后重试。"
    assert turns(client, session) == 0


def test_a_name_typed_past_the_limit_is_asked_again(client: TestClient, session: Session) -> None:
    response = post_turn(client, session, {"text": "深圳" * 150})

    assert response.status_code == 200
    reply = response.json()["reply"]
    assert "机构名称过长：最多 200 个字符，收到 300 个，未保存。" in reply["text"]
    assert reply["text"].endswith("请问贵机构的全称是？")
    assert reply["question"] == {**reply["question"], "kind": "profile", "field": "name"}
    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert view["profile"]["name"] is None


def test_an_overlong_upload_name_is_refused(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("台" * (MAX_FILENAME_CHARS + 1) + ".txt", text_file(1), "text/plain")},
        headers={**session.auth, **EN},
    )

    assert response.status_code == 422
    message = assert_error(response.json(), "validation_error")
    assert message == "The file name is too long: at most 255 characters (got 260)."
    assert response.json()["error"]["field"] == "file.filename"
    assert turns(client, session) == 0


# ------------------------------------------------------------------------------- every field


_BOUNDED_FORMATS = {"binary", "date", "date-time"}


def unbounded(schema: dict[str, Any], doc: dict[str, Any], where: str) -> list[str]:
    """Every place in ``schema`` a client could send something without an upper bound."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return unbounded(doc["components"]["schemas"][name], doc, where)
    problems = [
        problem
        for key in ("anyOf", "oneOf", "allOf")
        for option in schema.get(key, ())
        for problem in unbounded(option, doc, where)
    ]
    kind = schema.get("type")
    if "enum" in schema or "const" in schema or "contentMediaType" in schema:
        return problems  # a choice, or an uploaded file (within max_upload_mb)
    if kind == "string" and "maxLength" not in schema:
        if schema.get("format") not in _BOUNDED_FORMATS:
            problems.append(f"{where}: a string without maxLength")
    elif kind in ("integer", "number") and not {"maximum", "minimum"} <= set(schema):
        problems.append(f"{where}: a number without minimum and maximum")
    elif kind == "array":
        problems += [f"{where}: a list without maxItems"] if "maxItems" not in schema else []
        problems += unbounded(schema.get("items", {}), doc, f"{where}[]")
    elif kind == "object":
        problems += _object_problems(schema, doc, where)
    return problems


def _object_problems(schema: dict[str, Any], doc: dict[str, Any], where: str) -> list[str]:
    problems = [
        problem
        for name, field in schema.get("properties", {}).items()
        for problem in unbounded(field, doc, f"{where}.{name}")
    ]
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) or extra is True:
        if "maxProperties" not in schema:
            problems.append(f"{where}: a map without maxProperties")
        names = schema.get("propertyNames", {})
        problems += unbounded({"type": "string", **names}, doc, f"{where}.<key>")
        problems += unbounded(extra if isinstance(extra, dict) else {}, doc, f"{where}.<value>")
    return problems


def request_inputs(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, schema) of every request body and every path and query parameter. Headers are
    bounded by the server (h11 refuses a header block past 64 KB) and are never stored, but
    the one a client may send for storage, ``X-Site-Token``, has a maxLength too."""
    inputs = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", ()):
                if parameter["in"] != "header" or parameter["name"] == "x-site-token":
                    inputs.append((f"{where} {parameter['name']}", parameter["schema"]))
            for content in operation.get("requestBody", {}).get("content", {}).values():
                inputs.append((f"{where} body", content["schema"]))
    return inputs


def test_every_request_field_has_an_upper_bound(app: FastAPI) -> None:
    doc = app.openapi()
    inputs = request_inputs(doc)

    assert len(inputs) >= 20  # bodies of sessions, messages, evidence, ask, overrides, …
    problems = [p for where, schema in inputs for p in unbounded(schema, doc, where)]
    assert problems == []


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string"},
        {"type": "integer", "minimum": 0},
        {"type": "array", "items": {"type": "string", "maxLength": 3}},
        {"type": "array", "maxItems": 3, "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"type": "string", "maxLength": 3}},
        {
            "type": "object",
            "maxProperties": 3,
            "additionalProperties": {"type": "string", "maxLength": 3},
        },
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"$ref": "#/components/schemas/Open"},
    ],
)
def test_the_bound_check_catches_an_unbounded_field(schema: dict[str, Any]) -> None:
    open_object = {"type": "object", "properties": {"x": {"type": "string"}}}
    doc = {"components": {"schemas": {"Open": open_object}}}
    assert unbounded(schema, doc, "field") != []


# ------------------------------------------------------------------------------- answers


def database_bytes(tmp_path: Path) -> int:
    """The database and its write-ahead log (not the -shm index, which opening creates)."""
    files = tmp_path.glob("assistant.db*")
    return sum(path.stat().st_size for path in files if not path.name.endswith("-shm"))


def stored_reply_chars(client: TestClient, session: Session) -> int:
    service = client.app.state.runtime.current.service  # type: ignore[attr-defined]
    return len(service.store.last_turn(session.id).reply.model_dump_json())


def at_checklist(client: TestClient, language: str = "zh") -> tuple[Session, list[str]]:
    session = start_session(client, profile=PROFILE, language=language)
    for _ in range(2):
        response = post_turn(client, session, {"quick_reply": "met"})
        assert response.status_code == 200, response.text
    question = response.json()["reply"]["question"]
    assert question["kind"] == "checklist"
    return session, [ref["id"] for ref in question["indicators"]]


def test_forty_thousand_answers_are_refused_and_write_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    session, ids = at_checklist(client)
    junk = {f"XX-{n:05d}": "met" for n in range(40_000 - len(ids))}
    junk.update(dict.fromkeys(ids, "met"))
    before, taken = database_bytes(tmp_path), turns(client, session)

    response = post_turn(client, session, {"answers": junk})

    assert response.status_code == 422
    message = assert_error(response.json(), "validation_error")
    assert message == "勾选结果（body.answers）的项数过多：最多 64 项（收到 40,000 项）。"
    assert len(response.content) < 500
    assert turns(client, session) == taken
    assert database_bytes(tmp_path) - before < 16 * 1024


def test_sixty_four_junk_answers_leave_a_short_reply(client: TestClient, tmp_path: Path) -> None:
    session, ids = at_checklist(client, "en")
    junk = {f"XX-{n:05d}": "met" for n in range(64 - len(ids))}
    junk.update(dict.fromkeys(ids, "met"))
    before = database_bytes(tmp_path)

    response = post_turn(client, session, {"answers": junk})

    assert response.status_code == 200
    text = response.json()["reply"]["text"]
    assert text.count(f"{64 - len(ids)} ids not in this question were ignored.") == 1
    assert "XX-" not in text
    assert stored_reply_chars(client, session) < 4000
    assert database_bytes(tmp_path) - before < 128 * 1024  # a few WAL pages, as any turn
    findings = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert set(ids) <= set(findings["findings"]) and not any(
        i.startswith("XX-") for i in findings["findings"]
    )


# ------------------------------------------------------------------------------- evidence quota


def evidence_state(client: TestClient, session: Session, tmp_path: Path) -> tuple[int, int, int]:
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    blobs = sum(1 for path in (tmp_path / "evidence").rglob("*") if path.is_file())
    return len(listed.json()["evidence"]), blobs, turns(client, session)


def test_the_file_count_quota_refuses_the_next_file_and_keeps_nothing(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    for n in range(2):
        assert upload(client, session, f"台账{n}.txt", text_file(1 + n)).status_code == 201
    before = evidence_state(client, session, tmp_path)

    response = upload(client, session, "台账2.txt", text_file(3))

    assert response.status_code == 413
    message = assert_error(response.json(), "evidence_rejected")
    assert response.json()["error"]["reason"] == "quota_exceeded"
    assert "本会话的证据已达上限：最多 2 个文件，已上传 2 个。" in message
    assert evidence_state(client, session, tmp_path) == before


def test_the_byte_quota_refuses_a_file_that_would_pass_it(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    assert upload(client, session, "大台账.txt", text_file(700)).status_code == 201
    before = evidence_state(client, session, tmp_path)

    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("又一份.txt", text_file(400), "text/plain")},
        headers={**session.auth, **EN},
    )

    assert response.status_code == 413
    message = assert_error(response.json(), "evidence_rejected")
    assert "at most 1 MB, 0.7 MB used, this file 0.4 MB" in message
    assert evidence_state(client, session, tmp_path) == before


# ------------------------------------------------------------------------------- turns


def test_a_session_takes_at_most_the_turn_limit(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    for _ in range(MAX_TURNS):
        assert post_turn(client, session, {"text": "进度"}).status_code == 200
    before = database_bytes(tmp_path)

    refused = post_turn(client, session, {"text": "进度"})
    refused_en = post_turn(client, session, {"text": "progress"}, **EN)
    upload_refused = upload(client, session, "台账.txt", text_file(1))

    assert refused.status_code == refused_en.status_code == upload_refused.status_code == 409
    message = assert_error(refused.json(), "turn_limit")
    assert "本会话已达到 12 轮对话的上限（已有 12 轮）" in message
    assert "reached its limit of 12 turns" in assert_error(refused_en.json(), "turn_limit")
    assert turns(client, session) == MAX_TURNS
    assert database_bytes(tmp_path) == before
    assert client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).status_code == 200
