"""Every worker serves the index of the latest reindex, whichever worker ran it (DESIGN §9).

A reindex stamps the shared database (``SessionStore.bump_index_stamp``: a version, the
corpus's content hash, the time). Each worker reads the stamp every
``SMECMM_INDEX_CHECK_SECONDS`` in a background task (one small query; requests never read it)
and, when the version moved on, reopens the index (the corpus from the shared data directory,
the vectors from the shared Chroma) and swaps its runtime, as the reindexing worker did.

A follower never builds vectors: those are shared, and the reindexing worker may still be
writing them. When they do not match the corpus yet it tries again at the next check; when its
own corpus differs from the stamped one (a documents directory that is not shared), it keeps
serving what it has and says so in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from api.runtime import Runtime, RuntimeBox, build_runtime
from assistant.settings import Settings
from assistant.storage import IndexStamp

__all__ = ["IndexWatch", "watching"]

log = logging.getLogger("api.index")


class IndexWatch:
    """Keeps ``box`` on the index version the shared database names; ``check`` does one look."""

    def __init__(self, settings: Settings, box: RuntimeBox) -> None:
        self._settings = settings
        self._box = box
        self.reloads = 0

    def check(self) -> bool:
        """Read the stamp; reopen the index and swap the runtime when it moved on. True when
        a new runtime was swapped in."""
        stamp = self._box.current.service.store.index_stamp()
        if stamp is None or stamp.version == self._box.current.index_version:
            return False
        with self._box.lock:  # a reindex in this process stamps and swaps under the same lock
            current = self._box.current
            if stamp.version == current.index_version:
                return False
            swapped = self._reopen(current, stamp)
            if swapped is None:
                return False
            self._box.current = swapped
        self.reloads += 1
        log.info("serving retrieval index version %d (%s)", stamp.version, stamp.content_hash)
        return True

    def _reopen(self, current: Runtime, stamp: IndexStamp) -> Runtime | None:
        """The runtime on the stamped index; None when it cannot be opened (yet)."""
        from assistant.retrieval.corpus import load_corpus
        from assistant.retrieval.index import IndexNotReady
        from assistant.retrieval.runtime import open_index

        settings = self._settings
        corpus = load_corpus(settings.knowledge_dir, settings.documents_dir)
        if corpus.content_hash != stamp.content_hash:
            log.warning(
                "index version %d was built from corpus %s, this worker reads %s from %s: "
                "keeping the current index (share the data directory between workers)",
                stamp.version,
                stamp.content_hash,
                corpus.content_hash,
                settings.documents_dir,
            )
            self._box.current = replace(current, index_version=stamp.version)
            return None
        try:
            index, _ = open_index(settings, corpus=corpus, reuse_only=True)
        except IndexNotReady:
            log.info("index version %d is still being built; next check", stamp.version)
            return None
        return build_runtime(settings, index, current.service.store, stamp.version)

    async def run(self, interval_s: float) -> None:
        """Check every ``interval_s`` until cancelled; a failed check is logged, not fatal."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await asyncio.to_thread(self.check)
            except Exception:
                log.exception("checking the shared index version failed; next check")


@contextlib.asynccontextmanager
async def watching(watch: IndexWatch | None, interval_s: float) -> AsyncIterator[None]:
    """For the app's lifespan: the watch's checks in a background task until shutdown."""
    if watch is None or interval_s <= 0:
        yield
        return
    task = asyncio.create_task(watch.run(interval_s), name="index-watch")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
