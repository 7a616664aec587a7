"""The last snapshot copied while dbt builds: taken only while it is still the snapshot's."""

import os

import duckdb

from ingest.serve import snapshot_ahead


def _snapshot(path, rows: int):
    with duckdb.connect(str(path)) as con:
        con.execute(f"create or replace table t as select range as n from range({rows})")
    return path


def test_the_copy_is_the_snapshot_and_moves_into_the_publish(tmp_path):
    snapshot = _snapshot(tmp_path / "chitieu.duckdb", 1000)
    copy = snapshot_ahead.start(snapshot)
    taken = copy.take()
    assert taken is not None and taken.read_bytes() == snapshot.read_bytes()
    os.replace(taken, tmp_path / "next.duckdb")  # as publish_snapshot does
    copy.discard()
    with duckdb.connect(str(tmp_path / "next.duckdb"), read_only=True) as con:
        assert con.execute("select count(*), sum(n) from t").fetchone() == (1000, 999 * 1000 // 2)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".ahead")] == []


def test_a_snapshot_replaced_after_the_copy_is_not_taken(tmp_path):
    snapshot = _snapshot(tmp_path / "chitieu.duckdb", 10)
    copy = snapshot_ahead.start(snapshot)
    copy._thread.join()
    replacement = _snapshot(tmp_path / "other.duckdb", 20)
    os.replace(replacement, snapshot)  # another version published meanwhile
    assert copy.take() is None
    assert not copy.path.exists()  # removed: the publish copies the snapshot itself


def test_no_snapshot_no_copy_and_a_stopped_runs_copy_is_removed(tmp_path):
    assert snapshot_ahead.start(tmp_path / "chitieu.duckdb") is None
    snapshot = _snapshot(tmp_path / "chitieu.duckdb", 10)
    left = tmp_path / ".chitieu.duckdb.deadbeef.ahead"
    left.write_bytes(b"a copy a killed run left")
    copy = snapshot_ahead.start(snapshot)
    assert not left.exists()
    copy.discard()
    assert not copy.path.exists()
