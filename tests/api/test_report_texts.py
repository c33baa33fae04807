"""A profile with control characters, however it came in, still makes every report."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Session, start_session

NAME = "示例\x01服务\x0b中心\x7f"  # a name pasted from a spreadsheet export
CLEAN_NAME = "示例服务 中心"  # controls dropped, the vertical tab a blank
FIELDS = "咨询\x00培训\u2028融资"


def report(client: TestClient, session: Session, fmt: str) -> bytes:
    response = client.get(
        f"/api/v1/sessions/{session.id}/report", params={"format": fmt}, headers=session.auth
    )
    assert response.status_code == 200, response.text
    return response.content


def document_xml(docx: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")


@pytest.fixture
def profiled(client: TestClient) -> Session:
    """The profile given when the session starts."""
    return start_session(client, profile={"name": NAME, "service_fields": FIELDS})


@pytest.fixture
def typed(client: TestClient, session: Session) -> Session:
    """The name typed into the chat."""
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages", json={"text": NAME}, headers=session.auth
    )
    assert response.status_code == 200, response.text
    return session


@pytest.mark.parametrize("entry", ["profiled", "typed"])
def test_a_name_with_control_characters_makes_a_docx_report(
    client: TestClient, entry: str, request: pytest.FixtureRequest
) -> None:
    session: Session = request.getfixturevalue(entry)

    xml = document_xml(report(client, session, "docx"))

    assert CLEAN_NAME in xml
    assert not any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in xml)


def test_the_session_shows_the_profile_without_control_characters(
    client: TestClient, profiled: Session
) -> None:
    markdown = report(client, profiled, "md").decode("utf-8")

    assert CLEAN_NAME in markdown and "咨询培训 融资" in markdown
    assert "\x01" not in markdown and "\x00" not in markdown
    assert report(client, profiled, "pdf").startswith(b"%PDF-")
