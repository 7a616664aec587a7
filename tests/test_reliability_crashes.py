"""A run killed at each point of the load, then run again, ends with the marts of an
uninterrupted run, while readers on the serving snapshot and on PostgreSQL never see a
partial state. (The states and helpers: tests/reliability_states.py.)"""

import pytest
import readers
from reliability_states import (
    SNAPSHOT,
    cli,
    copy_state,
    finish,
    kill_at,
    mart_checksums,
    start_reader,
    states,
)

pytestmark = pytest.mark.slow
__all__ = ["states"]


@pytest.mark.postgres
@pytest.mark.parametrize("point", ["parse", "validate", "load", "dbt", "publish", "publish_postgres"])
def test_killed_run_then_rerun_equals_an_uninterrupted_one(states, pg_database, point, tmp_path):
    root, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    env = {"CHITIEU_PG_DSN": pg_database} if point == "publish_postgres" else {}
    duck, duck_results = start_reader(readers.duckdb_reader, str(paths.serving / SNAPSHOT), 90)
    pg, pg_results = start_reader(readers.postgres_reader, pg_database, 90)
    kill_at(cli(paths, "run", env={"CHITIEU_PAUSE_AT": point, **env}), point)
    code, out, err = finish(cli(paths, "run", env=env))
    assert code == 0, err
    assert mart_checksums(paths.serving / SNAPSHOT) == expected
    for process, results in ((duck, duck_results), (pg, pg_results)):
        process.stop.set()
        seen, errors, reads = results.get(timeout=200)
        process.join(timeout=30)
        assert errors == [] and reads > 0
