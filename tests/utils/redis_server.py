"""A throwaway Redis server for the rate-limit tests: Debian's ``redis-server`` on a free
loopback port, its files in a temporary directory, nothing saved to disk.

    with running_redis() as server:
        server.url          # redis://127.0.0.1:<port>/0
        server.stop()       # Redis going away mid-test
        server.start()      # back on the same port

Tests get it through ``redis_fixture``: without the binary the tests are skipped with the
install command, except under CI (``CI=true``), where the Makefile installs it and a skip
would hide a missing install step, so they fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.utils.ports import free_port

__all__ = ["INSTALL_HINT", "RedisServer", "RedisUnavailable", "redis_fixture", "running_redis"]

INSTALL_HINT = "apt-get install redis-server"
_START_TIMEOUT_S = 10.0
_STOP_TIMEOUT_S = 5.0
_START_ATTEMPTS = 3


class RedisUnavailable(RuntimeError):
    """The server cannot be started here; the message says why."""


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    binary: Path
    root: Path  # removed by ``remove``
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log_file(self) -> Path:
        return self.root / "redis.log"

    def start(self) -> None:
        """Start on ``port`` and wait until it answers PING (bounded)."""
        command = [
            str(self.binary), "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.root), "--logfile", str(self.log_file),
            "--save", "", "--appendonly", "no", "--daemonize", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if _pong(self.port):
                return
            time.sleep(0.02)
        self.stop()
        tail = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
        raise RedisUnavailable(f"redis-server did not answer on port {self.port}:\n{tail}")

    def stop(self) -> None:
        """Terminate the server (a kill if it will not go); the port is free afterwards."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a paused server cannot act on SIGTERM
            process.terminate()
            try:
                process.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(_STOP_TIMEOUT_S)

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open, nothing answers."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_redis() -> RedisServer:
    """A started server; ``RedisUnavailable`` when the binary is missing or will not start."""
    found = shutil.which("redis-server")
    if found is None:
        raise RedisUnavailable(f"redis-server not found: `{INSTALL_HINT}`")
    server = RedisServer(Path(found), Path(tempfile.mkdtemp(prefix="smecmm-redis-")))
    for _ in range(_START_ATTEMPTS - 1):
        try:
            server.start()
            return server
        except RedisUnavailable:
            server.port = free_port()  # another process may have taken the probed port
    try:
        server.start()
    except RedisUnavailable:
        server.remove()
        raise
    return server


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    server = start_redis()
    try:
        yield server
    finally:
        server.remove()


def redis_fixture() -> Iterator[RedisServer]:
    """Body of a pytest fixture: skip without the binary, except under CI (fail there)."""
    if shutil.which("redis-server") is None and os.environ.get("CI") != "true":
        pytest.skip(f"redis-server not installed (`{INSTALL_HINT}`; `make test` installs it)")
    try:
        server = start_redis()
    except RedisUnavailable as error:
        pytest.fail(f"{error}\nInstall: {INSTALL_HINT}", pytrace=False)
    try:
        yield server
    finally:
        server.remove()
