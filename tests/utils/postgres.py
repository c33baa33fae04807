"""A throwaway PostgreSQL server for the storage tests and the storage benchmark.

The server runs from the Debian ``postgresql`` package's binaries in a temporary directory:
trust authentication, TCP on 127.0.0.1 at a free port, its unix socket in that directory,
``fsync`` on (the crash tests rely on it). PostgreSQL refuses to run as root, so under root
every server command runs as the ``postgres`` OS user, in a directory that user owns.

    with running_postgres() as server:
        url = server.create_database()   # a fresh, empty database per caller

Tests get the server through ``postgres_fixture`` (see ``tests/unit/storage/conftest.py``):
when the binaries are missing the tests fail with the install command, unless
``SMECMM_SKIP_POSTGRES=1`` is set, in which case they are skipped.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.utils.ports import free_port

__all__ = [
    "INSTALL_HINT",
    "SKIP_ENV",
    "PostgresServer",
    "PostgresUnavailable",
    "find_bin_dir",
    "postgres_fixture",
    "running_postgres",
    "start_postgres",
]

SKIP_ENV = "SMECMM_SKIP_POSTGRES"
BIN_ENV = "SMECMM_PG_BIN"
INSTALL_HINT = "apt-get install postgresql"
_OS_USER = "postgres"
_START_ATTEMPTS = 3


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here; the message says how to fix it."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: $SMECMM_PG_BIN, Debian's newest, PATH."""
    candidates: list[Path] = []
    if os.environ.get(BIN_ENV):
        candidates.append(Path(os.environ[BIN_ENV]))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    return None


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path  # owned by the server's OS user; removed by ``stop``
    port: int
    as_os_user: bool  # True when running as root: commands run as the ``postgres`` user
    _databases: Iterator[int] = field(default_factory=itertools.count, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one of the server's programs (as the ``postgres`` user under root)."""
        extra: dict[str, Any] = {}
        if self.as_os_user:
            extra = {"user": _OS_USER, "group": _OS_USER, "extra_groups": []}
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, check=False, **extra
        )

    def create_database(self) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        name = f"smecmm_{os.getpid()}_{next(self._databases)}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # the name is ours, not user input
        return self.url(name)

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories='{self.root}' -c fsync=on -c max_connections=200"
        )
        done = self.run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl start failed:\n{done.stdout}{done.stderr}")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _server_root(as_os_user: bool) -> Path:
    # Not under pytest's tmp_path: its parents are mode 0700 and root-owned.
    root = Path(tempfile.mkdtemp(prefix="smecmm-pg-"))
    if as_os_user:
        account = pwd.getpwnam(_OS_USER)
        os.chown(root, account.pw_uid, account.pw_gid)
    return root


def _running_as_root() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        pwd.getpwnam(_OS_USER)
    except KeyError as error:
        raise PostgresUnavailable(
            f"running as root, and there is no {_OS_USER!r} OS user to run PostgreSQL as; "
            f"`{INSTALL_HINT}` creates it"
        ) from error
    return True


def start_postgres() -> PostgresServer:
    """initdb a fresh cluster and start it; raise ``PostgresUnavailable`` naming the fix."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: "
            f"`{INSTALL_HINT}` (or set {BIN_ENV} to their directory, "
            f"or {SKIP_ENV}=1 to skip the PostgreSQL tests)"
        )
    as_os_user = _running_as_root()
    server = PostgresServer(bin_dir, _server_root(as_os_user), free_port(), as_os_user)
    done = server.run(
        "initdb", "-D", str(server.data_dir), "-U", "postgres", "--auth=trust",
        "--encoding=UTF8", "--no-locale", "--no-sync",
    )  # fmt: skip
    if done.returncode != 0:
        server.remove()
        raise PostgresUnavailable(f"initdb failed:\n{done.stdout}{done.stderr}")
    _start_on_a_free_port(server)
    return server


def _start_on_a_free_port(server: PostgresServer) -> None:
    """Another process may take the probed port before the server binds it: try again."""
    for attempt in range(_START_ATTEMPTS):
        try:
            server.start()
            return
        except PostgresUnavailable:
            if attempt == _START_ATTEMPTS - 1:
                log = server.log_file.read_text(errors="replace")[-2000:]
                server.remove()
                raise PostgresUnavailable(f"PostgreSQL did not start; log tail:\n{log}") from None
            server.port = free_port()


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()
        server.remove()


def postgres_fixture() -> Iterator[PostgresServer]:
    """Body of a session-scoped pytest fixture: fail (never skip silently) without PostgreSQL."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        pytest.fail(f"{error}\nInstall: {INSTALL_HINT}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
        server.remove()
