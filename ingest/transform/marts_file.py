"""The marts' own DuckDB file, beside the warehouse (config.Paths.marts).

dbt builds staging and intermediate models in the warehouse and the marts in this file,
which it attaches as `marts_db` (dbt_project/profiles.yml). A publish then copies the file
whole into the serving snapshot: copying its bytes costs far less than writing every mart
again, table by table, into a new database (a national period: 3.2 s of DuckDB compressing
what dbt had compressed already, against 0.1 s).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingest.config import Paths

MARTS_CATALOG = "marts_db"  # as dbt_project/profiles.yml attaches the file


@contextmanager
def reading(paths: Paths) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse read-only with the marts' file attached, as dbt sees them: `raw.files`,
    `intermediate.…` and `marts.…` all resolve, and join. For a look at how a number was
    made; dashboards and analysts read the published snapshot (serve/publish.py)."""
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        if paths.marts.exists():
            con.execute(f"attach '{paths.marts}' as {MARTS_CATALOG} (read_only)")
            here = con.execute("select current_database()").fetchone()[0]
            con.execute(f"set search_path = '{here}.main,{MARTS_CATALOG}.marts'")
        yield con


def without_wal(database: Path) -> None:
    """Every change of `database` in the file itself, none left in its write-ahead log
    (which a copy of the file would leave behind). DuckDB checkpoints a database as its
    last connection closes, so this opens the file only after a crash."""
    if database.with_name(database.name + ".wal").exists():
        with duckdb.connect(str(database)) as con:
            con.execute("checkpoint")
