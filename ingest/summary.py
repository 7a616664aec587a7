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

    def count(self, status: str) -> int:
        return 0 if self.loaded.empty else int((self.loaded["status"] == status).sum())
