"""``smecmm keys``: create, list and revoke API keys (assessor, admin) and site keys.

A key is shown once, when created; the store keeps only its SHA-256 (a random key of 256
bits needs no slow hash). Site keys carry the origins allowed to embed the chat and call the
API from a browser.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from assistant.cli.app import app, console, fail
from assistant.errors import AssistantError, ConfigurationError
from assistant.interview.runtime import open_session_store
from assistant.interview.service import hash_token
from assistant.settings import get_settings
from assistant.storage import ApiKeyRecord, KeyRole, SessionStore

__all__ = ["create", "issue_key", "keys_app", "list_keys", "normalise_origin", "revoke"]

keys_app = typer.Typer(help="API 密钥与站点密钥 / API and site keys", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_origin(url: str) -> str:
    """``https://Example.org:443/`` → ``https://example.org``: what browsers send as Origin."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or port == -1
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ConfigurationError(
            f"来源 {url!r} 应形如 https://example.org（协议、主机名和可选端口，不含路径）",
            en=f"origin {url!r} must look like https://example.org (scheme, host, optional "
            "port, no path)",
        )
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def issue_key(
    store: SessionStore,
    role: KeyRole,
    *,
    label: str | None = None,
    origins: tuple[str, ...] = (),
    now: datetime | None = None,
) -> tuple[str, ApiKeyRecord]:
    """A new random key and its stored record (hash only). Returns the key to show once."""
    if origins and role is not KeyRole.SITE:
        raise ConfigurationError(
            "只有站点密钥（--role site）可以登记来源",
            en="only site keys (--role site) take origins",
        )
    key = f"smecmm_{role.value}_{secrets.token_urlsafe(32)}"
    record = ApiKeyRecord(
        id=secrets.token_hex(6),
        role=role,
        key_hash=hash_token(key),
        label=label,
        origins=tuple(dict.fromkeys(normalise_origin(origin) for origin in origins)),
        created_at=now or datetime.now(UTC),
    )
    store.add_key(record)
    return key, record


@keys_app.command()
def create(
    role: Annotated[KeyRole, typer.Option("--role", help="assessor | admin | site")],
    label: Annotated[
        str | None, typer.Option("--label", help="名称，记入审计 / a name, kept in the audit")
    ] = None,
    origin: Annotated[
        list[str] | None,
        typer.Option("--origin", help="允许的来源，可多次 / allowed origin (repeatable)"),
    ] = None,
) -> None:
    """新建密钥（只显示一次）/ Create a key (shown once)."""
    try:
        store = open_session_store(get_settings())
        key, record = issue_key(store, role, label=label, origins=tuple(origin or ()))
    except AssistantError as exc:
        raise fail(exc) from exc
    console.print(f"编号 / id: {record.id}   角色 / role: {record.role.value}", highlight=False)
    if record.origins:
        console.print(f"来源 / origins: {' '.join(record.origins)}", highlight=False)
    console.print("密钥只显示这一次，请妥善保存 / the key is shown only now, keep it safe:")
    typer.echo(key)


@keys_app.command("list")
def list_keys() -> None:
    """列出密钥（不含密钥本身）/ List keys (never the keys themselves)."""
    try:
        records = open_session_store(get_settings()).list_keys()
    except AssistantError as exc:
        raise fail(exc) from exc
    table = Table("id", "role", "label", "origins", "created", "revoked")
    for record in records:
        table.add_row(
            record.id,
            record.role.value,
            record.label or "",
            " ".join(record.origins),
            record.created_at.strftime("%Y-%m-%d %H:%M"),
            "yes" if record.revoked else "",
        )
    console.print(table)


@keys_app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="密钥编号 / key id")]) -> None:
    """吊销密钥，立即生效 / Revoke a key, effective at once."""
    try:
        open_session_store(get_settings()).revoke_key(key_id)
    except AssistantError as exc:
        raise fail(exc) from exc
    except ValueError as exc:
        raise fail(
            AssistantError(f"没有编号为 {key_id!r} 的密钥", en=f"no key {key_id!r}")
        ) from exc
    console.print(f"已吊销 / revoked: {key_id}")
