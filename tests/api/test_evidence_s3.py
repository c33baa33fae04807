"""Evidence kept in an S3-compatible store (moto's server on loopback), wired from the settings
as ``smecmm serve`` wires it: an upload lands in the bucket; with the store gone, the upload
answers 503 in the asked language and the session gains nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import create_app
from assistant.interview.runtime import assemble, open_session_store
from assistant.settings import Settings
from tests.api.conftest import make_settings, start_session
from tests.utils.s3 import S3Server, s3_fixture

LEDGER = "服务台账（2025年1月—2025年6月）\n甲公司，融资对接，2025-03-02\n".encode()


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    yield from s3_fixture()


@pytest.fixture
def served(tmp_path: Path, s3_server: S3Server) -> Iterator[tuple[TestClient, Settings, str]]:
    bucket = s3_server.make_bucket()
    env = s3_server.env(bucket, "evidence")
    settings = make_settings(
        tmp_path,
        blob_url=env["SMECMM_BLOB_URL"],
        s3_endpoint_url=s3_server.endpoint,
        s3_region=env["SMECMM_S3_REGION"],
        s3_access_key_id=env["SMECMM_S3_ACCESS_KEY_ID"],
        s3_secret_access_key=env["SMECMM_S3_SECRET_ACCESS_KEY"],
        s3_read_timeout=1.0,
        s3_max_attempts=2,
    )
    service = assemble(settings, open_session_store(settings)).service
    with TestClient(create_app(settings, service=service)) as client:
        yield client, settings, bucket


def _upload(client: TestClient, session: Any, language: str = "zh") -> Any:
    return client.post(
        f"/api/v1/sessions/{session.id}/evidence",
        files={"file": ("台账.txt", LEDGER, "text/plain")},
        headers={**session.auth, "Accept-Language": language},
    )


def test_an_upload_lands_in_the_bucket(
    served: tuple[TestClient, Settings, str], s3_server: S3Server
) -> None:
    client, settings, bucket = served
    session = start_session(client)

    response = _upload(client, session)

    assert response.status_code == 201, response.text
    digest = hashlib.sha256(LEDGER).hexdigest()
    key = f"evidence/{digest[:2]}/{digest[2:4]}/{digest}"
    assert s3_server.client().get_object(Bucket=bucket, Key=key)["Body"].read() == LEDGER
    assert not settings.evidence_dir.exists()  # nothing on the local disk


def test_with_the_store_gone_an_upload_is_503_and_keeps_nothing(
    served: tuple[TestClient, Settings, str], s3_server: S3Server
) -> None:
    client, _, _ = served
    session = start_session(client)
    before = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    s3_server.stop()
    try:
        answers = {language: _upload(client, session, language) for language in ("zh", "en")}
    finally:
        s3_server.start()

    for language, response in answers.items():
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "storage_unavailable"
        assert ("not saved" if language == "en" else "未保存") in error["message"]
    listed = client.get(f"/api/v1/sessions/{session.id}/evidence", headers=session.auth)
    assert listed.json()["evidence"] == []
    after = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    assert after == before  # no upload turn, no reply: the session is as it was
