"""Which school years and periods the marts must rebuild: what arrived since the last build.

The models that grow with history (every school's, commune's and unit's numbers and
verdicts, `macros/incremental_by_period.sql`) are partitioned by (school year, period).
After each successful build the state file keeps a digest per partition of the reports
that make it — each report file's hash, status and arrival time — and a digest of every
other input (registry, census, targets, administrative units, the dbt project, the tool
versions). The next build compares:

  - another input changed, or no state yet      -> a full build (--full-refresh);
  - otherwise                                   -> only the partitions whose digest changed,
    with the partitions that read them: the transition to grade 6 of a school year divides
    by the previous year's grade-5 completers (int_commune_indicator_counts), so a change to
    a year's end-of-year reports rebuilds the next year too; and the early warning of a
    start- or mid-year reading draws on the unit's three previous years
    (int_indicator_change_to_year_end), so a change to a year's start (middle) of the year
    rebuilds the start (middle) of the three years after it, and a change to its end both.

A failed build records nothing, so the next one rebuilds everything changed since the last
success; the result is always what a full build gives (tests/test_no_drift.py).
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from ingest.config import Paths
from ingest.contract.calendar import PERIOD_ORDER

_REPORTS = """
    select school_year || '|' || period, count(*), sum(hash(file_hash, status, received_at))::varchar
    from raw.files
    where kind = 'reports' and school_year is not null and period is not null
    group by all
"""
_OTHER = [
    """select kind, count(*), sum(hash(file_hash, status, received_at))::varchar
       from raw.files where kind != 'reports' group by all order by 1""",
    "select count(*) from raw.files where kind = 'reports' and (school_year is null or period is null)",
    "select count(*) from raw.registry",
    "select count(*) from raw.census",
    "select count(*) from raw.targets",
    "select max(package_version), max(loaded_at)::varchar from raw.admin_units_meta",
]


def report_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """'<school year>|<period>' -> a digest of the report files of that partition."""
    return {key: f"{count}:{digest}" for key, count, digest in con.execute(_REPORTS).fetchall()}


def other_digest(con: duckdb.DuckDBPyConnection, project: str, tools: dict[str, str]) -> str:
    """A digest of everything but the reports: any change means a full build."""
    parts = [con.execute(sql).fetchall() for sql in _OTHER]
    return hashlib.sha256(json.dumps([parts, project, tools], default=str).encode()).hexdigest()


HISTORY_YEARS = 3  # the early warning's look-back (int_indicator_change_to_year_end)
INTERIM_PERIODS = ("dau_nam", "giua_nam")


def with_dependents(changed: set[str]) -> set[str]:
    """The changed partitions and those that read them (see the module's docstring)."""
    out = set(changed)
    for key in changed:
        year, period = key.split("|")
        if not year[:4].isdigit():
            continue
        start = int(year[:4])
        if period == "cuoi_nam":
            out |= {f"{start + 1}-{start + 2}|{p}" for p in PERIOD_ORDER}
        # a year's interim reading compares with its own end: each feeds the same period later
        reading = INTERIM_PERIODS if period == "cuoi_nam" else (period,)
        for later in range(start + 1, start + 1 + HISTORY_YEARS):
            out |= {f"{later}-{later + 1}|{p}" for p in reading}
    return out


def changed_partitions(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """The partitions whose reports changed, and the partitions holding data that read them
    (a partition without a report file has no rows to rebuild)."""
    known = before.keys() | now.keys()
    changed = {k for k in known if before.get(k) != now.get(k)}
    return sorted(k for k in with_dependents(changed) if k in known)


def current_state(paths: Paths) -> dict:
    """{'partitions': {key: digest}, 'other': digest} of the warehouse as it is now."""
    from ingest.load import warehouse
    from ingest.transform.freshness import _dbt_project_digest, _tool_versions

    with warehouse.connect(paths.warehouse, read_only=True) as con:
        return {
            "partitions": report_digests(con),
            "other": other_digest(con, _dbt_project_digest(), _tool_versions()),
        }


def plan_build(previous: dict | None, now: dict) -> list[str] | None:
    """The partitions to rebuild, or None for a full build."""
    if not previous or previous.get("other") != now["other"] or "partitions" not in previous:
        return None
    return changed_partitions(previous["partitions"], now["partitions"])


def write_changed(paths: Paths, changed: list[str]) -> None:
    """The partitions the next incremental build redoes -> raw.changed_partitions."""
    from ingest.load import warehouse

    with warehouse.connect(paths.warehouse) as con, warehouse.transaction(con):
        con.execute("delete from raw.changed_partitions")
        if changed:
            con.executemany("insert into raw.changed_partitions values (?)", [[key] for key in changed])
