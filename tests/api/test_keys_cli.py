"""``smecmm keys``: keys shown once, stored hashed, origins normalised, revocation at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import key_commands
from assistant.cli.app import app
from assistant.errors import ConfigurationError
from assistant.interview.runtime import open_session_store
from assistant.security import hash_token
from assistant.settings import Settings, get_settings
from assistant.storage import KeyRole

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SMECMM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SMECMM_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_created_key_is_printed_once_and_stored_hashed(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "keys",
            "create",
            "--role",
            "site",
            "--label",
            "门户网站",
            "--origin",
            "HTTPS://Sme.Example.org:443/",
        ],
    )

    assert result.exit_code == 0, result.output
    *_, key, _, secret = result.output.strip().splitlines()
    assert key.startswith("smecmm_site_") and len(key) > 50
    [record] = open_session_store(Settings(data_dir=data_dir)).list_keys()
    assert record.key_hash == hash_token(key)
    assert key not in record.model_dump_json()
    assert record.origins == ("https://sme.example.org",)
    assert record.label == "门户网站"
    assert record.token_secret == secret and len(secret) >= 43  # 32 random bytes
    assert secret not in repr(record)

    listed = runner.invoke(app, ["keys", "list"])
    assert record.id in listed.output and key not in listed.output
    assert secret not in listed.output


def test_an_operator_may_bring_a_long_enough_secret_on_standard_input(data_dir: Path) -> None:
    mine = "operator-chosen-secret-of-40-characters!"
    result = runner.invoke(
        app, ["keys", "create", "--role", "site", "--token-secret", "-"], input=mine + "\n"
    )

    assert result.exit_code == 0, result.output
    [record] = open_session_store(Settings(data_dir=data_dir)).list_keys()
    assert record.token_secret == mine


@pytest.mark.parametrize("secret", ["", "   ", "too-short-31-characters-secret!"])
def test_a_short_or_empty_secret_is_refused_and_nothing_stored(data_dir: Path, secret: str) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "site", "--token-secret", secret])

    assert result.exit_code == 2
    assert "站点令牌密钥须为 32" in result.output
    assert open_session_store(Settings(data_dir=data_dir)).list_keys() == []
    with pytest.raises(ConfigurationError):
        key_commands.issue_key(
            open_session_store(Settings(data_dir=data_dir)), KeyRole.SITE, token_secret=secret
        )


def test_rotating_a_secret_replaces_it_and_shows_the_new_one(data_dir: Path) -> None:
    store = open_session_store(Settings(data_dir=data_dir))
    _, site = key_commands.issue_key(store, KeyRole.SITE)
    _, assessor = key_commands.issue_key(store, KeyRole.ASSESSOR)

    rotated = runner.invoke(app, ["keys", "rotate-secret", site.id])
    short = runner.invoke(app, ["keys", "rotate-secret", site.id, "--token-secret", "abc"])
    wrong = runner.invoke(app, ["keys", "rotate-secret", assessor.id])

    assert rotated.exit_code == 0, rotated.output
    secret = rotated.output.strip().splitlines()[-1]
    assert store.list_keys()[0].token_secret == secret != site.token_secret
    assert (short.exit_code, wrong.exit_code) == (2, 2)
    assert store.list_keys()[0].token_secret == secret  # the refused rotations changed nothing
    assert assessor.token_secret is None


def test_a_revoked_key_is_flagged(data_dir: Path) -> None:
    store = open_session_store(Settings(data_dir=data_dir))
    _, record = key_commands.issue_key(store, KeyRole.ASSESSOR, label="张三")

    result = runner.invoke(app, ["keys", "revoke", record.id])
    unknown = runner.invoke(app, ["keys", "revoke", "no-such-key"])

    assert result.exit_code == 0
    assert store.find_key(record.key_hash) is not None
    assert store.list_keys()[0].revoked is True
    assert unknown.exit_code == 2
    assert "no-such-key" in unknown.output


def test_only_site_keys_take_origins(data_dir: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "admin", "--origin", "https://a.org"])

    assert result.exit_code == 2
    assert open_session_store(Settings(data_dir=data_dir)).list_keys() == []


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("https://example.org", "https://example.org"),
        ("https://Example.ORG/", "https://example.org"),
        ("http://example.org:80", "http://example.org"),
        ("https://example.org:8443", "https://example.org:8443"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_origins_are_written_as_browsers_send_them(given: str, origin: str) -> None:
    assert key_commands.normalise_origin(given) == origin


@pytest.mark.parametrize(
    "given",
    [
        "example.org",
        "ftp://example.org",
        "https://example.org/path",
        "https://",
        "https://a.org:99999",
        "https://user@a.org",
        "https://a.org/?q=1",
    ],
)
def test_anything_else_is_refused(given: str) -> None:
    with pytest.raises(ConfigurationError):
        key_commands.normalise_origin(given)


def test_serve_is_registered_without_importing_the_api() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import assistant.cli.serve_commands, assistant.cli.key_commands; "
        "print('api' in sys.modules, 'uvicorn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "False False"
