"""Prompt templates as data: ``prompts/*.yaml`` loaded into strict models.

A file declares its variables once; each language (zh first, en second) has a ``system`` and
a ``user`` template written with ``$name`` placeholders (``$$`` for a dollar sign). Loading
fails when a template uses an undeclared variable or leaves a declared one out; rendering
fails when a value is missing or unknown. ``texts`` holds the few fixed sentences a use adds
to its output (labels, notes), under the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Annotated

from pydantic import Field, model_validator

from assistant.errors import ConfigurationError
from assistant.knowledge.schema import StrictModel
from assistant.knowledge.yamlio import load_model
from assistant.qa.models import Language

__all__ = [
    "REQUIRED_PROMPTS",
    "ChatTemplate",
    "PromptBook",
    "PromptFile",
    "PromptVariableError",
    "RenderedPrompt",
    "TextTemplate",
    "default_prompts_dir",
    "load_prompts",
    "placeholders",
    "shipped_prompts",
]

REQUIRED_PROMPTS = ("answer_mapping", "question_phrasing", "grounded_answer")

NonEmpty = Annotated[str, Field(min_length=1)]


class PromptVariableError(ValueError):
    """A template was rendered with a missing or an unknown variable."""


def default_prompts_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "prompts"


def placeholders(text: str) -> set[str]:
    """The ``$name`` variables ``text`` uses; ValueError on a stray ``$``."""
    template = Template(text)
    if not template.is_valid():
        raise ValueError("a '$' that is not a $name placeholder (write '$$' for a dollar sign)")
    return set(template.get_identifiers())


def _check_uses(where: str, texts: Mapping[str, str], declared: tuple[str, ...]) -> None:
    used: set[str] = set()
    for part, text in texts.items():
        names = placeholders(text)
        undeclared = sorted(names - set(declared))
        if undeclared:
            raise ValueError(f"{where}.{part} uses undeclared variables {undeclared!r}")
        used |= names
    unused = sorted(set(declared) - used)
    if unused:
        raise ValueError(f"{where} never uses the declared variables {unused!r}")


def _substitute(text: str, declared: tuple[str, ...], values: Mapping[str, object]) -> str:
    missing = sorted(set(declared) - set(values))
    unknown = sorted(set(values) - set(declared))
    if missing or unknown:
        raise PromptVariableError(f"missing variables {missing!r}, unknown variables {unknown!r}")
    return Template(text).substitute({name: str(value) for name, value in values.items()})


class ChatTemplate(StrictModel):
    system: NonEmpty
    user: NonEmpty


class TextTemplate(StrictModel):
    """A fixed sentence in both languages, with its own variables."""

    variables: tuple[str, ...] = ()
    zh: NonEmpty
    en: NonEmpty

    @model_validator(mode="after")
    def _uses_declared(self) -> TextTemplate:
        for language in ("zh", "en"):
            _check_uses(language, {"text": getattr(self, language)}, self.variables)
        return self

    def render(self, language: Language, **values: object) -> str:
        return _substitute(getattr(self, language), self.variables, values)


@dataclass(frozen=True)
class RenderedPrompt:
    system: str
    user: str


class PromptFile(StrictModel):
    version: int
    name: NonEmpty
    description: NonEmpty
    variables: tuple[str, ...]
    zh: ChatTemplate
    en: ChatTemplate
    texts: dict[str, TextTemplate] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _uses_declared(self) -> PromptFile:
        if len(set(self.variables)) != len(self.variables):
            raise ValueError("variables are declared more than once")
        for language in ("zh", "en"):
            chat: ChatTemplate = getattr(self, language)
            _check_uses(language, {"system": chat.system, "user": chat.user}, self.variables)
        return self

    def render(self, language: Language, **values: object) -> RenderedPrompt:
        chat: ChatTemplate = getattr(self, language)
        return RenderedPrompt(
            system=_substitute(chat.system, self.variables, values),
            user=_substitute(chat.user, self.variables, values),
        )

    def text(self, key: str, language: Language, **values: object) -> str:
        return self.texts[key].render(language, **values)


class PromptBook:
    """Every prompt file of a directory, by name."""

    def __init__(self, files: Mapping[str, PromptFile]) -> None:
        self._files = dict(files)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._files))

    def get(self, name: str) -> PromptFile:
        try:
            return self._files[name]
        except KeyError:
            raise KeyError(f"no prompt named {name!r}; have {self.names!r}") from None


def _load_file(path: Path) -> PromptFile:
    try:
        prompt = load_model(path, PromptFile)
    except ValueError as exc:
        raise ConfigurationError(
            f"提示词文件无效 / invalid prompt file: {exc}", en=f"invalid prompt file: {exc}"
        ) from exc
    if prompt.name != path.stem:
        raise ConfigurationError(
            f"{str(path)!r}: name {prompt.name!r} 与文件名不符 / does not match the file name",
            en=f"{str(path)!r}: name {prompt.name!r} does not match the file name",
        )
    return prompt


def load_prompts(directory: Path | None = None) -> PromptBook:
    """Load and check ``directory`` (default: the repository's ``prompts/``)."""
    directory = directory or default_prompts_dir()
    files = {path.stem: _load_file(path) for path in sorted(directory.glob("*.yaml"))}
    missing = [name for name in REQUIRED_PROMPTS if name not in files]
    if missing:
        raise ConfigurationError(
            f"提示词目录 {str(directory)!r} 缺少 {missing!r}",
            en=f"prompt directory {str(directory)!r} lacks {missing!r}",
        )
    return PromptBook(files)


@lru_cache(maxsize=1)
def shipped_prompts() -> PromptBook:
    """The repository's prompts, loaded once."""
    return load_prompts()
