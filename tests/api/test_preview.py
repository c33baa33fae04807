"""Previews of uploaded files: PDF pages as PNG, images re-encoded, office files as text."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from assistant.documents import DocumentRefused, Limits, Reason
from assistant.evidence.preview import draw_picture
from tests.api.conftest import Session
from tests.utils.api import Keys
from tests.utils.evidence_files import docx_bytes, image_bytes, pdf_bytes, png_header

PDF = pdf_bytes([["服务台账 第一页"], ["服务台账 第二页"], ["第三页"]])


def upload(client: TestClient, session: Session, name: str, data: bytes) -> str:
    response = client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": (name, data)},
        headers=session.auth,
    )
    assert response.status_code == 201, response.text
    evidence_id: str = response.json()["evidence"]["id"]
    return evidence_id


def preview_path(session: Session, evidence_id: str) -> str:
    return f"/api/v1/sessions/{session.id}/evidence/{evidence_id}/preview"


def test_a_pdf_page_is_a_png_within_the_pixel_limit(
    client: TestClient, session: Session, keys: Keys
) -> None:
    evidence_id = upload(client, session, "台账.pdf", PDF)

    response = client.get(
        preview_path(session, evidence_id),
        params={"page": 2},
        headers={"X-API-Key": keys.assessor},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-page-count"] == "3"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    assert max(picture.size) == 1400  # an A4 page drawn to the longest side's limit
    assert picture.size[0] == pytest.approx(1400 * 595 / 842, abs=2)


def test_the_applicant_previews_its_own_file_not_another_sessions(
    client: TestClient, session: Session, other_session: Session
) -> None:
    evidence_id = upload(client, session, "台账.pdf", PDF)

    own = client.get(preview_path(session, evidence_id), headers=session.auth)
    other = client.get(preview_path(session, evidence_id), headers=other_session.auth)
    crossed = client.get(preview_path(other_session, evidence_id), headers=other_session.auth)

    assert own.status_code == 200 and own.headers["x-page-count"] == "3"
    assert other.status_code == 401
    assert crossed.status_code == 404  # the id is not of that session
    assert crossed.json()["error"]["code"] == "evidence_not_found"


@pytest.mark.parametrize(("page", "status"), [(4, 404), (0, 422), (10**6, 422)])
def test_a_page_out_of_range_is_refused(
    client: TestClient, session: Session, page: int, status: int
) -> None:
    evidence_id = upload(client, session, "台账.pdf", PDF)

    response = client.get(
        preview_path(session, evidence_id),
        params={"page": page},
        headers={**session.auth, "Accept-Language": "en"},
    )

    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "page_not_found"
        assert "has 3 pages" in response.json()["error"]["message"]
        assert response.headers["x-page-count"] == "3"


def test_an_image_is_re_encoded_within_the_pixel_limit(
    client: TestClient, session: Session
) -> None:
    evidence_id = upload(client, session, "现场.jpg", image_bytes("JPEG", (2800, 700)))

    response = client.get(preview_path(session, evidence_id), headers=session.auth)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (1400, 350)


def test_a_decompression_bomb_is_refused() -> None:
    bomb = png_header(60_000, 60_000)  # 3.6 gigapixels claimed in a few bytes

    with pytest.raises(DocumentRefused) as refused:
        draw_picture(bomb, "png", 1, Limits())

    assert refused.value.reason is Reason.ZIP_BOMB
    assert "解压炸弹" in refused.value.zh


def test_a_broken_pdf_is_refused_not_drawn() -> None:
    with pytest.raises(DocumentRefused) as refused:
        draw_picture(b"%PDF-1.7\n" + b"\x00" * 200, "pdf", 1, Limits())

    assert refused.value.reason is Reason.CORRUPT


def test_a_docx_previews_as_its_text(client: TestClient, session: Session, keys: Keys) -> None:
    data = docx_bytes(["第一条 服务台账按月归档。", "<b>不是标记</b>"], heading="服务管理制度")
    evidence_id = upload(client, session, "制度.docx", data)

    response = client.get(preview_path(session, evidence_id), headers={"X-API-Key": keys.admin})

    assert response.status_code == 200
    body = response.json()
    assert body["format"] == "docx"
    assert "服务台账按月归档" in body["text"]
    assert "<b>不是标记</b>" in body["text"]  # text as written; the page shows it as text
    assert body["truncated"] is False


def test_an_unknown_evidence_id_is_404_in_both_languages(
    client: TestClient, session: Session
) -> None:
    zh = client.get(preview_path(session, "nope"), headers=session.auth)
    en = client.get(
        preview_path(session, "nope"), headers={**session.auth, "Accept-Language": "en"}
    )

    assert zh.status_code == en.status_code == 404
    assert "证据" in zh.json()["error"]["message"]
    assert "evidence file" in en.json()["error"]["message"]
