"""A bystander for "the server stays responsive" checks: GETs one path over its own
connection, from a thread, until stopped, and keeps each status and latency.

    with RequestWatch(server.url, "/api/v1/catalog") as watch:
        ...  # the costly request
    assert max(watch.latencies) < 1.0
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx

__all__ = ["RequestWatch"]


@dataclass
class RequestWatch:
    url: str
    path: str = "/api/v1/catalog"
    most: int = 400  # requests at most, whatever happens
    pause_s: float = 0.02
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            for _ in range(self.most):
                if self._stop.is_set():
                    return
                started = time.perf_counter()
                self.statuses.append(client.get(self.path).status_code)
                self.latencies.append(time.perf_counter() - started)
                time.sleep(self.pause_s)

    def __enter__(self) -> RequestWatch:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.statuses and time.monotonic() < deadline:
            time.sleep(0.01)  # a first request has landed before the costly one starts
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=40)
