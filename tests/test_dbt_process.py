"""The dbt process kept between runs (ingest/transform/dbt_process.py): dbt is imported once
per Python process, and the warehouse file is free between commands."""

import duckdb

from ingest.config import Paths
from ingest.transform import dbt_process
from ingest.transform.dbt_build import run_dbt


def answer(paths: Paths) -> str:
    result = run_dbt(paths, "show", "--inline", "select 6 * 7 as answer")
    assert result.success, result.failures
    return result.output


def test_a_second_command_reuses_the_process_and_the_file_is_free_between(tmp_path):
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    paths.make_dirs()
    assert "42" in answer(paths)
    first = dbt_process._idle[-1]
    with duckdb.connect(str(paths.warehouse)) as con:  # read-write: dbt holds no lock now
        con.execute("create table probe as select 1 as x")
    assert "42" in answer(paths)
    assert dbt_process._idle[-1] is first  # the same process served both


def test_a_process_that_died_is_replaced(tmp_path):
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    paths.make_dirs()
    answer(paths)
    dead = dbt_process._idle[-1]
    dead.kill()
    dead.wait()
    assert "42" in answer(paths)
    assert dbt_process._idle[-1] is not dead


def test_a_process_started_early_serves_the_run_and_is_started_once(tmp_path):
    """A run starts dbt's process at the first sign of something new (pipeline._warm_up),
    before it knows what to build: that process parses and runs the build, and a second
    start while one is ready starts nothing more."""
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    paths.make_dirs()
    dbt_process.stop_all()  # no process left by another test
    dbt_process.start()
    assert len(dbt_process._idle) == 1
    early = dbt_process._idle[0]
    dbt_process.start()
    assert dbt_process._idle == [early]
    from ingest.transform.dbt_build import start_dbt_ahead

    start_dbt_ahead(paths)
    assert dbt_process._idle == [] and dbt_process._ahead  # it is the one parsing
    dbt_process.start()  # a process is parsing for the build: nothing more is started
    assert dbt_process._idle == []
    assert "42" in answer(paths)
    assert dbt_process._idle == [early]


def test_dbt_gives_way_to_the_run_and_its_workers(tmp_path):
    """dbt's process runs at a lower priority than the run (dbt_ahead.NICENESS): its import
    must not slow the walk and GX's import, which the run waits for first."""
    import os

    from ingest.transform.dbt_ahead import NICENESS

    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    paths.make_dirs()
    answer(paths)  # the process has started and served a command
    process = dbt_process._idle[-1]
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, process.pid) == min(ours + NICENESS, 19)
