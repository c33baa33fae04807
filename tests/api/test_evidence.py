"""Evidence over HTTP: multipart upload, the reply that follows, the list, the refusals."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Session
from tests.utils.evidence_files import docx_bytes, image_bytes

LEDGER = (
    "服务台账（2025年1月—2025年6月）\n企业名称，服务内容，服务日期\n甲公司，融资对接，2025-03-02\n"
)


def upload(client: TestClient, session: Session, name: str, data: bytes) -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": (name, data, "application/octet-stream")},
        headers=session.auth,
    )


def test_an_upload_is_described_stored_and_listed(client: TestClient, session: Session) -> None:
    response = upload(client, session, "台账.txt", LEDGER.encode())

    assert response.status_code == 201
    body = response.json()
    evidence = body["evidence"]
    assert evidence["filename"] == "台账.txt"
    assert evidence["media_type"] == "text/plain"
    assert evidence["size"] == len(LEDGER.encode())
    assert evidence["session_id"] == session.id
    assert body["reply"]["question"]["kind"] == "evidence"

    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["evidence"]] == [evidence["id"]]


def test_the_type_is_read_from_the_content(client: TestClient, session: Session) -> None:
    docx = upload(client, session, "scan.pdf", docx_bytes(["服务流程规范", "第一条 受理。"]))
    png = upload(client, session, "截图.docx", image_bytes("PNG"))

    assert docx.json()["evidence"]["media_type"].endswith("wordprocessingml.document")
    assert png.json()["evidence"]["media_type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "status", "reason"),
    [
        ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, 415, "unsupported_type"),
        ("page.txt", b"<html><script>alert(1)</script></html>", 415, "unsupported_type"),
        ("empty.txt", b"", 422, "empty"),
        ("broken.pdf", b"%PDF-1.7\n garbage without objects", 422, "corrupt"),
    ],
)
def test_refused_files_name_the_reason(
    client: TestClient, session: Session, name: str, data: bytes, status: int, reason: str
) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": (name, data)},
        headers={**session.auth, "Accept-Language": "en"},
    )

    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == "evidence_rejected"
    assert error["reason"] == reason
    assert name in error["message"]
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    assert listed.json()["evidence"] == []


def test_a_file_over_the_limit_is_413(client: TestClient, session: Session) -> None:
    data = b"a" * (1024 * 1024 + 1)  # the test settings allow 1 MB

    response = upload(client, session, "big.txt", data)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    client: TestClient, session: Session
) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        content=b"--x--\r\n",
        headers={
            **session.auth,
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(50 * 1024 * 1024),
        },
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_the_field_must_be_named_file(client: TestClient, session: Session) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"upload": ("a.txt", b"text")},
        headers=session.auth,
    )

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "body.file"


CERTIFICATE = "中小企业公共服务示范平台认定证书\n认定日期：2024年3月1日\n有效期至：2027年2月28日\n"


def test_a_certificate_states_its_validity_and_the_form_may_correct_it(
    client: TestClient, session: Session
) -> None:
    read = upload(client, session, "示范平台证书.txt", CERTIFICATE.encode()).json()
    assert read["evidence"]["kind"] == "certificate"
    assert read["evidence"]["valid_until"] == "2027-02-28"
    assert "有效期至 2027-02-28" in read["reply"]["text"]

    declared = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("证书扫描.txt", "资质证书 第2号".encode(), "text/plain")},
        data={"valid_until": "2026-12-31"},
        headers=session.auth,
    )
    assert declared.status_code == 201
    assert declared.json()["evidence"]["valid_until"] == "2026-12-31"
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth).json()
    assert [e["valid_until"] for e in listed["evidence"]] == ["2027-02-28", "2026-12-31"]


def test_a_validity_that_is_not_a_date_is_refused_in_the_callers_language(
    client: TestClient, session: Session
) -> None:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("证书.txt", "资质证书".encode(), "text/plain")},
        data={"valid_until": "明年"},
        headers=session.auth,
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "body.valid_until"
    assert (
        client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth).json()[
            "evidence"
        ]
        == []
    )  # nothing stored
