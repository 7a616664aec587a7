"""The gap in people, computed by hand: the smallest whole change of the numerator that meets
the target with the unit's denominator (dbt_project/macros/target_comparison.sql, gap_count).

The macro is rendered as dbt renders it (plain Jinja) and run by DuckDB on each case."""

import duckdb
import jinja2
import pytest

from ingest.config import PROJECT_DIR

MACROS = (PROJECT_DIR / "dbt_project" / "macros" / "target_comparison.sql").read_text("utf-8")

# numerator, denominator, unit, comparator, target, tolerance, N, M -> gap_count
CASES = [
    # > 96,4 % of 500 pupils: 96,4 % is 482 exactly, «trên» needs 483
    (480, 500, "percent", ">", "96.4", None, None, None, 3),
    (482, 500, "percent", ">", "96.4", None, None, None, 1),
    (483, 500, "percent", ">", "96.4", None, None, None, 0),
    (490, 500, "percent", ">=", "96.4", None, None, None, -8),
    # < 0,7 % of 1 000 pupils: 7 is 0,7 % exactly, so at most 6 dropouts
    (7, 1000, "percent", "<", "0.7", None, None, None, 1),
    (11, 1000, "percent", "<", "0.7", None, None, None, 5),
    (7, 1000, "percent", "<=", "0.7", None, None, None, 0),
    (7, 1001, "percent", "<", "0.7", None, None, None, 0),  # 7 / 1 001 = 0,6993 %
    (3, 1000, "percent", "<", "0.7", None, None, None, -3),
    # enrolment of 6-10 year-olds >= 99,7 % of 11 542: 11 507,374 -> 11 508 children
    (10962, 11542, "percent", ">=", "99.7", None, None, None, 546),
    # 23 of 48 schools national-standard (stored as 47,916667 %): 23 exactly, not 24
    (21, 48, "percent", ">=", "47.916667", None, 23, 48, 2),
    (23, 48, "percent", ">=", "47.916667", None, 23, 48, 0),
    # a count: 4 science-fair projects
    (2, None, "count", ">=", "4", None, None, None, 2),
    # about 65 % ± 1 of 200: between 128 and 132
    (120, 200, "percent", "~", "65", "1", None, None, 8),
    (135, 200, "percent", "~", "65", "1", None, None, 3),
    (130, 200, "percent", "~", "65", "1", None, None, -2),
    # no denominator, no number
    (5, 0, "percent", ">=", "50", None, None, None, None),
    (None, 100, "percent", ">=", "50", None, None, None, None),
]


def render(case) -> str:
    n, d, unit, cmp, target, tol, count, base, _ = case

    def lit(v, kind="decimal(18, 6)"):
        return "null" if v is None else f"cast({v!r} as {kind})".replace("'", "'")

    call = "{{ gap_count('n', 'd', 'u', 'c', 't', 'tol', 'tc', 'tb') }}"
    sql = jinja2.Environment().from_string(MACROS + call).render()
    values = (
        f"select {lit(n, 'double')} as n, {lit(d, 'double')} as d, '{unit}' as u, '{cmp}' as c, "
        f"{lit(target)} as t, {lit(tol)} as tol, {lit(count)} as tc, {lit(base)} as tb"
    )
    return f"select {sql.strip()} from ({values})"


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}_of_{c[1]}_{c[3]}_{c[4]}" for c in CASES])
def test_gap_count(case):
    with duckdb.connect() as con:
        assert con.execute(render(case)).fetchone()[0] == case[-1]
