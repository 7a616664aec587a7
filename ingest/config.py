"""Where each zone lives. One data root, from the command line or the environment.

    <landing>/                      files as received (reports/, census/, targets/, registry/)
    <dir>/chitieu.duckdb            the warehouse dbt builds (never opened by readers)
    <root>/raw/reports/<batch>/     parsed cells with lineage, Parquet, one folder per batch
    <root>/validated/<batch>/       GX findings of that batch
    <root>/quarantine/<hash>/       refused files, kept with their Vietnamese feedback
    <root>/feedback/<hash>/         feedback for files accepted with warnings
    <root>/marts/dbt_marts.duckdb   the marts dbt builds (attached to the warehouse as
                                    `marts_db`; published by copying the file)
    <root>/serving/                 published snapshots for readers

<root> belongs to one warehouse file: `<dir>/<name>/` beside `<dir>/<name>.duckdb`, so
two warehouses in one folder never share a zone, a quarantine or a published snapshot.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_DIR / "data"


@dataclass(frozen=True)
class Paths:
    landing: Path
    warehouse: Path

    @classmethod
    def from_env(cls, landing: str | Path | None = None, warehouse: str | Path | None = None) -> Paths:
        landing = landing or os.environ.get("CHITIEU_LANDING") or DEFAULT_DATA / "landing"
        warehouse = (
            warehouse or os.environ.get("CHITIEU_WAREHOUSE") or DEFAULT_DATA / "warehouse" / "chitieu.duckdb"
        )
        return cls(Path(landing).resolve(), Path(warehouse).resolve())

    @property
    def root(self) -> Path:
        """The warehouse's own zones: `chitieu.duckdb` -> `chitieu/` beside it."""
        return self.warehouse.parent / self.warehouse.stem

    @property
    def marts(self) -> Path:
        """The marts' own DuckDB file (transform/marts_file.py)."""
        return self.root / "marts" / "dbt_marts.duckdb"  # as marts.duckdb, `marts.x` would be ambiguous

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def validated(self) -> Path:
        return self.root / "validated"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def serving(self) -> Path:
        return self.root / "serving"

    def make_dirs(self) -> None:
        for path in (self.root, self.raw, self.validated, self.quarantine, self.serving, self.marts.parent):
            path.mkdir(parents=True, exist_ok=True)
