"""A broken knowledge file fails with the file name, the path inside it and the reason."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.errors import KnowledgeError
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules

Mutation = Callable[[Any], Any]


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_knowledge_dir() / "rules", target)
    return target


def edit_yaml(path: Path, mutate: Mutation) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(mutate(data), allow_unicode=True), encoding="utf-8")


def first_indicator(change: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(data: Any) -> Any:
        change(data["indicators"][0])
        return data

    return mutate


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda record: record.__setitem__(key, value)


INDICATOR_CASES = [
    ("unknown key", first_indicator(_set("colour", "red")), r"indicators\[0\]\.colour", "Extra"),
    ("bad id", first_indicator(_set("id", "SS-9-1")), r"indicators\[0\]\.id", "AREA-LEVEL-NN"),
    ("level", first_indicator(_set("level", 6)), r"indicators\[0\]\.level", "Input should be"),
    (
        "evidence kind",
        first_indicator(lambda r: r["evidence"][0].__setitem__("kind", "photo")),
        r"indicators\[0\]\.evidence\[0\]\.kind",
        "Input should be",
    ),
    (
        "missing title",
        first_indicator(lambda r: r.pop("title")),
        r"indicators\[0\]\.title",
        "Field required",
    ),
    ("weight", first_indicator(_set("weight", -1)), r"indicators\[0\]\.weight", "greater than 0"),
    ("clause", first_indicator(_set("clause", "see 6")), r"indicators\[0\]\.clause", "clause"),
]


@pytest.mark.parametrize(
    ("name", "mutate", "where", "why"), INDICATOR_CASES, ids=[c[0] for c in INDICATOR_CASES]
)
def test_broken_indicator_file_names_file_path_and_reason(
    rules_dir: Path, name: str, mutate: Mutation, where: str, why: str
) -> None:
    edit_yaml(rules_dir / "indicators" / "SS.yaml", mutate)
    with pytest.raises(KnowledgeError) as raised:
        load_catalog(rules_dir)
    message = str(raised.value)
    assert "SS.yaml" in message
    assert re.search(where, message), message
    assert why in message


def test_error_names_the_indicator_id_of_the_broken_record(rules_dir: Path) -> None:
    edit_yaml(rules_dir / "indicators" / "SD.yaml", first_indicator(_set("core", "often")))
    with pytest.raises(KnowledgeError, match=r"indicators\[0\]\.core \(id 'SD-1-01'\)"):
        load_catalog(rules_dir)


def test_yaml_syntax_error_names_the_line(rules_dir: Path) -> None:
    path = rules_dir / "indicators" / "SO.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"SO\.yaml.*YAML syntax error at line \d+"):
        load_catalog(rules_dir)


def test_duplicate_id_across_files_is_refused(rules_dir: Path) -> None:
    source = yaml.safe_load((rules_dir / "indicators" / "SS.yaml").read_text(encoding="utf-8"))
    copy = {"area": "SS", "indicators": [source["indicators"][0]]}
    (rules_dir / "indicators" / "SS-extra.yaml").write_text(
        yaml.safe_dump(copy, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError, match="'SS-1-01' appears twice"):
        load_catalog(rules_dir)


def test_indicator_in_the_wrong_area_file_is_refused(rules_dir: Path) -> None:
    def move(data: Any) -> Any:
        data["area"] = "SD"
        return data

    edit_yaml(rules_dir / "indicators" / "SS.yaml", move)
    with pytest.raises(KnowledgeError, match="not the file's area 'SD'"):
        load_catalog(rules_dir)


def test_unknown_item_and_characteristic_are_refused(rules_dir: Path) -> None:
    def change(record: dict[str, Any]) -> None:
        record["item"] = "SS.9"
        record["characteristics"] = ["L1-C9"]

    edit_yaml(rules_dir / "indicators" / "SS.yaml", first_indicator(change))
    with pytest.raises(KnowledgeError) as raised:
        load_catalog(rules_dir)
    assert "'SS.9'" in str(raised.value) and "'L1-C9'" in str(raised.value)


RULES_CASES = [
    ("missing score", lambda d: d["scores"].pop("partly_met") and d, "scores lack"),
    ("rising scores", lambda d: d["scores"].update(not_met=0.9) or d, "must not rise"),
    ("threshold", lambda d: d.update(threshold=1.5) or d, "threshold"),
    ("unknown key", lambda d: d.update(treshold=0.7) or d, "treshold"),
]


@pytest.mark.parametrize(("name", "mutate", "why"), RULES_CASES, ids=[c[0] for c in RULES_CASES])
def test_broken_rules_file(rules_dir: Path, name: str, mutate: Mutation, why: str) -> None:
    edit_yaml(rules_dir / "rules.yaml", mutate)
    with pytest.raises(KnowledgeError) as raised:
        load_rules(rules_dir)
    assert "rules.yaml" in str(raised.value) and why in str(raised.value)


def test_missing_catalog_file(rules_dir: Path) -> None:
    (rules_dir / "catalog.yaml").unlink()
    with pytest.raises(KnowledgeError, match="catalog.yaml.*not found"):
        load_catalog(rules_dir)


def test_top_level_not_a_mapping(rules_dir: Path) -> None:
    (rules_dir / "catalog.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="catalog.yaml.*mapping"):
        load_catalog(rules_dir)


def test_hash_ignores_formatting_and_follows_content(rules_dir: Path) -> None:
    before = load_catalog(rules_dir).content_hash
    edit_yaml(rules_dir / "indicators" / "CSI.yaml", lambda data: data)  # re-dumped, reformatted
    assert load_catalog(rules_dir).content_hash == before
    edit_yaml(rules_dir / "indicators" / "CSI.yaml", first_indicator(_set("weight", 1.25)))
    assert load_catalog(rules_dir).content_hash != before


def test_rules_hash_follows_content(rules_dir: Path) -> None:
    before = load_rules(rules_dir).content_hash
    assert before.startswith("sha256:")
    edit_yaml(rules_dir / "rules.yaml", lambda d: d.update(threshold=0.85) or d)
    assert load_rules(rules_dir).content_hash != before
