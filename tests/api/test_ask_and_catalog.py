"""Questions about the standard, and the catalog of indicators and rule versions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.knowledge.schema import Catalog, RuleSet
from tests.utils.api import FakeAnswerer, parse_sse


def test_ask_returns_the_answer_with_citations(client: TestClient, answerer: FakeAnswerer) -> None:
    response = client.post("/api/v1/ask", json={"question": "  四星对数据有什么要求？ ", "k": 3})

    assert response.status_code == 200
    answer = response.json()
    assert answer["covered"] is True
    assert answer["citations"][0]["clause"] == "9.4.2"
    assert answerer.questions == [("四星对数据有什么要求？", 3)]


def test_an_uncovered_question_says_so(client: TestClient) -> None:
    response = client.post("/api/v1/ask", json={"question": "明天天气怎么样？"})

    assert response.status_code == 200
    assert response.json()["covered"] is False
    assert response.json()["citations"] == []


def test_ask_streams_deltas_then_the_answer(client: TestClient) -> None:
    response = client.post(
        "/api/v1/ask",
        json={"question": "四星对数据有什么要求？"},
        headers={"Accept": "text/event-stream"},
    )

    assert response.status_code == 200
    events = parse_sse(response.text)
    assert [name for name, _ in events][-2:] == ["answer", "done"]
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert len(deltas) >= 2
    final = events[-2][1]
    assert "".join(deltas) == final["text"]
    assert final["citations"][0]["clause"] == "9.4.2"
    assert events[-1][1] == {}


def test_the_catalog_lists_every_indicator_and_the_versions(
    client: TestClient, real_catalog: Catalog, real_rules: RuleSet
) -> None:
    response = client.get("/api/v1/catalog")

    assert response.status_code == 200
    body = response.json()
    assert len(body["indicators"]) == len(real_catalog.indicators)
    assert [a["code"] for a in body["areas"]] == ["SS", "SD", "ST", "SO", "CSI"]
    assert len(body["levels"]) == 5
    assert body["versions"] == {
        "standard": real_catalog.standard,
        "catalog_version": real_catalog.version,
        "catalog_hash": real_catalog.content_hash,
        "rules_version": real_rules.version,
        "rules_hash": real_rules.content_hash,
        "threshold": real_rules.threshold,
    }
    with_evidence = next(i for i in body["indicators"] if i["evidence"])
    assert with_evidence["evidence"][0]["class"] in ("direct", "indirect")
    assert response.headers["cache-control"] == "public, max-age=300"


def test_the_catalog_filters_by_area_and_level(client: TestClient, real_catalog: Catalog) -> None:
    response = client.get("/api/v1/catalog", params={"area": "SO", "level": 3})

    ids = [i["id"] for i in response.json()["indicators"]]
    expected = [i.id for i in real_catalog.indicators if i.area == "SO" and i.level == 3]
    assert ids == expected and ids
    assert all(i.startswith("SO-3-") for i in ids)


def test_an_unchanged_catalog_is_304(client: TestClient) -> None:
    first = client.get("/api/v1/catalog")

    again = client.get("/api/v1/catalog", headers={"If-None-Match": first.headers["etag"]})
    filtered = client.get(
        "/api/v1/catalog", params={"level": 2}, headers={"If-None-Match": first.headers["etag"]}
    )

    assert again.status_code == 304
    assert again.content == b""
    assert filtered.status_code == 200


def test_a_bad_filter_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/catalog", params={"area": "XX"})

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "query.area"
