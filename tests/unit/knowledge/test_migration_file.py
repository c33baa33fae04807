"""The migration file 2024.1 → 2.0: every old id once, every target real, clauses resolvable."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir, load_catalog
from assistant.knowledge.migration import (
    CatalogMigration,
    check_migration,
    find_migration,
    load_migration,
    resolve_clause,
)
from assistant.knowledge.standard import load_standard
from tests.utils.builders import catalog, indicator
from tests.utils.old_catalog import old_catalog

ROOT = default_knowledge_dir()


@pytest.fixture(scope="module")
def shipped() -> CatalogMigration:
    return find_migration(ROOT / "rules", "2.0")


def test_the_shipped_mapping_is_complete_and_resolves(shipped: CatalogMigration) -> None:
    new = load_catalog(ROOT / "rules")
    problems = check_migration(shipped, new, load_standard(ROOT / "standard"), old=old_catalog())
    assert problems == []
    assert (shipped.from_version, shipped.to_version) == ("2024.1", "2.0")
    assert len(shipped.indicators) == len(old_catalog().indicators) == 160


def test_the_project_rules_left_the_standards_numbering(shipped: CatalogMigration) -> None:
    for old in ("11.1", "12.1", "13.1"):
        assert resolve_clause(old, shipped).startswith("R.")
    assert resolve_clause("6.1.1", shipped) == "6.1.1"  # kept where it was
    assert resolve_clause("11.1", None) == "11.1"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_repeated_old_id_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'from_version: "1"\nto_version: "2"\nindicators:\n  SS-1-01: [SS-1-01]\n  SS-1-01: []\n',
    )
    with pytest.raises(KnowledgeError, match="repeated key 'SS-1-01'"):
        load_migration(path)


def test_malformed_ids_and_clauses_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'from_version: "1"\nto_version: "2"\nindicators:\n  SS-1: []\n')
    with pytest.raises(KnowledgeError, match=r"m\.yaml.*indicators.*not an indicator id"):
        load_migration(path)
    path = write(
        tmp_path,
        'from_version: "1"\nto_version: "2"\nindicators: {}\nclauses:\n  11.1: "R.1.1"\n',
    )
    with pytest.raises(KnowledgeError, match="clauses"):
        load_migration(path)  # an unquoted 11.1 is a number, not a clause


def test_the_checks_against_both_catalogs() -> None:
    new = catalog(indicator("SS-1-01"), indicator("SS-1-02")).model_copy(update={"version": "2"})
    old = catalog(indicator("SS-1-01"), indicator("SS-1-03")).model_copy(update={"version": "1"})
    migration = CatalogMigration(
        from_version="1",
        to_version="2",
        indicators={"SS-1-01": ("SS-1-09",), "SS-1-04": ()},
        clauses={"11.1": "R.9"},
    )
    problems = check_migration(migration, new, load_standard(ROOT / "standard"), old=old)
    text = "\n".join(problems)
    assert "SS-1-01 → SS-1-09: not in the new catalog" in text
    assert "still exists in the new catalog but maps elsewhere" in text
    assert "old ids without a mapping / 旧指标未列出: SS-1-03" in text
    assert "not in the old catalog / 旧目录无此指标: SS-1-04" in text
    assert "clause 11.1 → R.9: not in the rendition" in text


def test_exactly_one_file_must_lead_to_the_version(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    with pytest.raises(KnowledgeError, match="0 个迁移文件") as raised:
        find_migration(tmp_path, "2.0")
    assert "0 migration files" in raised.value.message("en")
