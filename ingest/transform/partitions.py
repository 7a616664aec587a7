"""Which partitions of the marts must rebuild: what arrived since the last build.

The models that grow with history (every school's, commune's and unit's numbers and
verdicts, `macros/incremental_by_period.sql`) are partitioned by school year, period and
the 2025 province a unit lies in (`province_code_2025`: every school, commune, district
and legacy province lies in exactly one, as provinces merged whole in 2025). A key is
'<school year>|<period>|<province>', where the province is '' for units placed in none
and '*' for the whole period. After each successful build the state file keeps a digest
per partition of the reports that make it — each report file's hash, status and arrival
time, placed by its school's province in the last build (`int_schools_by_year`) — and a
digest of every other input (registry, census, targets, administrative units, the dbt
project, the tool versions). A partition's digest also says whether its period's deadline
is over (fct_completeness_school: a school that has not reported turns from «not due» into
«missing» the day after), so the first build after a deadline redoes that period. The next
build compares:

  - another input changed, or no state yet      -> a full build (--full-refresh);
  - otherwise                                   -> only the partitions whose digest changed,
    with the partitions that read them. A report of a school the last build did not place
    that year (a new school year, a school outside the registry) counts for its whole
    period ('*'), and so does a period seen for the first time (its units with a target
    but no report get rows in every province). The transition to grade 6 of a school year divides
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
from ingest.contract.calendar import PERIOD_ORDER, past_deadline

_REPORTS = """
    select
        f.school_year || '|' || f.period || '|'
        || case when s.school_code is null then '*' else coalesce(s.province_code_2025, '') end,
        count(*),
        sum(hash(f.file_hash, f.status, f.received_at))::varchar
    from raw.files as f
    left join {placed} as s using (school_code, school_year)
    where f.kind = 'reports' and f.school_year is not null and f.period is not null
    group by all
"""
# where the last build placed each school in each school year (none before the first build)
_PLACED = "intermediate.int_schools_by_year"
_NOT_PLACED = (
    "(select null::varchar as school_code, null::varchar as school_year, null::varchar as province_code_2025)"
)
WHOLE_PERIOD = "*"
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
    """'<school year>|<period>|<province>' -> a digest of the report files of that partition."""
    placed = con.execute(
        "select count(*) from duckdb_tables() "
        "where schema_name = 'intermediate' and table_name = 'int_schools_by_year'"
    ).fetchone()[0]
    sql = _REPORTS.format(placed=_PLACED if placed else _NOT_PLACED)
    today = con.execute("select current_date").fetchone()[0]  # as dbt's DuckDB sees it
    return {
        key: f"{count}:{digest}" + (":due" if past_deadline(*key.split("|")[:2], today) else "")
        for key, count, digest in con.execute(sql).fetchall()
    }


def period_of(key: str) -> str:
    """'<school year>|<period>' of a partition key."""
    return key.rsplit("|", 1)[0]


def other_digest(con: duckdb.DuckDBPyConnection, project: str, tools: dict[str, str]) -> str:
    """A digest of everything but the reports: any change means a full build."""
    parts = [con.execute(sql).fetchall() for sql in _OTHER]
    return hashlib.sha256(json.dumps([parts, project, tools], default=str).encode()).hexdigest()


HISTORY_YEARS = 3  # the early warning's look-back (int_indicator_change_to_year_end)
INTERIM_PERIODS = ("dau_nam", "giua_nam")


def with_dependents(changed: set[str]) -> set[str]:
    """The changed partitions and those that read them (see the module's docstring): the
    same province in later periods, as a unit never leaves its 2025 province."""
    out = set(changed)
    for key in changed:
        year, period, province = key.split("|")
        if not year[:4].isdigit():
            continue
        start = int(year[:4])
        if period == "cuoi_nam":
            out |= {f"{start + 1}-{start + 2}|{p}|{province}" for p in PERIOD_ORDER}
        # a year's interim reading compares with its own end: each feeds the same period later
        reading = INTERIM_PERIODS if period == "cuoi_nam" else (period,)
        for later in range(start + 1, start + 1 + HISTORY_YEARS):
            out |= {f"{later}-{later + 1}|{p}|{province}" for p in reading}
    return out


def changed_partitions(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """The partitions whose reports changed, and the partitions holding data that read them
    (a period without a report file has no rows to rebuild); a period new since the last
    build is rebuilt whole."""
    known = before.keys() | now.keys()
    known_periods = {period_of(k) for k in known}
    periods_before = {period_of(k) for k in before}
    changed = {k for k in known if before.get(k) != now.get(k)}
    changed = {f"{period_of(k)}|{WHOLE_PERIOD}" if period_of(k) not in periods_before else k for k in changed}
    wanted = {k for k in with_dependents(changed) if period_of(k) in known_periods}
    whole = {period_of(k) for k in wanted if k.endswith(f"|{WHOLE_PERIOD}")}
    return sorted(k for k in wanted if period_of(k) not in whole or k.endswith(f"|{WHOLE_PERIOD}"))


def current_state(paths: Paths) -> dict:
    """{'partitions': {key: digest}, 'other': digest, 'load_seq': the ledger's last} of the
    warehouse as it is now."""
    from ingest.load import warehouse
    from ingest.transform.freshness import _dbt_project_digest, _tool_versions

    with warehouse.connect(paths.warehouse, read_only=True) as con:
        return {
            "partitions": report_digests(con),
            "other": other_digest(con, _dbt_project_digest(), _tool_versions()),
            "load_seq": con.execute("select coalesce(max(load_seq), 0) from raw.files").fetchone()[0],
        }


def state_after_build(paths: Paths, before: dict, changed: list[str] | None) -> dict:
    """current_state once a build succeeded, for the next build to compare with: the
    reports as this build placed them (a new school year's schools now have a province).
    An incremental build places no school anew when every report's school was placed
    before it (no digest of a whole period, '…|*'): the state is the one it started from,
    and the warehouse is not read again (0.1 s with six periods loaded)."""
    unplaced = any(key.endswith(f"|{WHOLE_PERIOD}") for key in before["partitions"])
    return before if changed is not None and not unplaced else current_state(paths)


def plan_build(previous: dict | None, now: dict) -> list[str] | None:
    """The partitions to rebuild, or None for a full build (also when the last state was
    written by a version that keyed partitions otherwise)."""
    if not previous or previous.get("other") != now["other"] or "partitions" not in previous:
        return None
    if any(key.count("|") != 2 for key in previous["partitions"]):
        return None
    return changed_partitions(previous["partitions"], now["partitions"])


def predicate(
    changed: list[str],
    year: str = "school_year",
    period: str = "period",
    province: str | None = "province_code_2025",
) -> str:
    """SQL: the row lies in one of the `changed` partitions — the same condition as
    `in_changed_partitions()` of macros/incremental_by_period.sql, for the publish.
    Without `province`, whole periods."""
    by_period: dict[str, set[str]] = {}
    for key in changed:
        by_period.setdefault(period_of(key), set()).add(key.rsplit("|", 1)[1])
    terms = []
    for key, provinces in sorted(by_period.items()):
        year_value, period_value = (_quote(x) for x in key.split("|"))
        term = f"({year} = {year_value} and {period} = {period_value}"
        if province and WHOLE_PERIOD not in provinces:
            named = sorted(p for p in provinces if p)
            parts = [f"{province} in ({', '.join(_quote(p) for p in named)})"] if named else []
            if "" in provinces:
                parts.append(f"{province} is null")
            term += " and (" + " or ".join(parts) + ")"
        terms.append(term + ")")
    return "(" + " or ".join(terms) + ")" if terms else "false"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def first_new_load_seq(previous: dict | None) -> int | None:
    """The first load sequence the last successful build did not see (None: unknown)."""
    seq = (previous or {}).get("load_seq")
    return seq + 1 if isinstance(seq, int) else None


def write_changed(paths: Paths, changed: list[str], new_from_load_seq: int | None = None) -> None:
    """The partitions the next incremental build redoes -> raw.changed_partitions; the first
    load sequence it has not built -> raw.build_scope (its tests of the tables that grow by
    file look at those files only: macros/tests_on_changed_partitions.sql). Both empty
    after a build: a dbt run by hand then tests every row."""
    from ingest.load import warehouse

    with warehouse.connect(paths.warehouse) as con, warehouse.transaction(con):
        con.execute("delete from raw.changed_partitions")
        if changed:
            con.executemany("insert into raw.changed_partitions values (?)", [[key] for key in changed])
        con.execute("delete from raw.build_scope")
        if new_from_load_seq is not None:
            con.execute("insert into raw.build_scope values (?)", [new_from_load_seq])
