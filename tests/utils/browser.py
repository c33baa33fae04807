"""Driving the chat page in Debian's Chromium through Playwright.

Playwright never downloads a browser here: it launches ``/usr/bin/chromium`` (installed by
``make test`` through apt) with the flags below. The helpers wait on the page's own signals
(``#app[data-ready=true]``, the chat log's ``aria-busy``) because the page's CSP refuses the
string predicates of ``wait_for_function``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Error,
    Frame,
    Locator,
    Page,
    sync_playwright,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_FLAGS",
    "NO_TAP_GUARD",
    "SCREENSHOT_COPY_DIR",
    "Chat",
    "PageEvents",
    "Screenshots",
    "by_testid",
    "launch_chromium",
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
SCREENSHOT_COPY_DIR = Path("/tmp/browser-check")
TURN_TIMEOUT_MS = 30_000
RESHOOTS = 3  # the side panel is re-rendered by fetches that return in any order
IDLE = "[data-testid=chat-log]:not([aria-busy=true])"
ARMED = '[data-testid="live-question"]:not([data-armed="false"])'
# A new question ignores taps for 0.8 s (web/static/app.js, TAP_GUARD_MS) so that a quick
# second tap cannot answer it. Tests that do not test that guard run without it (an init
# script for the browser context), and ``Chat`` waits until a question listens anyway.
NO_TAP_GUARD = "window.SMECMM_TAP_GUARD_MS = 0;"


def by_testid(name: str, **attrs: str) -> str:
    """A CSS selector: ``by_testid("quick-reply", value="met")`` →
    ``[data-testid="quick-reply"][data-value="met"]``."""
    extra = "".join(f'[data-{key.replace("_", "-")}="{value}"]' for key, value in attrs.items())
    return f'[data-testid="{name}"]{extra}'


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; fails (never skips, never downloads) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`sudo apt-get install chromium`, which `make test` runs); "
            "Playwright must not download its own browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS)
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Screenshots:
    """Numbered screenshots in the test's tmp dir, copied to ``/tmp/browser-check/<test>``."""

    folder: Path
    copy_to: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Page, name: str) -> Path:
        """The viewport."""
        return self._keep(name, page.screenshot)

    def element(self, locator: Locator, name: str) -> Path:
        """One element, scrolled into view (e.g. a card of the side panel).

        The side panel re-renders whenever a rating or evidence fetch returns, so the element
        found may be replaced while Playwright waits for it to be stable: shoot it again.
        """
        for _ in range(RESHOOTS):
            try:
                return self._keep(name, locator.screenshot)
            except Error as error:
                if "not attached" not in str(error):
                    raise
        return self._keep(name, locator.screenshot)

    def _keep(self, name: str, shoot: Callable[..., bytes]) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        shoot(path=str(path))
        self.copy_to.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, self.copy_to / path.name)
        self.taken.append(path)
        return path


@dataclass
class PageEvents:
    """What the page said on the side: console lines, uncaught errors, dialogs."""

    console: list[ConsoleMessage] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        """Console errors of the page's own Content-Security-Policy refusing something."""
        return [
            m.text
            for m in self.console
            if m.type == "error" and "Content Security Policy" in m.text
        ]

    def on_console(self, message: ConsoleMessage) -> None:
        self.console.append(message)

    def on_error(self, error: Error) -> None:
        self.errors.append(error)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


class Chat:
    """The chat page (or the embedded chat in a frame), as a user sees and uses it."""

    def __init__(self, page: Page | Frame) -> None:
        self.page = page

    def by(self, name: str, **attrs: str) -> Locator:
        return self.page.locator(by_testid(name, **attrs))

    def wait_ready(self) -> None:
        self.page.wait_for_selector("#app[data-ready=true]", timeout=TURN_TIMEOUT_MS)
        self.wait_idle()

    def wait_idle(self) -> None:
        self.page.wait_for_selector(IDLE, state="attached", timeout=TURN_TIMEOUT_MS)
        self.wait_armed()

    def wait_armed(self) -> None:
        """A new question listens to taps only after the tap guard (see ``NO_TAP_GUARD``)."""
        if self.by("live-question").count():
            self.page.wait_for_selector(ARMED, state="attached", timeout=TURN_TIMEOUT_MS)

    def assistant_count(self) -> int:
        return self.by("msg-assistant").count()

    def page_of(self) -> Page:
        return self.page if isinstance(self.page, Page) else self.page.page

    def reply_after(self, before: int) -> Locator:
        """The newest assistant bubble once a reply beyond ``before`` has landed."""
        self.page.wait_for_selector(
            f"{by_testid('msg-assistant')} >> nth={before}", timeout=TURN_TIMEOUT_MS
        )
        self.wait_idle()
        return self.by("msg-assistant").last

    def say(self, text: str) -> Locator:
        """Type ``text`` and press Enter; returns the reply's bubble."""
        before = self.assistant_count()
        self.by("chat-input").fill(text)
        self.by("chat-input").press("Enter")
        return self.reply_after(before)

    def pick(self, value: str) -> Locator:
        """Click the live question's quick reply whose value is ``value``."""
        before = self.assistant_count()
        self.wait_armed()
        self.by("live-question").locator(by_testid("quick-reply", value=value)).click()
        return self.reply_after(before)

    def submit_checklist(self, statuses: dict[str, str]) -> Locator:
        """Choose each row's status (unless already chosen), then submit the checklist."""
        rows = self.by("live-question").locator(by_testid("checklist"))
        self.wait_armed()
        for indicator, status in statuses.items():
            row = rows.locator(by_testid("checklist-row", indicator=indicator))
            button = row.locator(by_testid("checklist-status", status=status))
            if button.get_attribute("aria-pressed") != "true":  # a second click unchooses
                button.click()
        before = self.assistant_count()
        rows.locator(by_testid("checklist-submit")).click()
        return self.reply_after(before)

    def link(self, ids: list[str]) -> Locator:
        """Tick exactly ``ids`` among an upload's suggested indicators, then link them."""
        form = self.by("live-question").locator(by_testid("evidence-links"))
        boxes = form.locator(by_testid("link-choice"))
        for index in range(boxes.count()):
            box = boxes.nth(index)
            box.set_checked(box.get_attribute("data-indicator") in ids)
        before = self.assistant_count()
        form.locator(by_testid("link-submit")).click()
        return self.reply_after(before)

    def live_kind(self) -> str | None:
        live = self.by("live-question")
        if live.count() == 0:
            return None
        return live.last.get_attribute("data-kind")

    def checklist_ids(self) -> list[str]:
        rows = self.by("live-question").locator(by_testid("checklist-row"))
        return [rows.nth(i).get_attribute("data-indicator") or "" for i in range(rows.count())]
