"""One session, every view of its verdict: the chat's 报告, the panel's payload
(``GET /rating``), the report (Markdown and the PDF's text) and ``smecmm rate`` on the same
findings name the same blockers in the same order, under the same headline with the score
and the pass mark — and count the same indicators."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.cli.main import app as cli
from tests.api.conftest import Session, start_session

INDICATOR = re.compile(r"\b(?:SS|SD|ST|SO|CSI)-\d-\d{2}\b")
CHAT_BLOCKER = re.compile(r"^- ((?:SS|SD|ST|SO|CSI)-\d-\d{2}) ", re.MULTILINE)


def send(client: TestClient, session: Session, **turn: Any) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/sessions/{session.id}/messages", json=turn, headers=session.auth
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body.get("reply", body)


def county_centre_scenario(client: TestClient) -> tuple[Session, dict[str, Any], list[str]]:
    """A county centre aiming at one star marks the first core 部分满足 and the next
    indicator 不满足, then types 报告. Returns the session, the 报告 reply and the two ids."""
    session = start_session(client)
    send(client, session, text="某县中小企业服务中心")
    send(client, session, quick_reply="type:public_service")
    send(client, session, quick_reply="skip")
    send(client, session, quick_reply="skip")
    reply = send(client, session, quick_reply="stars:1")
    core = reply["question"]["indicators"][0]
    assert core["core"], core
    reply = send(client, session, quick_reply="partly_met")
    question = reply["question"]
    other = question["indicators"][0]["id"]
    if question["kind"] == "checklist":
        send(client, session, answers={other: "not_met"})
    else:
        send(client, session, quick_reply="not_met")
    return session, send(client, session, text="报告"), [core["id"], other]


def report(client: TestClient, session: Session, fmt: str) -> bytes:
    response = client.get(
        f"/api/v1/sessions/{session.id}/report", params={"format": fmt}, headers=session.auth
    )
    assert response.status_code == 200, response.text
    return response.content


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def between(text: str, start: str, end: str) -> str:
    assert start in text, start
    rest = text.split(start, 1)[1]
    return rest.split(end, 1)[0] if end in rest else rest


@pytest.fixture
def scenario(client: TestClient) -> tuple[Session, dict[str, Any], list[str]]:
    return county_centre_scenario(client)


def test_the_same_blockers_in_the_same_order_everywhere(
    client: TestClient,
    scenario: tuple[Session, dict[str, Any], list[str]],
    tmp_path: Path,
) -> None:
    session, chat, (core, other) = scenario
    rating = client.get(f"/api/v1/sessions/{session.id}/rating", headers=session.auth).json()
    panel = rating["verdict"]["declared"]
    holding = [a for a in panel["areas"] if a["holding"]]
    expected = [b["indicator_id"] for a in holding for b in a["blockers"]]
    first = holding[0]
    groups = [b["group"] for b in first["blockers"]]
    assert sorted(expected[:2]) == sorted([core, other]) and groups[0] == "core"
    assert groups == sorted(groups, key=["core", "score", "evidence"].index)
    level = next(a for a in rating["declared"]["areas"] if a["area"] == first["area"])["levels"][0]
    headline = f"服务战略 一星：得分 {level['score']:.2f}，需达到 {level['threshold']:.2f}"
    assert first["headline"] == headline

    # the chat's 报告 (the reply carries the same verdict the panel renders)
    assert chat["verdict"]["declared"] == panel
    assert CHAT_BLOCKER.findall(chat["text"]) == expected
    assert headline in chat["text"]

    # the report: the declared plan in Markdown, and in the PDF's text
    md = report(client, session, "md").decode("utf-8")
    plan = between(md, "### 申报口径：迈向一星", "## 四、")
    assert headline in plan
    assert re.findall(r"^\| ((?:SS|SD|ST|SO|CSI)-\d-\d{2}) \|", plan, re.M) == expected
    text = pdf_text(report(client, session, "pdf"), tmp_path)
    pdf_plan = between(text, "申报口径：迈向一星", "四、逐项发现与证据")
    assert headline in pdf_plan
    assert INDICATOR.findall(pdf_plan)[: len(expected)] == expected

    # smecmm rate on the session's findings
    view = client.get(f"/api/v1/sessions/{session.id}", headers=session.auth).json()
    findings = {i: {"status": f["status"]} for i, f in view["findings"].items()}
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"findings": findings}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["rate", str(path)])
    assert result.exit_code == 0, result.output
    declared = between(result.output, "申报口径 · 升到一星还差", "证据口径：")
    assert headline in declared
    assert INDICATOR.findall(declared) == expected


def test_every_view_counts_the_indicators_in_scope(
    client: TestClient, scenario: tuple[Session, dict[str, Any], list[str]]
) -> None:
    session, chat, _ = scenario
    progress = chat["progress"]
    coverage = chat["verdict"]["coverage"]
    assert (coverage["rated"], coverage["total"]) == (progress["answered"], progress["total"])
    for area, counts in progress["by_area"].items():
        assert coverage["by_area"][area] == [counts["answered"], counts["total"]]
    said = f"已评估 {progress['answered']}/{progress['total']} 项指标"
    assert chat["verdict"]["coverage_text"] == said and said in chat["text"]
    md = report(client, session, "md").decode("utf-8")
    assert said in md
    for area, counts in progress["by_area"].items():
        assert re.search(rf"（{area}） \|.*\| {counts['answered']}/{counts['total']} \|", md), area
