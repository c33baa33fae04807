"""A throwaway S3-compatible server for the evidence-store tests: moto's server (``moto[server]``,
a test dependency) in a child process on a free loopback port, keeping everything in memory.

    with running_s3() as server:
        server.endpoint            # http://127.0.0.1:<port>
        server.make_bucket()       # a fresh bucket name, created
        server.options()           # S3Options for SMECMM_S3_* (dummy credentials)
        server.env(bucket)         # the SMECMM_* variables a served app needs
        server.stop()              # the store going away mid-test
        server.start()             # back on the same port, empty

Tests get it through ``s3_fixture`` (see tests/unit/evidence/conftest.py).
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evidence.blobs_s3 import S3Options, s3_client
from tests.utils.ports import free_port

__all__ = [
    "ACCESS_KEY",
    "REGION",
    "SECRET_KEY",
    "S3Server",
    "S3Unavailable",
    "running_s3",
    "s3_fixture",
    "start_s3",
]

ACCESS_KEY = "smecmm-test"
SECRET_KEY = "smecmm-test-secret"
REGION = "us-east-1"
_START_TIMEOUT_S = 20.0
_STOP_TIMEOUT_S = 5.0
_START_ATTEMPTS = 3
_buckets = itertools.count(1)


class S3Unavailable(RuntimeError):
    """The server cannot be started here; the message says why."""


def _answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=0.5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class S3Server:
    log_file: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def options(self, **overrides: Any) -> S3Options:
        values: dict[str, Any] = {
            "endpoint_url": self.endpoint,
            "region": REGION,
            "access_key_id": ACCESS_KEY,
            "secret_access_key": SECRET_KEY,
            "connect_timeout": 2.0,
            "read_timeout": 5.0,
            "max_attempts": 2,
        }
        return S3Options(**(values | overrides))

    def client(self) -> Any:
        return s3_client(self.options())

    def make_bucket(self) -> str:
        """A new, empty bucket (names are unique within one test run)."""
        name = f"smecmm-evidence-{os.getpid()}-{next(_buckets)}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, bucket: str, prefix: str = "evidence") -> dict[str, str]:
        """The settings of an app keeping its evidence in ``bucket`` on this server."""
        return {
            "SMECMM_BLOB_URL": f"s3://{bucket}/{prefix}",
            "SMECMM_S3_ENDPOINT_URL": self.endpoint,
            "SMECMM_S3_REGION": REGION,
            "SMECMM_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "SMECMM_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def start(self) -> None:
        """Start on ``port`` and wait until it answers (bounded)."""
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if _answers(self.endpoint):
                return
            time.sleep(0.05)
        self.stop()
        tail = self.log_file.read_text(errors="replace")[-2000:]
        raise S3Unavailable(f"moto server did not answer on port {self.port}:\n{tail}")

    def stop(self) -> None:
        """Terminate the server (a kill if it will not go); everything it held is gone."""
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.terminate()
            try:
                process.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(_STOP_TIMEOUT_S)

    def remove(self) -> None:
        self.stop()
        self.log_file.unlink(missing_ok=True)


def start_s3() -> S3Server:
    """A started server; ``S3Unavailable`` when moto is missing or will not start."""
    try:
        import moto.server  # noqa: F401
    except ImportError as error:
        raise S3Unavailable("moto[server] not installed: pip install 'moto[server]'") from error
    handle, name = tempfile.mkstemp(prefix="smecmm-moto-", suffix=".log")
    os.close(handle)
    server = S3Server(Path(name))
    for attempt in range(_START_ATTEMPTS):
        try:
            server.start()
            return server
        except S3Unavailable:
            if attempt == _START_ATTEMPTS - 1:
                server.remove()
                raise
            server.port = free_port()  # another process may have taken the probed port
    raise AssertionError("unreachable")


@contextmanager
def running_s3() -> Iterator[S3Server]:
    server = start_s3()
    try:
        yield server
    finally:
        server.remove()


def s3_fixture() -> Iterator[S3Server]:
    """Body of a pytest fixture: moto is a test dependency, so a failure to start fails."""
    import pytest

    try:
        server = start_s3()
    except S3Unavailable as error:
        pytest.fail(f"{error}\n`make test` installs it (the dev extra)", pytrace=False)
    try:
        yield server
    finally:
        server.remove()
