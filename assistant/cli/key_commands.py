"""``smecmm keys``: create, list and revoke API keys (assessor, admin) and site keys, and
rotate a site key's site-token secret.

A key is shown once, when created; the store keeps only its SHA-256 (a random key of 256
bits needs no slow hash). Site keys carry the origins allowed to embed the chat and call the
API from a browser, and their own site-token secret (``assistant.storage.keys``), shown once
too: the host site signs its site tokens with it (``api.site_token``).
"""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.table import Table

from assistant.cli.app import app, console, fail
from assistant.errors import AssistantError, ConfigurationError
from assistant.interview.runtime import open_session_store
from assistant.security import hash_token
from assistant.settings import get_settings
from assistant.storage import ApiKeyRecord, KeyRole, SessionStore
from assistant.storage.keys import check_site_secret, new_site_secret

__all__ = [
    "create",
    "issue_key",
    "keys_app",
    "list_keys",
    "normalise_origin",
    "revoke",
    "rotate_secret",
    "rotate_site_secret",
]

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
    token_secret: str | None = None,
) -> tuple[str, ApiKeyRecord]:
    """A new random key and its stored record (hash only). Returns the key to show once; a
    site key's record carries its site-token secret (``token_secret``, else a random one),
    to show once too."""
    if (origins or token_secret is not None) and role is not KeyRole.SITE:
        raise ConfigurationError(
            "只有站点密钥（--role site）可以登记来源和站点令牌密钥",
            en="only site keys (--role site) take origins and a site-token secret",
        )
    secret = None
    if role is KeyRole.SITE:
        secret = new_site_secret() if token_secret is None else check_site_secret(token_secret)
    key = f"smecmm_{role.value}_{secrets.token_urlsafe(32)}"
    record = ApiKeyRecord(
        id=secrets.token_hex(6),
        role=role,
        key_hash=hash_token(key),
        label=label,
        origins=tuple(dict.fromkeys(normalise_origin(origin) for origin in origins)),
        created_at=now or datetime.now(UTC),
        token_secret=secret,
    )
    store.add_key(record)
    return key, record


def rotate_site_secret(store: SessionStore, key_id: str, token_secret: str | None = None) -> str:
    """Give a site key a new site-token secret (``token_secret``, else a random one), at once:
    tokens signed with the old one stop verifying. Returns the secret to show once."""
    record = next((k for k in store.list_keys() if k.id == key_id), None)
    if record is None or record.role is not KeyRole.SITE:
        raise AssistantError(
            f"没有编号为 {key_id!r} 的站点密钥", en=f"no site key with id {key_id!r}"
        )
    secret = new_site_secret() if token_secret is None else check_site_secret(token_secret)
    store.set_key_secret(key_id, secret)
    return secret


_SECRET_HELP = (
    "自带的站点令牌密钥（至少 32 个字符；“-”表示从标准输入读取）；不给则随机生成 / your own "
    "site-token secret (32 characters or more; '-' reads it from standard input); generated "
    "when left out"
)


def _given_secret(value: str | None) -> str | None:
    if value == "-":
        return sys.stdin.readline().rstrip("\n")
    return value


def _show_secret(secret: str) -> None:
    console.print(
        "站点令牌密钥：交给宿主网站签名站点令牌，只显示这一次 / site-token secret: give it to "
        "the host site to sign site tokens; shown only now:",
        highlight=False,
        soft_wrap=True,
    )
    typer.echo(secret)


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
    token_secret: Annotated[str | None, typer.Option("--token-secret", help=_SECRET_HELP)] = None,
) -> None:
    """新建密钥（只显示一次）/ Create a key (shown once)."""
    try:
        store = open_session_store(get_settings())
        key, record = issue_key(
            store,
            role,
            label=label,
            origins=tuple(origin or ()),
            token_secret=_given_secret(token_secret),
        )
    except AssistantError as exc:
        raise fail(exc) from exc
    console.print(f"编号 / id: {record.id}   角色 / role: {record.role.value}", highlight=False)
    if record.origins:
        console.print(f"来源 / origins: {' '.join(record.origins)}", highlight=False)
    console.print("密钥只显示这一次，请妥善保存 / the key is shown only now, keep it safe:")
    typer.echo(key)
    if record.token_secret is not None:
        _show_secret(record.token_secret)


@keys_app.command("rotate-secret")
def rotate_secret(
    key_id: Annotated[str, typer.Argument(help="站点密钥编号 / site key id")],
    token_secret: Annotated[str | None, typer.Option("--token-secret", help=_SECRET_HELP)] = None,
) -> None:
    """更换站点令牌密钥，旧密钥立即失效 / Replace a site key's site-token secret, at once."""
    try:
        store = open_session_store(get_settings())
        secret = rotate_site_secret(store, key_id, _given_secret(token_secret))
    except AssistantError as exc:
        raise fail(exc) from exc
    console.print(
        f"已更换 {key_id} 的站点令牌密钥，旧密钥签名的令牌不再有效 / replaced the site-token "
        f"secret of {key_id}; tokens signed with the old one no longer verify",
        highlight=False,
    )
    _show_secret(secret)


@keys_app.command("list")
def list_keys() -> None:
    """列出密钥（不含密钥本身）/ List keys (never the keys themselves)."""
    try:
        records = open_session_store(get_settings()).list_keys()
    except AssistantError as exc:
        raise fail(exc) from exc
    table = Table("id", "role", "label", "origins", "created", "revoked", "secret")
    table.columns[0].no_wrap = True
    for record in records:
        table.add_row(
            record.id,
            record.role.value,
            record.label or "",
            " ".join(record.origins),
            record.created_at.strftime("%Y-%m-%d %H:%M"),
            "yes" if record.revoked else "",
            _secret_state(record),
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


def _secret_state(record: ApiKeyRecord) -> str:
    if record.role is not KeyRole.SITE:
        return ""
    return "yes" if record.token_secret else "no"
