"""Scripted applicants for the topology test: each runs interviews through the reverse proxy
(``RoundRobin``), answering every question and uploading a file now and then, and notes what
the API confirmed (a 2xx) so that the test can look for it afterwards.

A turn whose connection was cut (its worker killed mid-request) is not confirmed: the
applicant reads the session back, as a reloaded page would, and goes on from what it shows.
"""

from __future__ import annotations

import itertools
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

from tests.utils.evidence_files import image_bytes, pdf_bytes
from tests.utils.topology import RoundRobin

__all__ = ["Applicant", "Interview", "Upload", "address_headers", "status_for"]

API = "/api/v1"
# Mostly met, so that the ladder climbs and the interview goes on; now and then less.
_STATUSES = ("met", "met", "largely_met", "met", "partly_met", "met")
_UPLOAD_EVERY = 6  # turns
_RESYNC_ATTEMPTS = 5
_addresses = itertools.count(1)


def status_for(indicator_id: str) -> str:
    """The same answer for an indicator whichever time it is asked."""
    return _STATUSES[zlib.crc32(indicator_id.encode()) % len(_STATUSES)]


def address_headers() -> dict[str, str]:
    """A client address of its own for each request (X-Forwarded-For, the proxy is trusted):
    the low rate limit of the test is then met only where the test means to meet it."""
    n = next(_addresses)
    return {"X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}


@dataclass(frozen=True)
class Upload:
    session_id: str
    evidence_id: str
    sha256: str
    data: bytes


@dataclass
class Interview:
    """One session, and everything the API confirmed in it."""

    id: str
    token: str
    findings: dict[str, str] = field(default_factory=dict)  # indicator → status
    links: dict[str, set[str]] = field(default_factory=dict)  # evidence id → indicators
    uploads: list[Upload] = field(default_factory=list)
    last_evidence: str | None = None
    full_gap_asked: bool = False

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Applicant:
    number: int
    proxy: RoundRobin
    stop: threading.Event
    pace_s: float = 0.05
    interviews: list[Interview] = field(default_factory=list)
    reply: dict[str, Any] | None = None
    turns_sent: int = 0
    turns_confirmed: int = 0
    turns_cut: int = 0
    uploads_sent: int = 0
    refusals: list[str] = field(default_factory=list)  # 4xx: none expected

    @property
    def interview(self) -> Interview:
        return self.interviews[-1]

    def run(self, max_turns: int) -> None:
        """Turns until ``stop`` is set (or ``max_turns``, a bound should the test go wrong)."""
        while not self.stop.is_set() and self.turns_sent < max_turns:
            if self.reply is None:
                self._begin()
            else:
                self._turn()
            time.sleep(self.pace_s)

    # --- the conversation ----------------------------------------------------------------

    def _begin(self) -> None:
        response = self.proxy.request("POST", f"{API}/sessions", json={}, headers=address_headers())
        if response is None or not self._accepted(response, "start"):
            return  # cut: start another (the half-made session is the server's to prune)
        body = response.json()
        self.interviews.append(Interview(body["session_id"], body["token"]))
        self.reply = body["reply"]

    def _turn(self) -> None:
        assert self.reply is not None
        question = self.reply["question"]
        kind = question["kind"] if question else "done"
        if kind == "done":
            self._finish()
        elif kind in ("indicator", "checklist") and self.turns_sent % _UPLOAD_EVERY == 0:
            self._upload()
        else:
            self._answer(kind, question)

    def _finish(self) -> None:
        if self.interview.full_gap_asked:
            self.reply = None  # this interview is over: the next one begins
            return
        self.interview.full_gap_asked = True
        self._send({"quick_reply": "full_gap"}, {})

    def _answer(self, kind: str, question: dict[str, Any]) -> None:
        ids = [ref["id"] for ref in question["indicators"]]
        values = [choice["value"] for choice in question["quick_replies"]]
        if kind == "indicator":
            self._send({"quick_reply": status_for(ids[0])}, {ids[0]: status_for(ids[0])})
        elif kind == "checklist":
            answers = {i: status_for(i) for i in ids}
            self._send({"answers": answers}, answers)
        elif kind == "evidence":
            self._link(ids)
        elif kind == "profile":
            self._send(_profile_turn(question.get("field"), values), {})
        elif kind == "confirm":
            self._send({"quick_reply": "confirm"}, {})
        elif "skip" in values:
            self._send({"quick_reply": "skip"}, {})
        else:
            raise AssertionError(f"unexpected question {kind!r}: {values}")

    def _link(self, suggested: list[str]) -> None:
        evidence = self.interview.last_evidence
        if not suggested or evidence is None:
            self._send({"quick_reply": "link:none"}, {})
            return
        if self._send({"quick_reply": f"link:{suggested[0]}"}, {}):
            self.interview.links.setdefault(evidence, set()).add(suggested[0])

    def _send(self, turn: dict[str, Any], findings: dict[str, str]) -> bool:
        """One turn; True when the API confirmed it (its findings are then noted)."""
        path = f"{API}/sessions/{self.interview.id}/messages"
        headers = {**self.interview.auth, **address_headers()}
        self.turns_sent += 1
        response = self.proxy.request("POST", path, json=turn, headers=headers)
        if response is None:
            self._cut()
            return False
        if not self._accepted(response, f"turn {turn}"):
            return False
        self.turns_confirmed += 1
        self.interview.findings.update(findings)
        self.reply = response.json()["reply"]
        return True

    def _upload(self) -> None:
        name, data, media = _evidence_file(self.number, self.turns_sent)
        path = f"{API}/sessions/{self.interview.id}/evidence"
        headers = {**self.interview.auth, **address_headers()}
        self.turns_sent += 1
        self.uploads_sent += 1
        response = self.proxy.request(
            "POST", path, files={"file": (name, data, media)}, headers=headers
        )
        if response is None:
            self._cut()
            return
        if not self._accepted(response, f"upload {name}"):
            return
        self.turns_confirmed += 1
        body = response.json()
        record = body["evidence"]
        upload = Upload(self.interview.id, record["id"], record["sha256"], data)
        self.interview.uploads.append(upload)
        self.interview.last_evidence = record["id"]
        self.reply = body["reply"]

    def _accepted(self, response: Any, what: str) -> bool:
        if response.status_code < 300:
            return True
        if response.status_code < 500:  # 5xx are counted by the proxy's tally
            self.refusals.append(f"{what} → {response.status_code}: {response.text[:300]}")
        return False

    def _cut(self) -> None:
        """The worker died mid-request: read the session back and go on from what it shows."""
        self.turns_cut += 1
        path = f"{API}/sessions/{self.interview.id}"
        for _ in range(_RESYNC_ATTEMPTS):
            headers = {**self.interview.auth, **address_headers()}
            response = self.proxy.request("GET", path, headers=headers)
            if response is not None and self._accepted(response, "read back"):
                view = response.json()
                self.reply = view["reply"]
                if view["evidence"]:
                    self.interview.last_evidence = view["evidence"][-1]["id"]
                return
        raise AssertionError(f"session {self.interview.id} could not be read back")


def _profile_turn(field_name: str | None, values: list[str]) -> dict[str, str]:
    for prefix, choice in (("type:", "type:public_service"), ("stars:", "stars:5")):
        if any(value.startswith(prefix) for value in values):
            return {"quick_reply": choice}
    texts = {"name": "县中小企业公共服务中心", "services": "融资对接、培训、政策咨询"}
    return {"text": texts.get(field_name or "", "300")}


def _evidence_file(applicant: int, turn: int) -> tuple[str, bytes, str]:
    """A small file of one of three types, its bytes unique to the applicant and turn."""
    tag = f"{applicant}-{turn}"
    match turn // _UPLOAD_EVERY % 3:
        case 0:
            text = f"服务台账 {tag}\n企业名称，服务内容，服务日期\n甲公司，融资对接，2025-03-02\n"
            return f"台账-{tag}.txt", text.encode(), "text/plain"
        case 1:
            pages = [[f"服务流程规范 {tag}", "第一条 受理：当日登记。", "第二条 五日内答复。"]]
            return f"制度-{tag}.pdf", pdf_bytes(pages, title=f"制度 {tag}"), "application/pdf"
        case _:
            size = (40 + applicant, 30 + turn % 50)
            return f"照片-{tag}.png", image_bytes("PNG", size), "image/png"
