"""The scoring guidance (评分细则) reaches assessors over the API: the catalog and the review."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.knowledge.schema import Catalog
from tests.api.conftest import Session
from tests.utils.api import Keys


def test_the_catalog_gives_each_indicator_its_scoring_guidance(
    client: TestClient, real_catalog: Catalog
) -> None:
    body = client.get("/api/v1/catalog").json()
    served = {i["id"]: i for i in body["indicators"]}
    for indicator in real_catalog.indicators:
        assert served[indicator.id]["scoring"] == indicator.scoring.model_dump()
        english = indicator.scoring_en.model_dump() if indicator.scoring_en else None
        assert served[indicator.id]["scoring_en"] == english


def test_an_assessor_reviews_an_indicator_with_its_guidance_and_finding(
    client: TestClient, session: Session, keys: Keys, real_catalog: Catalog
) -> None:
    indicator = real_catalog.indicator("SO-1-02")
    headers = {"X-API-Key": keys.assessor}
    client.put(
        f"/api/v1/sessions/{session.id}/findings/{indicator.id}",
        json={"status": "largely_met", "reason": "抽查台账，缺两笔。"},
        headers=headers,
    )

    response = client.get(f"/api/v1/sessions/{session.id}/findings/{indicator.id}", headers=headers)

    assert response.status_code == 200
    review = response.json()
    assert review["indicator"]["scoring"]["sample"] == indicator.scoring.sample
    assert review["indicator"]["scoring"]["met"] == indicator.scoring.met
    assert review["finding"]["status"] == "largely_met"
    assert [c["reason"] for c in review["changes"]] == ["抽查台账，缺两笔。"]
    assert review["evidence"] == []


def test_reviewing_an_unknown_indicator_is_refused(
    client: TestClient, session: Session, keys: Keys
) -> None:
    response = client.get(
        f"/api/v1/sessions/{session.id}/findings/XX-9-99", headers={"X-API-Key": keys.assessor}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "findings_error"
