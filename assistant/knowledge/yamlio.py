"""Reading YAML and JSON data files into strict models, with errors that say where."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

__all__ = ["format_validation_error", "load_model", "read_data_file"]

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_data_file(path: Path) -> Any:
    """Parse a ``.yaml``/``.yml``/``.json`` file; raise ``ValueError`` saying where it broke."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValueError(f"{str(path)!r}: file not found / 文件不存在") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{str(path)!r}: not UTF-8 text / 不是 UTF-8 文本") from exc
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{str(path)!r}: JSON syntax error at line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg} / JSON 语法错误"
            ) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ValueError(
            f"{str(path)!r}: YAML syntax error{where}: {problem} / YAML 语法错误"
        ) from exc


def _dotted(location: Sequence[int | str]) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def format_validation_error(source: str, error: ValidationError, data: Any = None) -> str:
    """One line per problem: ``file: path.in.file: reason``, with ids where they help."""
    lines = []
    for problem in error.errors():
        location = _dotted(problem["loc"])
        hint = _identify(data, problem["loc"])
        lines.append(f"{source!r}: {location}{hint}: {problem['msg']}")
    return "\n".join(lines)


def _identify(data: Any, location: Sequence[int | str]) -> str:
    """Name the record a list index points into (``indicators[3]`` is id 'SS-1-04')."""
    node = data
    found = ""
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict) and "id" in node:
            found = f" (id {node['id']!r})"
    return found


def load_model(path: Path, model: type[ModelT], **extra: Any) -> ModelT:
    data = read_data_file(path)
    if not isinstance(data, dict):
        raise ValueError(f"{str(path)!r}: expected a mapping at the top level / 顶层应为映射")
    try:
        return model.model_validate({**data, **extra})
    except ValidationError as exc:
        raise ValueError(format_validation_error(str(path), exc, data)) from exc
