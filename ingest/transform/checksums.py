"""Order-independent checksums of the marts, to compare two warehouses (or two runs).

Columns that record *when* something was loaded (not what) are left out, so a rebuild
from the landing folder can be compared with the warehouse it replaces.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

VOLATILE = {"loaded_at"}  # spells start at a file's arrival (received_at), not at a load


def mart_checksums(
    database: Path, ignore: frozenset[str] = frozenset(), schema: str = "marts"
) -> dict[str, tuple[int, int]]:
    """{mart: (rows, sum of row hashes)} for every table of schema marts (or `schema`),
    leaving out the columns in `ignore` too (e.g. file hashes when the same reports come in
    other formats)."""
    out = {}
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ? "
                "and table_name != 'publish_info' order by 1",
                [schema],
            ).fetchall()
        ]
        for table in tables:
            columns = [
                (c, t)
                for (c, t) in con.execute(
                    "select column_name, data_type from duckdb_columns() where schema_name = ? "
                    "and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
                if c not in VOLATILE and c not in ignore
            ]
            # + 0.0 turns −0.0 into 0.0: equal in SQL, and DuckDB's storage does not keep
            # them apart (a segment of zeros is stored as one constant, with one sign)
            row = ", ".join(
                f"printf('%.12g', \"{c}\" + 0.0)" if t in ("DOUBLE", "FLOAT") else f'"{c}"'
                for c, t in columns
            )
            out[table] = tuple(
                con.execute(
                    f"select count(*), coalesce(sum(hash(({row}))::hugeint), 0) from {schema}.{table}"
                ).fetchone()
            )
    return out
