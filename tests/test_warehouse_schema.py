"""A warehouse made by an earlier version is brought to the current schema when opened."""

from __future__ import annotations

import duckdb
import pytest

from ingest.load import warehouse

# raw.files and raw.report_cells as the versions before 2026-12-03 made them
OLD_DDL = """
create schema raw;
create table raw.files (
    file_hash varchar primary key, kind varchar not null, landing_path varchar not null,
    size_bytes bigint, received_at timestamp, status varchar not null, errors integer not null,
    warnings integer not null, school_code varchar, school_name varchar, school_year varchar,
    period varchar, report_date date, batch_id varchar, load_seq bigint not null,
    loaded_at timestamp not null
);
create table raw.report_cells (
    file_hash varchar not null, sheet_kind varchar not null, sheet_name varchar,
    record_no integer not null, "row" integer, "column" varchar, field varchar not null,
    value_number double, value_text varchar
);
insert into raw.files values
    ('a', 'reports', 'reports/a.xlsx', 1, now(), 'accepted', 0, 0, '1', 'A', '2024-2025', 'cuoi_nam',
     null, 'b1', 7, now()),
    ('b', 'reports', 'reports/b.xlsx', 1, now(), 'accepted', 0, 0, '2', 'B', '2024-2025', 'cuoi_nam',
     null, 'b1', 9, now());
insert into raw.report_cells values
    ('a', 'pupils', 'Học sinh', 1, 5, 'C', 'enrolled', 30, null),
    ('a', 'pupils', 'Học sinh', 2, 6, 'C', 'enrolled', 31, null),
    ('b', 'pupils', 'Học sinh', 1, 5, 'C', 'enrolled', 12, null);
"""


def test_cells_of_an_older_warehouse_get_their_files_load_seq(tmp_path):
    path = tmp_path / "chitieu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_DDL)
    with warehouse.connect(path) as con:
        rows = con.execute(
            "select file_hash, record_no, load_seq from raw.report_cells order by 1, 2"
        ).fetchall()
        assert rows == [("a", 1, 7), ("a", 2, 7), ("b", 1, 9)]
        history = warehouse.accepted_enrolment(con, ["1"])
    assert history[["school_code", "load_seq", "enrolled"]].values.tolist() == [["1", 7, 61.0]]
    with warehouse.connect(path) as con:  # opened again: nothing left to do, nothing changed
        assert con.execute("select sum(load_seq) from raw.report_cells").fetchone()[0] == 23


def test_reports_of_an_older_warehouse_get_their_total_enrolled_from_their_cells(tmp_path):
    """The history rule reads each report's total from the ledger: a ledger from before it
    kept them gets them from the cells, summed by hand here (30 + 31 and 12)."""
    path = tmp_path / "chitieu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_DDL)
        con.execute(
            "insert into raw.files values ('c', 'census', 'census/c.csv', 1, now(), 'accepted', 0, 0, "
            "null, null, null, null, null, 'b0', 3, now())"
        )
    for _ in range(2):  # the second open finds nothing to do
        with warehouse.connect(path) as con:
            totals = con.execute("select file_hash, pupils_total from raw.files order by 1").fetchall()
            assert totals == [("a", 61.0), ("b", 12.0), ("c", None)]
    with warehouse.connect(path) as con:
        history = warehouse.accepted_enrolment(con, ["1", "2"])
    assert sorted(history[["school_code", "load_seq", "enrolled"]].values.tolist()) == [
        ["1", 7, 61.0],
        ["2", 9, 12.0],
    ]


def test_the_ledger_of_an_older_warehouse_loses_its_primary_key_index_and_keeps_its_rows(tmp_path):
    """DuckDB rewrote raw.files' primary-key index of every file ever received at each
    load's checkpoint; the migration drops the index and keeps every row and column."""
    path = tmp_path / "chitieu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(OLD_DDL)
        before = con.execute("select * from raw.files order by file_hash").fetchall()
    for _ in range(2):  # the second open finds nothing to do
        with warehouse.connect(path) as con:
            assert (
                con.execute("select * exclude (pupils_total) from raw.files order by file_hash").fetchall()
                == before
            )
            constraints = con.execute(
                "select constraint_type, constraint_column_names from duckdb_constraints() "
                "where schema_name = 'raw' and table_name = 'files'"
            ).fetchall()
            assert ("PRIMARY KEY", ["file_hash"]) not in constraints
            assert ("NOT NULL", ["file_hash"]) in constraints
            assert (
                con.execute(
                    "select count(*) from duckdb_tables() where table_name = 'files_indexed'"
                ).fetchone()[0]
                == 0
            )


def _batch(tmp_path, name: str, hashes: list[str], cells_per_file: int, numbered: bool = True):
    """A batch folder as a worker writes it: files, and cells numbered by their file's row
    (not `numbered`: as versions before 2026-12-07 wrote them)."""
    import pandas as pd

    from ingest.load import raw_zone

    files = pd.DataFrame(
        {
            "file_hash": hashes,
            "kind": "reports",
            "landing_path": [f"reports/{h}.xlsx" for h in hashes],
            "report_date": "2024-05-20",
        }
    )
    cells = pd.DataFrame(
        {
            "file_hash": [h for h in hashes for _ in range(cells_per_file)],
            "sheet_kind": "pupils",
            "sheet_name": "Học sinh",
            "record_no": [r for _ in hashes for r in range(cells_per_file)],
            "row": 5,
            "column": "C",
            "field": "enrolled",
            "value_number": 1.0,
            "value_text": None,
            "file_no": [i for i in range(len(hashes)) for _ in range(cells_per_file)],
        }
    )
    if not numbered:
        cells = cells.drop(columns=["file_no"])
    return files, raw_zone.write_parts(tmp_path / name, {"files": files, "cells": cells}) / "cells.parquet"


def test_each_cell_gets_its_files_load_seq_with_or_without_a_file_left_out(tmp_path):
    """load_files numbers a batch's cells by their file's row when the ledger takes every
    file (in parallel, no join), and by hash when one is left out (already loaded): either
    way a cell's load_seq is its file's, and every cell of a new file is loaded once."""
    import pandas as pd

    path = tmp_path / "w.duckdb"
    none = pd.DataFrame(columns=["file_hash", "severity"])
    # 130,000 cells: more than one of DuckDB's row groups, so the parallel path runs
    first, first_cells = _batch(tmp_path, "b1", ["a", "b", "c"], 130_000 // 3)
    again, again_cells = _batch(tmp_path, "b2", ["d", "b", "e"], 5)  # "b" is already loaded
    with warehouse.connect(path) as con:
        ledger1 = warehouse.load_files(con, first, none, cells=[first_cells], batch_id="b1")
        ledger2 = warehouse.load_files(con, again, none, cells=[again_cells], batch_id="b2")
        assert list(ledger1["load_seq"]) == [1, 2, 3] and list(ledger2["load_seq"]) == [4, 5]
        per_file = dict(
            con.execute(
                "select c.file_hash, count(*) from raw.report_cells c join raw.files f "
                "on f.file_hash = c.file_hash and f.load_seq = c.load_seq group by 1"
            ).fetchall()
        )
        total = con.execute("select count(*) from raw.report_cells").fetchone()[0]
    assert per_file == {"a": 43_333, "b": 43_333, "c": 43_333, "d": 5, "e": 5}
    assert total == 3 * 43_333 + 10


@pytest.mark.parametrize("known", [[], ["g"]])
def test_batches_loaded_together_number_their_cells_in_order(tmp_path, known):
    """Several batches in one load (one transaction): the files of the second batch come
    after the first's, and each cell gets its own file's load_seq and batch — by row when
    the ledger takes every file, by hash when one was already loaded."""
    import pandas as pd

    path = tmp_path / "w.duckdb"
    none = pd.DataFrame(columns=["file_hash", "severity"])
    with warehouse.connect(path) as con:
        if known:
            old, old_cells = _batch(tmp_path, "b0", known, 2)
            warehouse.load_files(con, old, none, cells=[old_cells], batch_id="b0")
        one, one_cells = _batch(tmp_path, "b1", ["f", "g"], 70_000)
        two, two_cells = _batch(tmp_path, "b2", ["h", "i", "j"], 3)
        files = pd.concat([one.assign(batch_id="b1"), two.assign(batch_id="b2")], ignore_index=True)
        ledger = warehouse.load_files(con, files, none, cells=[one_cells, two_cells])
        first = len(known) + 1
        expected = {h: first + i for i, h in enumerate(x for x in "fghij" if x not in known)}
        assert dict(zip(ledger["file_hash"], ledger["load_seq"], strict=True)) == expected
        assert dict(con.execute("select file_hash, batch_id from raw.files").fetchall()) == {
            **{h: "b0" for h in known},
            **{h: "b1" for h in "fg" if h not in known},
            **{h: "b2" for h in "hij"},
        }
        cells = dict(
            con.execute(
                "select c.file_hash, count(*) from raw.report_cells c join raw.files f "
                "on f.file_hash = c.file_hash and f.load_seq = c.load_seq group by 1"
            ).fetchall()
        )
        total = con.execute("select count(*) from raw.report_cells").fetchone()[0]
    new_cells = {"f": 70_000, "g": 70_000, "h": 3, "i": 3, "j": 3}
    assert cells == {**new_cells, **{h: 2 for h in known}}
    assert total == sum(new_cells.values()) - sum(new_cells[h] for h in known) + 2 * len(known)


def test_a_batch_of_an_older_version_loads_with_a_new_one(tmp_path):
    """A batch parsed before cells carried `file_no` (left by a run stopped before an
    upgrade), loaded with a new one: each cell gets its file's load_seq, by hash."""
    import pandas as pd

    none = pd.DataFrame(columns=["file_hash", "severity"])
    old, old_cells = _batch(tmp_path, "b1", ["k", "l"], 4, numbered=False)
    new, new_cells = _batch(tmp_path, "b2", ["m"], 3)
    files = pd.concat([old.assign(batch_id="b1"), new.assign(batch_id="b2")], ignore_index=True)
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        ledger = warehouse.load_files(con, files, none, cells=[old_cells, new_cells])
        assert list(ledger["load_seq"]) == [1, 2, 3]
        cells = con.execute(
            "select c.file_hash, count(*) from raw.report_cells c join raw.files f "
            "on f.file_hash = c.file_hash and f.load_seq = c.load_seq group by 1 order by 1"
        ).fetchall()
    assert cells == [("k", 4), ("l", 4), ("m", 3)]
