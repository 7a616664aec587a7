"""Reader processes for the publish tests: they read while a publish runs, as BI tools do."""

from __future__ import annotations

import time

CHECKED = ("fct_target_achievement_school", "fct_completeness_school", "fct_scorecard_district")
# Between reads: dozens of reads a second still straddle every swap, and a reader does not
# take a whole core from the run it watches (the tests run on two cores, two at a time).
PAUSE_S = 0.02


def duckdb_reader(path: str, seconds: float, queue, stop=None, ready=None) -> None:
    """Open the serving snapshot read-only again and again; every read must be one version.
    `ready` (an Event) is set after the first read, `stop` ends the reading."""
    import duckdb

    seen, errors, reads = set(), [], 0
    deadline = time.time() + seconds
    while time.time() < deadline and not (stop is not None and stop.is_set()):
        try:
            with duckdb.connect(path, read_only=True) as con:
                info = dict(con.execute("select table_name, row_count from marts.publish_info").fetchall())
                version = con.execute("select min(version) from marts.publish_info").fetchone()[0]
                for table in CHECKED:
                    count = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
                    if count != info[table]:
                        errors.append(f"{version} {table}: {count} rows, publish_info says {info[table]}")
            seen.add(version)
            reads += 1
            if ready is not None:
                ready.set()
        except Exception as exc:  # noqa: BLE001 - the test reports every failure
            errors.append(repr(exc))
        time.sleep(PAUSE_S)
    queue.put((sorted(seen), errors, reads))


def postgres_reader(dsn: str, seconds: float, queue, stop=None, ready=None) -> None:
    """Query the published schema as the BI role; every statement must see one version."""
    import psycopg

    seen, errors, reads = set(), [], 0
    deadline = time.time() + seconds
    with psycopg.connect(dsn, autocommit=True) as pg:
        while time.time() < deadline and not (stop is not None and stop.is_set()):
            for table in CHECKED:
                try:
                    version, recorded, count = pg.execute(
                        f"select p.version, p.row_count, (select count(*) from marts.{table}) "
                        f"from marts.publish_info as p where p.table_name = %s",
                        [table],
                    ).fetchone()
                    if recorded != count:
                        errors.append(f"{version} {table}: {count} rows, publish_info says {recorded}")
                    seen.add(version)
                    reads += 1
                    if ready is not None:
                        ready.set()
                except Exception as exc:  # noqa: BLE001
                    errors.append(repr(exc))
            time.sleep(PAUSE_S)
    queue.put((sorted(seen), errors, reads))
