"""Prompt files: strict models, every template rendered with its variables, loud failures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.errors import ConfigurationError
from assistant.llm.prompts import (
    REQUIRED_PROMPTS,
    PromptFile,
    PromptVariableError,
    default_prompts_dir,
    load_prompts,
    shipped_prompts,
)

SHIPPED = shipped_prompts()
LANGUAGES = ("zh", "en")
_LEFTOVER = re.compile(r"\$\{?[A-Za-z_]")


def _values(prompt: PromptFile) -> dict[str, str]:
    return {name: f"«{name}»" for name in prompt.variables}


@pytest.mark.parametrize("name", SHIPPED.names)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_every_declared_variable(name: str, language: str) -> None:
    prompt = SHIPPED.get(name)
    rendered = prompt.render(language, **_values(prompt))  # type: ignore[arg-type]
    both = rendered.system + rendered.user
    for value in _values(prompt).values():
        assert value in both
    assert not _LEFTOVER.search(both)


@pytest.mark.parametrize("name", SHIPPED.names)
@pytest.mark.parametrize("language", LANGUAGES)
def test_rendering_fails_on_a_missing_or_an_unknown_variable(name: str, language: str) -> None:
    prompt = SHIPPED.get(name)
    values = _values(prompt)
    dropped = dict(list(values.items())[1:])
    with pytest.raises(PromptVariableError, match="missing"):
        prompt.render(language, **dropped)  # type: ignore[arg-type]
    with pytest.raises(PromptVariableError, match="unknown variables \\['surplus'\\]"):
        prompt.render(language, **values, surplus="x")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", SHIPPED.names)
def test_texts_render_in_both_languages(name: str) -> None:
    for key, text in SHIPPED.get(name).texts.items():
        values = {variable: f"«{variable}»" for variable in text.variables}
        for language in LANGUAGES:
            rendered = SHIPPED.get(name).text(key, language, **values)  # type: ignore[arg-type]
            assert rendered and not _LEFTOVER.search(rendered)
        if text.variables:
            with pytest.raises(PromptVariableError):
                text.render("zh")


def test_the_shipped_set_is_complete_and_chinese_first() -> None:
    assert set(REQUIRED_PROMPTS) <= set(SHIPPED.names)
    for path in sorted(default_prompts_dir().glob("*.yaml")):
        keys = list(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert keys.index("zh") < keys.index("en"), path.name
        assert re.search(r"[\u4e00-\u9fff]", SHIPPED.get(path.stem).zh.system)


def _write(directory: Path, name: str, data: dict[str, object]) -> None:
    (directory / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def _shipped_copy(directory: Path) -> None:
    for path in default_prompts_dir().glob("*.yaml"):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")


def _minimal(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": 1,
        "name": "answer_mapping",
        "description": "d",
        "variables": ["answer"],
        "zh": {"system": "系统", "user": "回答：$answer"},
        "en": {"system": "system", "user": "Answer: $answer"},
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"zh": {"system": "系统 $question", "user": "$answer"}}, "undeclared variables"),
        ({"variables": ["answer", "profile"]}, "never uses the declared variables"),
        ({"en": {"system": "costs $5", "user": "$answer"}}, "not a \\$name placeholder"),
        ({"temperature": 0.2}, "Extra inputs are not permitted"),
        ({"en": None}, "en: Input should be"),
        ({"name": "other"}, "does not match the file name"),
    ],
)
def test_a_bad_prompt_file_fails_loudly_naming_the_file(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    _shipped_copy(tmp_path)
    _write(tmp_path, "answer_mapping", _minimal(**changes))
    with pytest.raises(ConfigurationError, match=expected) as caught:
        load_prompts(tmp_path)
    assert "answer_mapping.yaml" in str(caught.value)


def test_a_missing_prompt_file_is_named(tmp_path: Path) -> None:
    _shipped_copy(tmp_path)
    (tmp_path / "grounded_answer.yaml").unlink()
    with pytest.raises(ConfigurationError, match="grounded_answer"):
        load_prompts(tmp_path)


def test_an_edited_file_is_what_gets_rendered(tmp_path: Path) -> None:
    _shipped_copy(tmp_path)
    _write(tmp_path, "answer_mapping", _minimal())
    book = load_prompts(tmp_path)
    assert book.get("answer_mapping").render("zh", answer="有").user == "回答：有"
    with pytest.raises(KeyError, match="no prompt named"):
        book.get("nothing")
