"""The catalog workbook over HTTP: an admin exports it, edits it, imports it back."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.settings import Settings
from tests.api.conftest import make_settings
from tests.utils.api import Keys

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), target)
    return target


@pytest.fixture
def settings(tmp_path: Path, knowledge: Path) -> Settings:
    """The app of tests/api/conftest.py, on a copy of the knowledge it may rewrite."""
    return make_settings(tmp_path, knowledge_dir=knowledge)


def snapshot(rules_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(rules_dir)): p.read_bytes() for p in rules_dir.rglob("*.yaml")}


def export(client: TestClient, keys: Keys) -> bytes:
    response = client.get("/api/v1/admin/catalog.xlsx", headers={"X-API-Key": keys.admin})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert "catalog.xlsx" in response.headers["content-disposition"]
    return response.content


def upload(client: TestClient, keys: Keys, data: bytes, **params: str) -> Any:
    return client.post(
        "/api/v1/admin/catalog",
        files={"file": ("catalog.xlsx", data, XLSX)},
        params=params,
        headers={"X-API-Key": keys.admin, "Accept-Language": "en"},
    )


def retitle(data: bytes, title: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("title_zh") + 1).value = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_changes_nothing(
    client: TestClient, keys: Keys, knowledge: Path
) -> None:
    before = snapshot(knowledge / "rules")
    response = upload(client, keys, export(client, keys))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["changed"] == [] and report["written"] is False
    assert report["catalog_version"] == load_catalog(knowledge / "rules").version
    assert report["indicators"] == len(load_catalog(knowledge / "rules").indicators)
    assert snapshot(knowledge / "rules") == before


def test_a_dry_run_reports_and_an_import_writes(
    client: TestClient, keys: Keys, knowledge: Path
) -> None:
    before = snapshot(knowledge / "rules")
    edited = retitle(export(client, keys), "经管理员修改的标题")
    dry = upload(client, keys, edited, dry_run="true").json()
    assert dry["dry_run"] is True and dry["written"] is False and len(dry["changed"]) == 1
    assert snapshot(knowledge / "rules") == before

    done = upload(client, keys, edited).json()
    assert done["written"] is True and done["changed"] == dry["changed"]
    titles = [i.title.zh for i in load_catalog(knowledge / "rules").indicators]
    assert "经管理员修改的标题" in titles


def test_a_broken_workbook_is_refused_with_every_place_named(
    client: TestClient, keys: Keys, knowledge: Path
) -> None:
    before = snapshot(knowledge / "rules")
    book = load_workbook(io.BytesIO(export(client, keys)))
    sheet = book["indicators"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("weight") + 1).value = "heavy"
    sheet.cell(row=4, column=header.index("scoring_met") + 1).value = None
    out = io.BytesIO()
    book.save(out)

    response = upload(client, keys, out.getvalue())

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_workbook"
    assert "nothing was written" in error["message"]
    places = {(p["sheet"], p["row"], p["column"]) for p in error["problems"]}
    assert {("indicators", 3, "weight"), ("indicators", 4, "scoring_met")} <= places
    assert all(p["message_zh"] and p["message_en"] for p in error["problems"])
    assert snapshot(knowledge / "rules") == before


def test_a_file_that_is_no_workbook_is_refused(client: TestClient, keys: Keys) -> None:
    response = upload(client, keys, b"just text")
    assert response.status_code == 422
    assert response.json()["error"]["problems"][0]["message_en"] == "not an .xlsx workbook"
