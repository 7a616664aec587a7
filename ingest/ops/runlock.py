"""One load at a time per warehouse: a second run waits, or stops with a clear message.

A DuckDB file has a single writer; two loads at once (a second DAG run, the command line
beside the scheduler) would otherwise fail half-way. The lock is an flock on
<root>/.chitieu.lock, released by the kernel when its holder dies (even by SIGKILL), so a
crashed run never blocks the next one. The file names the holder for the message.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from ingest.config import Paths


class RunLocked(RuntimeError):
    """Another load holds the warehouse."""


@contextmanager
def run_lock(paths: Paths, purpose: str, wait_s: float = 0.0) -> Iterator[None]:
    paths.root.mkdir(parents=True, exist_ok=True)
    lock_path = paths.root / ".chitieu.lock"
    handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip()
                    raise RunLocked(
                        "Một lần nạp/công bố khác đang chạy trên kho dữ liệu này"
                        + (f" ({_describe(holder)})" if holder else "")
                        + ". Lần chạy này dừng lại, không thay đổi gì; chạy lại sau khi lần kia "
                        "kết thúc (hoặc dùng --wait để chờ)."
                    ) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "purpose": purpose,
                    "since": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        yield
    finally:
        handle.close()  # releases the lock


def _describe(holder: str) -> str:
    try:
        info = json.loads(holder)
    except ValueError:
        return holder
    return f"{info.get('purpose')}, tiến trình {info.get('pid')}, từ {info.get('since')} UTC"
