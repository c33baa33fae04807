"""Catalog migrations: ``knowledge/rules/migrations/<from>-to-<to>.yaml``.

A migration file maps every indicator id of the old catalog to its id(s) in the new one (the
same id when the meaning is unchanged, the owner's id when merged, several when split, ``[]``
when retired), and every clause of the reference rendition that moved or was renumbered to
its new number. An id never changes meaning: an old id that still exists in the new catalog
must map (at least) to itself.

Validation (``check_migration``): ids and clause numbers well formed; every new id exists in
the new catalog; every clause target exists in the new rendition; when the old catalog is at
hand, every old id appears exactly once (YAML keys are unique: a repeated key is refused when
the file is read). ``resolve_clause`` turns an old clause number, as stored in an old reply's
citation, into the number the current rendition uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError, field_validator

from assistant.errors import KnowledgeError
from assistant.knowledge.schema import Catalog, StrictModel
from assistant.knowledge.standard import StandardDocument
from assistant.knowledge.yamlio import format_validation_error

__all__ = [
    "CatalogMigration",
    "check_migration",
    "find_migration",
    "load_migration",
    "resolve_clause",
]

_ID = re.compile(r"^(SS|SD|ST|SO|CSI)-[1-5]-\d{2}$")
_CLAUSE = re.compile(r"^(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)$")


class CatalogMigration(StrictModel):
    from_version: str
    to_version: str
    indicators: dict[str, tuple[str, ...]]
    clauses: dict[str, str] = {}

    @field_validator("indicators")
    @classmethod
    def _ids(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for old, new in value.items():
            for ident in (old, *new):
                if not _ID.match(ident):
                    raise ValueError(f"{ident!r} is not an indicator id / 不是指标编号")
            if len(set(new)) != len(new):
                raise ValueError(f"{old!r} names a new id twice / 新编号重复")
        return value

    @field_validator("clauses")
    @classmethod
    def _clauses(cls, value: dict[str, str]) -> dict[str, str]:
        for old, new in value.items():
            for number in (old, new):
                if not _CLAUSE.match(number):
                    raise ValueError(f"{number!r} is not a clause number / 不是条款编号")
        return value

    def targets(self, old_id: str) -> tuple[str, ...]:
        """The new ids of an old id (``()`` when retired); ``KeyError`` for an unknown id."""
        return self.indicators[old_id]

    def sources(self, new_id: str) -> tuple[str, ...]:
        """The old ids whose findings carry onto ``new_id``, in the file's order."""
        return tuple(old for old, new in self.indicators.items() if new_id in new)

    @property
    def retired(self) -> tuple[str, ...]:
        return tuple(old for old, new in self.indicators.items() if not new)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a repeated key instead of keeping the last one."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"repeated key {key!r} / 键重复", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_migration(path: Path) -> CatalogMigration:
    """Read one migration file into its strict model (file, path and reason on error)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{str(path)!r}: file not found / 文件不存在") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{str(path)!r}: {exc} / YAML 错误") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{str(path)!r}: expected a mapping / 顶层应为映射")
    try:
        return CatalogMigration.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(format_validation_error(str(path), exc, data)) from exc


def find_migration(rules_dir: Path, to_version: str) -> CatalogMigration:
    """The migration file of ``rules_dir/migrations/`` that leads to ``to_version``."""
    found = [
        migration
        for path in sorted((rules_dir / "migrations").glob("*.yaml"))
        if (migration := load_migration(path)).to_version == to_version
    ]
    if len(found) != 1:
        raise KnowledgeError(
            f"{len(found)} 个迁移文件通向版本 {to_version!r}，应恰好一个",
            en=f"{len(found)} migration files lead to version {to_version!r}; need exactly one",
        )
    return found[0]


def check_migration(
    migration: CatalogMigration,
    new: Catalog,
    documents: Iterable[StandardDocument] = (),
    *,
    old: Catalog | None = None,
) -> list[str]:
    """Every problem of a migration against the new catalog (and the old one, when given)."""
    problems: list[str] = []
    new_ids = {i.id for i in new.indicators}
    if new.version != migration.to_version:
        problems.append(
            f"to_version {migration.to_version!r} is not the catalog's {new.version!r} / 版本不符"
        )
    for old_id, targets in migration.indicators.items():
        for target in targets:
            if target not in new_ids:
                problems.append(f"{old_id} → {target}: not in the new catalog / 新目录无此指标")
        if old_id in new_ids and old_id not in targets:
            problems.append(
                f"{old_id} still exists in the new catalog but maps elsewhere: an id never "
                "changes meaning / 编号含义不得改变"
            )
    if old is not None:
        if old.version != migration.from_version:
            problems.append(
                f"from_version {migration.from_version!r} is not the old catalog's "
                f"{old.version!r} / 版本不符"
            )
        old_ids = {i.id for i in old.indicators}
        missing = sorted(old_ids - migration.indicators.keys())
        unknown = sorted(migration.indicators.keys() - old_ids)
        if missing:
            problems.append(f"old ids without a mapping / 旧指标未列出: {', '.join(missing)}")
        if unknown:
            problems.append(f"ids not in the old catalog / 旧目录无此指标: {', '.join(unknown)}")
    clauses = {c.number for document in documents for c in document.clauses}
    if clauses:
        for old_clause, target in migration.clauses.items():
            if target not in clauses:
                problems.append(
                    f"clause {old_clause} → {target}: not in the rendition / 参考文本无此条款"
                )
    return problems


def resolve_clause(number: str, migration: CatalogMigration | None) -> str:
    """An old reply's clause number as the current rendition numbers it (unchanged if kept)."""
    if migration is None:
        return number
    return migration.clauses.get(number, number)
