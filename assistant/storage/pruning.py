"""Deleting abandoned sessions (DESIGN §9: nothing a client sends lives unbounded).

A session is pruned when it is unfinished, has been neither written nor opened with its
token for the given time, and no assessor has changed a finding of it (its audit trail shows
none). It goes with its turns, findings, audit lines, ratings, evidence records and resume
code; an evidence file goes only when no remaining session names the same SHA-256, and not
when it was put again lately (an upload of the same bytes may be on its way to another
session). Expired resume codes and site-token claims are dropped in the same run.

Every step re-checks what it deletes, so a run is idempotent and several workers may run it
at once: the second finds nothing left to do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.evidence.blobs import BlobStore
from assistant.storage.base import SessionStore, SessionSummary

__all__ = ["PruneReport", "prune_sessions"]

_BATCH = 200
BLOB_GRACE_S = 3600.0  # an evidence file put within the last hour is left for the next run


@dataclass(frozen=True)
class PruneReport:
    cutoff: datetime  # sessions inactive since before this
    dry_run: bool
    sessions: tuple[SessionSummary, ...] = ()
    evidence_records: int = 0
    blobs: tuple[str, ...] = ()  # SHA-256 of the evidence files removed (or to remove)
    expired: int = 0  # resume codes and site-token claims dropped


def prune_sessions(
    store: SessionStore,
    blobs: BlobStore | None,
    *,
    now: datetime,
    older_than: timedelta,
    dry_run: bool = False,
    blob_grace_s: float = BLOB_GRACE_S,
) -> PruneReport:
    """Prune what has been inactive for ``older_than`` before ``now``; ``dry_run`` only says
    what would go and writes nothing."""
    cutoff = now - older_than
    if dry_run:
        return _preview(store, cutoff)
    put_guard = time.time() - blob_grace_s
    pruned: list[SessionSummary] = []
    records = 0
    removed: list[str] = []
    while candidates := store.prunable(cutoff, limit=_BATCH):
        deleted = store.delete_inactive([c.id for c in candidates], cutoff)
        if not deleted.ids:
            break  # each one became active again since it was selected
        pruned += [c for c in candidates if c.id in deleted.ids]
        records += deleted.evidence_records
        unused = sorted(deleted.sha256s - store.evidence_in_use(deleted.sha256s))
        if blobs is not None:
            removed += [s for s in unused if blobs.remove(s, unless_put_since=put_guard)]
    return PruneReport(
        cutoff=cutoff,
        dry_run=False,
        sessions=tuple(pruned),
        evidence_records=records,
        blobs=tuple(removed),
        expired=store.drop_expired(now),
    )


def _preview(store: SessionStore, cutoff: datetime) -> PruneReport:
    candidates = store.prunable(cutoff, limit=None)
    ids = {c.id for c in candidates}
    evidence = [record for sid in sorted(ids) for record in store.evidence(sid)]
    shas = {record.sha256 for record in evidence}
    unused = shas - store.evidence_in_use(shas, besides=ids)
    return PruneReport(
        cutoff=cutoff,
        dry_run=True,
        sessions=tuple(candidates),
        evidence_records=len(evidence),
        blobs=tuple(sorted(unused)),
    )
