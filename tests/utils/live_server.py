"""Real servers on loopback ports for the browser tests.

``serve_app`` runs an ASGI app under uvicorn in a background thread (in this process, so
coverage sees the server's code); ``serve_pages`` runs a tiny static site standing in for a
website that embeds the widget. ``build_app`` wires the app the way ``smecmm serve`` does,
over a real SQLite store in the test's data dir, with or without a retrieval index.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import uvicorn
from fastapi import FastAPI

from api import create_app
from assistant.interview.runtime import assemble, open_session_store
from assistant.settings import Settings
from assistant.storage import SessionStore
from assistant.storage.sql import SqlSessionStore

if TYPE_CHECKING:
    from assistant.retrieval.index import RetrievalIndex

__all__ = [
    "LOOPBACK",
    "LiveApp",
    "LiveServer",
    "Served",
    "StaticSite",
    "build_app",
    "live_settings",
    "serve_app",
    "serve_pages",
    "widget_host_page",
]

LOOPBACK = "127.0.0.1"
_START_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class LiveServer:
    """Where a served app listens."""

    port: int
    host: str = LOOPBACK

    @property
    def url(self) -> str:
        """The origin, e.g. ``http://127.0.0.1:43121`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class LiveApp:
    """The app under test and the store it writes to (tests add site keys there)."""

    app: FastAPI
    store: SessionStore
    settings: Settings

    def close(self) -> None:
        if isinstance(self.store, SqlSessionStore):
            self.store.close()


@dataclass(frozen=True)
class Served:
    """An app and the server it runs under."""

    live: LiveApp
    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    return sock


def live_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a served app: its own data dir, the real ``web/``, limits loose enough
    for a scripted user who answers faster than a person."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "rate_limit_per_minute": 1000,
        "site_rate_limit_per_minute": 1000,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def build_app(settings: Settings, index: RetrievalIndex | None = None) -> LiveApp:
    """The app as ``smecmm serve`` wires it; without ``index`` there is no /ask."""
    store = open_session_store(settings)
    parts = assemble(settings, store, index)
    app = create_app(settings, service=parts.service, answerer=parts.answerer)
    return LiveApp(app=app, store=store, settings=settings)


@contextmanager
def serve_app(app: FastAPI) -> Iterator[LiveServer]:
    """uvicorn on a free loopback port until the block ends."""
    sock = _bound_socket()
    config = uvicorn.Config(app, lifespan="on", log_level="warning", ws="none", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(port=sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class _PageHandler(BaseHTTPRequestHandler):
    pages: ClassVar[Mapping[str, str]] = {}

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        body = self.pages.get(self.path.split("?", 1)[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return  # quiet: the test reports what matters


@dataclass(frozen=True)
class StaticSite:
    """A static site; ``host`` is the name the browser uses (it always listens on loopback)."""

    port: int
    host: str

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serve_pages(pages: dict[str, str], *, host: str = LOOPBACK) -> Iterator[StaticSite]:
    """Serve ``{path: html}`` from a thread; ``host`` may be ``localhost`` for another site.

    ``pages`` is read on every request, so a page that must name the site's own port can
    be added once the site runs.
    """
    handler = type("Pages", (_PageHandler,), {"pages": pages})
    server = ThreadingHTTPServer((LOOPBACK, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="pages", daemon=True)
    thread.start()
    try:
        yield StaticSite(port=server.server_address[1], host=host)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def widget_host_page(app_url: str, site_key: str, *, title: str = "示例服务网站") -> str:
    """A website's page with the one-tag widget snippet."""
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n"
        f"<body><h1>{title}</h1><p>欢迎访问。本页嵌入了自评助手。</p>\n"
        f'<script src="{app_url}/widget.js" data-site-key="{site_key}" async></script>\n'
        "</body></html>\n"
    )
