"""Which partitions a build redoes (ingest/transform/partitions.py), on hand-made states.

A key is '<school year>|<period>|<2025 province>' ('' for no province, '*' for the whole
period)."""

import duckdb

from ingest.transform import partitions

BEFORE = {
    "2023-2024|giua_nam|01": "3:11",
    "2023-2024|giua_nam|02": "3:21",
    "2023-2024|cuoi_nam|01": "3:12",
    "2023-2024|cuoi_nam|02": "3:22",
    "2024-2025|dau_nam|01": "2:13",
}


def plan(before, now):
    return partitions.plan_build({"partitions": before, "other": "x"}, {"partitions": now, "other": "x"})


def test_nothing_changed_rebuilds_nothing():
    assert plan(BEFORE, BEFORE) == []


def test_a_correction_rebuilds_its_province_and_period_only():
    now = {**BEFORE, "2023-2024|giua_nam|02": "4:99"}
    assert plan(BEFORE, now) == ["2023-2024|giua_nam|02"]


def test_an_end_of_year_change_rebuilds_the_next_year_of_the_same_province_too():
    """2024-2025's transition to grade 6 divides by 2023-2024's grade-5 completers, and its
    start-of-year warning by the change from start to end in 2023-2024 — of the same units,
    so of the same province."""
    before = {**BEFORE, "2024-2025|cuoi_nam|02": "1:1"}
    now = {**before, "2023-2024|cuoi_nam|01": "4:99"}
    assert plan(before, now) == [
        "2023-2024|cuoi_nam|01",
        "2024-2025|cuoi_nam|01",
        "2024-2025|dau_nam|01",
    ]


def test_an_interim_change_rebuilds_the_warnings_of_the_three_years_after():
    """A mid-year warning draws on the unit's three previous mid-years (and their ends)."""
    years = ["2020-2021", "2021-2022", "2022-2023", "2023-2024", "2024-2025"]
    before = {f"{y}|{p}|01": "1:1" for y in years for p in ("dau_nam", "giua_nam", "cuoi_nam")}
    now = {**before, "2020-2021|giua_nam|01": "2:2"}
    assert plan(before, now) == [
        "2020-2021|giua_nam|01",
        "2021-2022|giua_nam|01",
        "2022-2023|giua_nam|01",
        "2023-2024|giua_nam|01",
    ]


def test_a_new_period_is_built_whole():
    """Its units with a target but no report get rows in every province."""
    now = {**BEFORE, "2025-2026|dau_nam|01": "1:5"}
    assert plan(BEFORE, now) == ["2025-2026|dau_nam|*"]


def test_a_report_the_last_build_did_not_place_rebuilds_its_whole_period():
    now = {**BEFORE, "2023-2024|giua_nam|*": "1:7", "2023-2024|giua_nam|01": "3:99"}
    assert plan(BEFORE, now) == ["2023-2024|giua_nam|*"]


def test_the_units_placed_in_no_province_are_a_partition():
    before = {**BEFORE, "2023-2024|giua_nam|": "1:1"}
    now = {**before, "2023-2024|giua_nam|": "2:2"}
    assert plan(before, now) == ["2023-2024|giua_nam|"]


def test_a_state_of_period_keys_means_a_full_build():
    """A warehouse built before partitions had provinces is rebuilt once, whole."""
    old = {"partitions": {"2023-2024|giua_nam": "3:11"}, "other": "x"}
    assert partitions.plan_build(old, {"partitions": BEFORE, "other": "x"}) is None


ROWS = [  # school_year, period, province_code_2025
    ("2023-2024", "giua_nam", "01"),
    ("2023-2024", "giua_nam", "02"),
    ("2023-2024", "giua_nam", None),
    ("2023-2024", "cuoi_nam", "01"),
    ("2023-2024", "cuoi_nam", "02"),
    ("2024-2025", "dau_nam", "02"),
]


def selected(changed, by_province=True):
    province = "province_code_2025" if by_province else None
    with duckdb.connect() as con:
        con.execute("create table t (school_year varchar, period varchar, province_code_2025 varchar)")
        con.executemany("insert into t values (?, ?, ?)", ROWS)
        sql = f"select * from t where {partitions.predicate(changed, province=province)} order by all"
        return con.execute(sql).fetchall()


def test_the_predicate_selects_exactly_the_changed_partitions():
    assert selected(["2023-2024|giua_nam|02"]) == [("2023-2024", "giua_nam", "02")]
    assert selected(["2023-2024|giua_nam|"]) == [("2023-2024", "giua_nam", None)]
    assert selected(["2023-2024|giua_nam|", "2023-2024|giua_nam|01", "2024-2025|dau_nam|02"]) == [
        ("2023-2024", "giua_nam", "01"),
        ("2023-2024", "giua_nam", None),
        ("2024-2025", "dau_nam", "02"),
    ]
    whole = [("2023-2024", "cuoi_nam", "01"), ("2023-2024", "cuoi_nam", "02")]
    assert selected(["2023-2024|cuoi_nam|*"]) == whole
    assert selected(["2023-2024|cuoi_nam|02"], by_province=False) == whole
    assert selected([]) == []


def test_any_other_input_or_no_state_means_a_full_build():
    assert (
        partitions.plan_build({"partitions": BEFORE, "other": "x"}, {"partitions": BEFORE, "other": "y"})
        is None
    )
    assert partitions.plan_build(None, {"partitions": BEFORE, "other": "x"}) is None
    assert partitions.plan_build({"other": "x"}, {"partitions": BEFORE, "other": "x"}) is None


def test_a_reports_only_build_leaves_out_only_what_the_full_build_digest_watches():
    """After a build of the changed partitions only, dbt runs what reads the report sources
    (dbt_build.downstream_of_reports). Every other raw source must be one whose change
    forces a full build (partitions._OTHER): a new source left out of both would never be
    rebuilt."""
    import yaml

    from ingest.config import PROJECT_DIR
    from ingest.transform.dbt_build import REPORT_SOURCES

    sources = yaml.safe_load(
        (PROJECT_DIR / "dbt_project/models/staging/reports/_reports__sources.yml").read_text("utf-8")
    )
    (raw,) = [s for s in sources["sources"] if s["name"] == "raw"]
    names = {t["name"] for t in raw["tables"]}
    assert set(REPORT_SOURCES) <= names
    # the reports-only selector names the same sources
    selectors = yaml.safe_load((PROJECT_DIR / "dbt_project/selectors.yml").read_text("utf-8"))
    (after_reports,) = [s for s in selectors["selectors"] if s["name"] == "after_reports"]
    named = set()
    for criterion in after_reports["definition"]["union"]:
        if isinstance(criterion, str) and criterion.startswith("source:raw."):
            named.add(criterion.removeprefix("source:raw.").rstrip("+"))
        elif isinstance(criterion, dict) and criterion.get("method") == "source":
            named.add(criterion["value"].removeprefix("raw."))
    assert named == set(REPORT_SOURCES)
    watched = " ".join(partitions._OTHER)
    for name in names - set(REPORT_SOURCES):
        # the administrative units are watched through their loading record (admin_units_meta)
        table = "admin_units_meta" if name.startswith("admin_") else name
        assert f"raw.{table}" in watched, name


def test_a_period_past_its_deadline_changes_its_partitions_digest():
    """fct_completeness_school turns a school that has not reported from «not due» into
    «missing» the day after the deadline (15/10, 15/01, 31/05): the partition's digest says
    which side of it the build was, so the first build after a deadline redoes the period."""
    from datetime import date

    from ingest.contract.calendar import past_deadline

    assert not past_deadline("2024-2025", "dau_nam", date(2024, 10, 15))
    assert past_deadline("2024-2025", "dau_nam", date(2024, 10, 16))
    assert not past_deadline("2024-2025", "giua_nam", date(2025, 1, 15))
    assert past_deadline("2024-2025", "cuoi_nam", date(2025, 6, 1))
    assert not past_deadline("2024-2025", "cuoi_nam", date(2025, 5, 31))

    with duckdb.connect() as con:
        con.execute("create schema raw")
        con.execute(
            "create table raw.files as select * from (values "
            "('a', 'reports', 'S1', '2020-2021', 'cuoi_nam', 'accepted', timestamp '2021-05-01'), "
            "('b', 'reports', 'S1', '2098-2099', 'cuoi_nam', 'accepted', timestamp '2099-05-01')"
            ") as t (file_hash, kind, school_code, school_year, period, status, received_at)"
        )
        digests = partitions.report_digests(con)
    assert digests["2020-2021|cuoi_nam|*"].endswith(":due")
    assert not digests["2098-2099|cuoi_nam|*"].endswith(":due")


def test_the_state_after_an_incremental_build_is_read_again_only_when_it_placed_schools(
    monkeypatch, tmp_path
):
    """After an incremental build whose reports all had a school placed (no '…|*' digest)
    the state is the one it started from; after a full build, or one that placed a new
    school year's schools, it is read again from the warehouse."""
    from ingest.config import Paths
    from ingest.transform import partitions

    read = {"partitions": {"2023-2024|cuoi_nam|12": "2:9"}, "other": "o", "load_seq": 8}
    monkeypatch.setattr(partitions, "current_state", lambda paths: read)
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    placed = {"partitions": {"2023-2024|cuoi_nam|12": "1:5"}, "other": "o", "load_seq": 7}
    unplaced = {"partitions": {"2023-2024|cuoi_nam|*": "1:5"}, "other": "o", "load_seq": 7}
    assert partitions.state_after_build(paths, placed, ["2023-2024|cuoi_nam|12"]) is placed
    assert partitions.state_after_build(paths, placed, None) is read  # a full build
    assert partitions.state_after_build(paths, unplaced, ["2023-2024|cuoi_nam|*"]) is read
