"""Browser tests: the real app under uvicorn, the real web page, Debian's Chromium.

Each module launches one Chromium; each test gets a fresh browser context (no shared
storage) and a fresh app over its own SQLite store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.utils.browser import (
    NO_TAP_GUARD,
    SCREENSHOT_COPY_DIR,
    PageEvents,
    Screenshots,
    launch_chromium,
)
from tests.utils.live_server import Served, build_app, live_settings, serve_app


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives the web page in Debian's Chromium (Playwright)"
    )


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def page_events() -> PageEvents:
    return PageEvents()


@pytest.fixture
def page(chromium: Browser, page_events: PageEvents) -> Iterator[Page]:
    context = chromium.new_context(
        accept_downloads=True,
        locale="zh-CN",
        viewport={"width": 1280, "height": 860},
    )
    context.add_init_script(NO_TAP_GUARD)
    opened = context.new_page()
    opened.on("console", page_events.on_console)
    opened.on("pageerror", page_events.on_error)
    opened.on("dialog", page_events.on_dialog)
    yield opened
    context.close()


@pytest.fixture
def screens(request: pytest.FixtureRequest, tmp_path: Path) -> Screenshots:
    folder = tmp_path / "screenshots"
    folder.mkdir()
    copy_to = SCREENSHOT_COPY_DIR / request.node.name
    shutil.rmtree(copy_to, ignore_errors=True)  # only this run's pictures
    return Screenshots(folder=folder, copy_to=copy_to)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app without a retrieval index (no /ask): fast to start."""
    live = build_app(live_settings(tmp_path / "data"))
    with serve_app(live.app) as server:
        yield Served(live, server)
    live.close()
