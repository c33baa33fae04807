"""Issue 13, done when: on a real server, a checklist answer built to make a regular
expression backtrack ("1", 170 spaces, "x": 7.5 s before the fix, and every other request
stalled with it) is answered within 2 s, and a catalog request sent meanwhile within 1 s.

Run with ``-s`` to see the measured times."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.utils.live_server import LiveApp, build_app, live_settings, serve_app

ANSWER_WITHIN_S = 2.0
CATALOG_WITHIN_S = 1.0
PROFILE = {
    "name": "深圳市示例中小企业服务中心",
    "institution_type": "market",
    "service_fields": "融资对接",
    "smes_served_per_year": 300,
    "target_stars": 1,
}
HOSTILE = [
    pytest.param("1" + " " * 170 + "x", id="1-170-spaces-x"),
    pytest.param("1" + " " * 3998 + "x", id="1-3998-spaces-x"),
    pytest.param("1" + "\u3000" * 3998 + "x", id="1-3998-ideographic-spaces-x"),
    pytest.param("1、" * 1999 + "xx", id="4000-char-ref-list"),
    pytest.param("全" * 3999 + "x", id="4000-quantifiers"),
]


@dataclass
class Served:
    live: LiveApp
    client: httpx.Client

    def checklist_session(self) -> tuple[str, dict[str, str], list[str]]:
        """A new session standing at its first checklist question: (id, auth, indicator ids)."""
        started = self.client.post("/api/v1/sessions", json={"profile": PROFILE})
        assert started.status_code == 201, started.text
        session_id = started.json()["session_id"]
        auth = {"Authorization": f"Bearer {started.json()['token']}"}
        for _ in range(2):
            reply = self.send(session_id, auth, {"quick_reply": "met"})
        question = reply["question"]
        assert question["kind"] == "checklist"
        return session_id, auth, [ref["id"] for ref in question["indicators"]]

    def send(self, session_id: str, auth: dict[str, str], body: dict[str, Any]) -> Any:
        response = self.client.post(
            f"/api/v1/sessions/{session_id}/messages", json=body, headers=auth
        )
        assert response.status_code == 200, response.text
        return response.json()["reply"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    live = build_app(live_settings(tmp_path_factory.mktemp("data")))
    try:
        with serve_app(live.app) as server, httpx.Client(base_url=server.url, timeout=60) as c:
            served = Served(live, c)
            # The first free-text answer loads jieba's dictionary (a second or so), as after
            # any start: a server in service has done so long before an attacker arrives.
            session_id, auth, _ = served.checklist_session()
            served.send(session_id, auth, {"text": "我们有专门的台账"})
            yield served
    finally:
        live.close()


@dataclass
class CatalogWatch:
    """GETs the catalog over its own connection until stopped; keeps each latency."""

    url: str
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for _ in range(400):  # bounded, whatever happens
                if self._stop.is_set():
                    return
                started = time.perf_counter()
                self.statuses.append(client.get("/api/v1/catalog").status_code)
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.02)

    def __enter__(self) -> CatalogWatch:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        time.sleep(0.1)  # a first request lands before the answer does
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=40)


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_checklist_answer_is_answered_fast_while_the_catalog_answers(
    served: Served, text: str
) -> None:
    session_id, auth, _ = served.checklist_session()

    with CatalogWatch(str(served.client.base_url)) as watch:
        started = time.perf_counter()
        reply = served.send(session_id, auth, {"text": text})
        elapsed = time.perf_counter() - started
        time.sleep(0.1)  # one more catalog request after the answer

    slowest = max(watch.latencies)
    print(f"\n{len(text)} chars: answered in {elapsed:.3f} s, catalog at most {slowest:.3f} s")
    assert elapsed < ANSWER_WITHIN_S, f"answered after {elapsed:.2f} s"
    assert watch.statuses and set(watch.statuses) == {200}
    assert slowest < CATALOG_WITHIN_S, f"catalog took {slowest:.2f} s"
    assert reply["text"] and reply["question"]["kind"] in ("checklist", "confirm")


def test_a_plain_checklist_answer_still_records_on_the_live_server(served: Served) -> None:
    session_id, auth, ids = served.checklist_session()

    served.send(session_id, auth, {"text": "1满足  2 部分满足"})

    view = served.client.get(f"/api/v1/sessions/{session_id}", headers=auth).json()
    assert view["findings"][ids[0]]["status"] == "met"
    assert view["findings"][ids[1]]["status"] == "partly_met"
