"""What a serving process does besides answering requests: prune abandoned sessions on a
schedule (``assistant.storage.pruning``), and say at start-up that a retired setting is set.

Each worker runs its own schedule; a prune re-checks everything it deletes, so workers that
run it at the same moment do the work once between them and log what each removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

from assistant.interview.runtime import open_blobs
from assistant.settings import Settings
from assistant.storage import SessionStore
from assistant.storage.pruning import PruneReport, prune_sessions

__all__ = ["FIRST_PRUNE_DELAY_S", "PruneSchedule", "retired_settings", "upkeep"]

log = logging.getLogger("api.upkeep")

FIRST_PRUNE_DELAY_S = 60.0  # let start-up finish first; a restart loop still prunes

_RETIRED_SECRET = (
    "SMECMM_SITE_TOKEN_SECRET 已停用，设置了也不会用来验证任何站点令牌：现在每个站点密钥有自己的"
    "密钥。请对每个站点密钥运行 smecmm keys rotate-secret <编号>，把新密钥交给对应的宿主网站，然后"
    "删除 SMECMM_SITE_TOKEN_SECRET。",
    "SMECMM_SITE_TOKEN_SECRET is retired and verifies no site token, though it is set: each "
    "site key now has its own secret. Run `smecmm keys rotate-secret <id>` for each site key, "
    "give each host site its new secret, then unset SMECMM_SITE_TOKEN_SECRET.",
)


def retired_settings(settings: Settings) -> list[tuple[str, str]]:
    """(zh, en) notices about settings that are set but no longer do anything."""
    return [_RETIRED_SECRET] if settings.site_token_secret is not None else []


class PruneSchedule:
    """Prunes every ``settings.session_prune_interval_minutes``, the first time after
    ``first_delay_s``; a failed run is logged and the next one comes as planned."""

    def __init__(
        self,
        settings: Settings,
        store: Callable[[], SessionStore],
        *,
        first_delay_s: float = FIRST_PRUNE_DELAY_S,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._settings = settings
        self._store = store
        self._first_delay_s = first_delay_s
        self._clock = clock
        self.runs = 0

    def once(self) -> PruneReport:
        settings = self._settings
        report = prune_sessions(
            self._store(),
            open_blobs(settings),
            now=self._clock(),
            older_than=timedelta(days=settings.session_prune_after_days),
        )
        self.runs += 1
        log.info(
            "pruned %d inactive sessions, %d evidence records, %d evidence files, "
            "%d expired resume codes and site-token claims",
            len(report.sessions),
            report.evidence_records,
            len(report.blobs),
            report.expired,
        )
        return report

    async def run(self) -> None:
        delay = self._first_delay_s
        while True:
            await asyncio.sleep(delay)
            delay = self._settings.session_prune_interval_minutes * 60.0
            try:
                await asyncio.to_thread(self.once)
            except Exception:
                log.exception("pruning sessions failed; trying again in %.0f s", delay)


@contextlib.asynccontextmanager
async def upkeep(
    settings: Settings, store: Callable[[], SessionStore], *, first_delay_s: float | None = None
) -> AsyncIterator[PruneSchedule | None]:
    """For the app's lifespan: the notices, then the pruning task until shutdown."""
    for zh, en in retired_settings(settings):
        log.warning("%s / %s", zh, en)
    if settings.session_prune_after_days == 0:
        yield None
        return
    delay = FIRST_PRUNE_DELAY_S if first_delay_s is None else first_delay_s
    schedule = PruneSchedule(settings, store, first_delay_s=delay)
    task = asyncio.create_task(schedule.run(), name="smecmm-prune")
    try:
        yield schedule
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
