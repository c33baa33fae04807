"""``GET /api/v1/vocabulary``: every label the page shows, served once, cacheable."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.interview.service import InterviewService
from assistant.knowledge.schema import EvidenceKind, FindingStatus
from assistant.vocabulary import payload


def test_the_vocabulary_is_the_modules_labels_and_the_catalogs_areas(
    client: TestClient, service: InterviewService
) -> None:
    response = client.get("/api/v1/vocabulary")
    assert response.status_code == 200
    body = response.json()
    assert body == payload(service.catalog)
    assert set(body["statuses"]) == {s.value for s in FindingStatus}
    assert set(body["kinds"]) == {k.value for k in EvidenceKind}
    assert list(body["areas"]) == [a.code.value for a in service.catalog.areas]
    assert all(set(label) == {"zh", "en"} for table in body.values() for label in table.values())


def test_the_vocabulary_is_cacheable(client: TestClient) -> None:
    first = client.get("/api/v1/vocabulary")
    assert "public" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    again = client.get("/api/v1/vocabulary", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
