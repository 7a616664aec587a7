"""Progress you can watch: a bar on a terminal, a line per batch in a log (Airflow's).

Counts: files parsed, accepted, refused, files per second and the time left.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd


class Progress:
    def __init__(self, total: int, label: str, enabled: bool = True) -> None:
        self.total, self.label, self.enabled = total, label, enabled
        self.done = self.refused = self.flagged = 0
        self.started = time.perf_counter()
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="tệp", smoothing=0.1)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_) -> None:
        if self.bar is not None:
            self.bar.close()

    def batch_done(self, batch: Path, files: int) -> None:
        """Count a finished batch: its refused files are those with an error finding."""
        self.done += files
        try:
            found = pd.concat(
                [
                    pd.read_parquet(batch / "findings.parquet"),
                    pd.read_parquet(
                        batch.parent.parent.parent / "validated" / batch.name / "findings.parquet"
                    ),
                ]
            )
            errors = found[found["severity"] == "error"]["file_hash"].nunique()
            warnings = found[found["severity"] == "warning"]["file_hash"].nunique()
        except (OSError, KeyError):
            errors = warnings = 0
        self.refused += errors
        self.flagged += warnings
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        if self.bar is not None:
            self.bar.update(files)
            self.bar.set_postfix(bi_tu_choi=self.refused, canh_bao=self.flagged)
        elif self.enabled:
            print(
                f"{self.label}: {self.done}/{self.total} tệp, {self.refused} bị từ chối, "
                f"{self.flagged} có cảnh báo — {rate:.0f} tệp/giây, còn khoảng {left:.0f} giây",
                flush=True,
            )
