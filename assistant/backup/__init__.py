"""Backup and restore of everything an installation keeps (``smecmm backup`` / ``restore``).

``create_backup`` writes one ``.tar.gz`` archive (see ``manifest`` for what it holds);
``restore_backup`` checks a whole archive before it writes anything, and refuses a target
that already holds data unless told to replace it.
"""

from __future__ import annotations

from assistant.backup.make import BackupReport, BackupSource, create_backup
from assistant.backup.manifest import FORMAT_VERSION, Manifest
from assistant.backup.restore import RestoreReport, RestoreTarget, restore_backup

__all__ = [
    "FORMAT_VERSION",
    "BackupReport",
    "BackupSource",
    "Manifest",
    "RestoreReport",
    "RestoreTarget",
    "create_backup",
    "restore_backup",
]
