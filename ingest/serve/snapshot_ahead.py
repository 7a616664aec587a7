"""The last serving snapshot copied while dbt builds, for the publish that follows.

An incremental publish starts its new snapshot as a copy of the last one and replaces the
partitions that changed (publish.publish_snapshot). The copy grows with every period on
record (six national periods: 430 MB, 0.3–0.6 s to copy and flush to disk), and it does
not depend on the build: so a run starts it, in a thread, as dbt starts, and the publish
takes the copy when it is still the current snapshot's. The copy is flushed to disk in the
thread too, so the publish's own checkpoint only waits for the pages it changed.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

SNAPSHOT = "chitieu.duckdb"  # as serve/publish.py names it


class SnapshotAhead:
    """A copy of `snapshot` made in a thread (see the module)."""

    def __init__(self, snapshot: Path) -> None:
        self.snapshot = snapshot
        self.path = snapshot.with_name(f".{snapshot.name}.{uuid.uuid4().hex[:8]}.ahead")
        self._copied_from: tuple[int, int, int] | None = None
        self._thread = threading.Thread(target=self._copy, name="snapshot-ahead", daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        try:
            before = _identity(self.snapshot)
            shutil.copyfile(self.snapshot, self.path)
            with open(self.path, "rb+") as copy:
                os.fsync(copy.fileno())
            if _identity(self.snapshot) == before:
                self._copied_from = before
        except OSError:
            self._copied_from = None  # the publish copies the file itself

    def take(self) -> Path | None:
        """The copy, if it was made whole from the snapshot as it still is; None otherwise
        (the caller copies the snapshot itself)."""
        self._thread.join()
        try:
            if self._copied_from is not None and _identity(self.snapshot) == self._copied_from:
                return self.path
        except OSError:
            pass
        self.discard()
        return None

    def discard(self) -> None:
        """The copy not taken (a full publish, a failed build): removed."""
        self._thread.join()
        self.path.unlink(missing_ok=True)


def _identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def start(snapshot: Path) -> SnapshotAhead | None:
    """A copy of the snapshot started now; None when there is no snapshot yet. A copy left
    by a run that was stopped (the run lock is held: no other run's) is removed first."""
    for left in snapshot.parent.glob(f".{snapshot.name}.*.ahead"):
        left.unlink(missing_ok=True)
    return SnapshotAhead(snapshot) if snapshot.is_file() else None


def start_into(serving: Path, copies: list[SnapshotAhead]) -> None:
    """Start a copy of the serving snapshot, if there is one, and add it to `copies` (what
    a run calls as dbt starts: pipeline._run)."""
    copy = start(serving / SNAPSHOT)
    if copy is not None:
        copies.append(copy)
