"""A whole English interview through the API: every reply, every button, the panel's payload,
the reports (Markdown, Word, PDF) and ``smecmm rate --lang en`` carry no Chinese — except the
standard's own title and what the user typed."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli.main import app as cli
from tests.api.conftest import Session, start_session
from tests.api.test_verdict_everywhere import pdf_text, report

# CJK ideographs, CJK punctuation and full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
TITLE = "《中小企业服务 服务机构 通用能力成熟度模型》"  # the standard's own title
USER_WORDS = ("县中小企业服务中心",)  # typed by the user: the English session keeps them
PLAN = b"Annual work plan 2026\nIssued 2026-01-15, signed by the director.\n"
FREE_TEXT = "Yes, we keep a written annual plan, signed by the director."


def chinese_in(text: str) -> list[str]:
    for allowed in (TITLE, *USER_WORDS):
        text = text.replace(allowed, "")
    return sorted({m.group() for m in re.finditer(r"\S*" + CJK.pattern + r"\S*", text)})


class EnglishSession:
    """Drives the session and checks every reply it gets."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.session: Session = start_session(client, language="en")
        self.replies: list[dict[str, Any]] = []

    def send(self, **turn: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1/sessions/{self.session.id}/messages", json=turn, headers=self.session.auth
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        reply: dict[str, Any] = body.get("reply", body)
        self.check(reply)
        return reply

    def upload(self, name: str, data: bytes) -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1/sessions/{self.session.id}/evidence",
            files={"file": (name, data, "text/plain")},
            headers=self.session.auth,
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        reply: dict[str, Any] = body.get("reply", body)
        self.check(reply)
        return reply

    def check(self, reply: dict[str, Any]) -> None:
        self.replies.append(reply)
        shown = json.dumps(reply, ensure_ascii=False)
        assert chinese_in(shown) == [], (reply["text"][:300], chinese_in(shown))

    def answer(self, reply: dict[str, Any], turn: int) -> dict[str, Any]:
        question = reply["question"]
        ids = [i["id"] for i in question["indicators"]]
        statuses = ["met", "partly_met", "largely_met", "not_met"]
        match question["kind"]:
            case "indicator" if turn == 0:
                return self.send(text=FREE_TEXT)
            case "indicator":
                return self.send(quick_reply=statuses[turn % len(statuses)])
            case "checklist":
                picks = {i: statuses[(turn + n) % len(statuses)] for n, i in enumerate(ids)}
                return self.send(answers=picks)
            case "confirm":
                return self.send(quick_reply="confirm")
            case "evidence":
                return self.send(quick_reply=f"link:{ids[0]}" if ids else "link:none")
        raise AssertionError(f"unexpected question {question['kind']!r}")


def run_interview(client: TestClient) -> EnglishSession:
    english = EnglishSession(client)
    english.send(text="Example County SME Service Centre (县中小企业服务中心)")
    english.send(quick_reply="type:public_service")
    english.send(text="Financing, training and policy advice")
    english.send(text="about 300")
    reply = english.send(quick_reply="stars:1")
    for command in ("progress", "help"):
        english.send(text=command)
    reply = english.upload("annual-plan.txt", PLAN)
    for turn in range(80):
        if reply["question"] is None or reply["question"]["kind"] == "done":
            break
        reply = english.answer(reply, turn)
        if turn == 3:
            english.send(text="report")  # the verdict mid-way, unanswered items grouped
    else:
        raise AssertionError("the one-star interview did not finish")
    english.send(text="report")
    return english


def test_a_whole_english_interview_shows_no_chinese(client: TestClient, tmp_path: Path) -> None:
    english = run_interview(client)
    session = english.session
    assert any(r["verdict"] for r in english.replies)  # the verdict was shown, and checked

    rating = client.get(f"/api/v1/sessions/{session.id}/rating", headers=session.auth).json()
    assert chinese_in(json.dumps(rating["verdict"], ensure_ascii=False)) == []

    md = report(client, session, "md").decode("utf-8")
    assert chinese_in(md) == []
    docx = zipfile.ZipFile(io.BytesIO(report(client, session, "docx")))
    assert chinese_in(re.sub(r"<[^>]+>", " ", docx.read("word/document.xml").decode())) == []
    assert chinese_in(pdf_text(report(client, session, "pdf"), tmp_path)) == []

    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    findings = {i: {"status": f["status"]} for i, f in view["findings"].items()}
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"findings": findings}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rate", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert chinese_in(result.output) == []
