"""What a run, or one step of it, did: files seen, loaded, refused; marts rebuilt; published."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class RunSummary:
    published: object = None  # publish.Published
    seen: int = 0
    already_loaded: int = 0
    loaded: pd.DataFrame = field(default_factory=pd.DataFrame)  # ledger rows of this run
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    models: list[str] = field(default_factory=list)
    dbt_failures: list[str] = field(default_factory=list)
    rebuilt: bool = True  # False: nothing the marts depend on changed, dbt was not run
    partitions: list[str] | None = None  # the school years|periods rebuilt; None: all
    # closed periods' folders a file was added to, removed from or renamed in (walked whole)
    closed_changed: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return 0 if self.loaded.empty else int((self.loaded["status"] == status).sum())

    @classmethod
    def of_run(
        cls,
        reference: RunSummary,
        reports: RunSummary,
        marts: RunSummary,
        published,
        closed_changed: tuple[str, ...] = (),
    ) -> RunSummary:
        """A whole run's, from its steps': the reference files', the reports' and the marts'."""
        frames = [x for x in (reference.loaded, reports.loaded) if not x.empty]
        found = [x for x in (reference.findings, reports.findings) if not x.empty]
        return cls(
            rebuilt=marts.rebuilt,
            partitions=marts.partitions,
            published=published,
            seen=reference.seen + reports.seen,
            already_loaded=reference.already_loaded + reports.already_loaded,
            loaded=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
            findings=pd.concat(found, ignore_index=True) if found else pd.DataFrame(),
            models=marts.models,
            closed_changed=closed_changed,
        )
