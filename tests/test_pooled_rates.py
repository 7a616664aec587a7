"""Hand-computed: a district of two schools, where pooling counts differs from averaging rates.

School A (Bản Lang):  grade 6, 100 pupils at the start, 1 dropout   -> 1.00 %
School B (Ma Li Pho): grade 6, 300 pupils at the start, 0 dropouts  -> 0.00 %
District: 1 / 400 = 0.25 %  (the mean of the two rates would be 0.50 %).
Target of the district: thcs_dropout "dưới 0,4" -> the district meets it; averaging would not.

Attendance (grade 6): A 7 425 planned, 75 absent; B 22 500 planned, 1 500 absent
-> district (7 350 + 21 000) / (7 425 + 22 500) = 28 350 / 29 925 = 94.7368…%.
Enrolment 11-14 (commune census): Bản Lang 99 of 120, Ma Li Pho 300 of 400
-> district 399 / 520 = 76.7307…% (the mean of 82.5 % and 75 % would be 78.75 %).
"""

import duckdb
import pytest

from builders import BAN_LANG, MA_LI_PHO, assessment_sheet, census, registry, targets, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.marts_file import reading

A, B, OUTSIDER = "12109901", "12109902", "99999999"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("pooled")
    landing = root / "landing"
    registry(
        landing,
        [
            (A, "Trường THCS Thử nghiệm A", "THCS", BAN_LANG, "ĐBKK"),
            (B, "Trường THCS Thử nghiệm B", "THCS", MA_LI_PHO, "ĐBKK"),
        ],
    )
    census(
        landing, {BAN_LANG: {11: 30, 12: 30, 13: 30, 14: 30}, MA_LI_PHO: {11: 100, 12: 100, 13: 100, 14: 100}}
    )
    targets(
        landing,
        [
            ("15/QĐ-UBND", "01/09/2023", "109", "Huyện", "2023-2024", "thcs_dropout", "", "dưới", "0,4"),
            ("15/QĐ-UBND", "01/09/2023", "109", "Huyện", "2023-2024", "thcs_attendance", "", "trên", "94"),
        ],
    )
    reports = landing / "reports" / "2023-2024" / "cuoi_nam"

    workbook(
        reports / "a.xlsx",
        A,
        "Trường THCS Thử nghiệm A",
        [
            {
                "grade": "Lớp 6",
                "enrolled": 99,
                "enrolled_start": 100,
                "dropouts": 1,
                "planned_days": 7425,
                "absent_days": 75,
            }
        ],
        {11: 99},
        period="cuoi_nam",
        extra=[assessment_sheet("Lớp 6", 99)],
    )
    workbook(
        reports / "b.xlsx",
        B,
        "Trường THCS Thử nghiệm B",
        [
            {
                "grade": "Lớp 6",
                "enrolled": 300,
                "enrolled_start": 300,
                "dropouts": 0,
                "planned_days": 22500,
                "absent_days": 1500,
            }
        ],
        {11: 300},
        period="cuoi_nam",
        extra=[assessment_sheet("Lớp 6", 300)],
    )
    workbook(
        reports / "c.xlsx",
        OUTSIDER,
        "Trường không có trong danh mục",
        [{"grade": "Lớp 6", "enrolled": 10, "enrolled_start": 10}],
        {11: 10},
        period="cuoi_nam",
        extra=[assessment_sheet("Lớp 6", 10)],
    )
    paths = Paths.from_env(landing, root / "wh" / "chitieu.duckdb")
    summary = pipeline.run(paths)
    return paths, summary


def query(paths, sql, *params):
    with reading(paths) as con:
        return con.execute(sql, list(params)).fetchall()


def test_district_dropout_is_pooled_not_averaged(warehouse):
    paths, _ = warehouse
    rows = query(
        paths,
        """select numerator, denominator, actual_value, comparator, target_value,
                                  gap, status, decision_no
                           from marts.fct_target_achievement_district
                           where unit_code = '109' and indicator_code = 'thcs_dropout'
                             and period = 'cuoi_nam' and segment = 'all'""",
    )
    assert len(rows) == 1
    numerator, denominator, actual, comparator, target, gap, status, decision = rows[0]
    assert (numerator, denominator) == (1, 400)
    assert actual == pytest.approx(0.25)
    assert (comparator, target, status, decision) == ("<", 0.4, "met", "15/QĐ-UBND")
    assert gap == pytest.approx(0.15)  # lower is better: target - actual, positive is good


def test_schools_are_held_to_the_district_target(warehouse):
    paths, _ = warehouse
    rows = dict(
        (r[0], r[1:])
        for r in query(
            paths,
            """
        select unit_code, actual_value, status, target_source
        from marts.fct_target_achievement_school
        where indicator_code = 'thcs_dropout' and period = 'cuoi_nam'""",
        )
    )
    assert rows[A] == (pytest.approx(1.0), "not_met", "inherited:district")
    assert rows[B] == (pytest.approx(0.0), "met", "inherited:district")


def test_attendance_pooled(warehouse):
    paths, _ = warehouse
    ((actual, status),) = query(
        paths,
        """select actual_value, status
        from marts.fct_target_achievement_province
        where unit_code = '12' and indicator_code = 'thcs_attendance' and segment = 'all'""",
    )
    assert actual == pytest.approx(100 * 28350 / 29925)
    assert status == "no_target"  # the target was set for the district, not the province
    ((actual, status),) = query(
        paths,
        """select actual_value, status
        from marts.fct_target_achievement_district
        where unit_code = '109' and indicator_code = 'thcs_attendance' and segment = 'all'""",
    )
    assert actual == pytest.approx(94.73684210526316)
    assert status == "met"


def test_enrolment_uses_the_census_and_pools_communes(warehouse):
    paths, _ = warehouse
    communes = dict(
        query(
            paths,
            """select unit_code, actual_value
        from marts.fct_target_achievement_commune where indicator_code = 'thcs_enrol_11_14'""",
        )
    )
    assert communes == {BAN_LANG: pytest.approx(82.5), MA_LI_PHO: pytest.approx(75.0)}
    ((num, den, actual),) = query(
        paths,
        """select numerator, denominator, actual_value
        from marts.fct_target_achievement_district
        where unit_code = '109' and indicator_code = 'thcs_enrol_11_14'""",
    )
    assert (num, den) == (399, 520)
    assert actual == pytest.approx(76.73076923)


def test_broken_file_is_quarantined_and_the_rest_loads(warehouse):
    paths, summary = warehouse
    statuses = dict(query(paths, "select school_code, status from raw.files where kind = 'reports'"))
    assert statuses == {A: "accepted", B: "accepted", OUTSIDER: "rejected"}
    (h,) = query(paths, "select file_hash from raw.files where school_code = ?", OUTSIDER)[0]
    feedback = (paths.quarantine / h / "phan_hoi.txt").read_text("utf-8")
    assert "không có trong danh mục trường" in feedback
    assert "Tệp KHÔNG được tiếp nhận" in feedback
    assert any(p.suffix == ".xlsx" for p in (paths.quarantine / h).iterdir())
    assert summary.count("rejected") == 1


def test_second_run_loads_nothing_again(warehouse):
    """Nothing new: nothing loaded, dbt not run, nothing published (the version readers see
    is the one they saw)."""
    from ingest.serve.publish import SNAPSHOT

    paths, _ = warehouse
    before = query(paths, "select count(*) from raw.report_cells")[0][0]
    snapshot = paths.serving / SNAPSHOT
    published = (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns)
    assert pipeline.marts_out_of_date(paths) is False
    again = pipeline.run(paths)
    assert again.loaded.empty and again.already_loaded == again.seen
    assert query(paths, "select count(*) from raw.report_cells")[0][0] == before
    assert again.rebuilt is False and again.published is None and again.models == []
    assert (snapshot.stat().st_ino, snapshot.stat().st_mtime_ns) == published


@pytest.mark.slow
def test_a_changed_dbt_project_rebuilds(warehouse, monkeypatch):
    """A change of what builds the marts (here: the dbt project's digest) is a change."""
    from ingest.transform import freshness

    paths, _ = warehouse
    monkeypatch.setattr(freshness, "_dbt_project_digest", lambda: "another version of the models")
    assert pipeline.marts_out_of_date(paths) is True
    again = pipeline.run(paths)
    assert again.rebuilt is True and again.published is not None


@pytest.mark.slow
def test_a_failed_data_test_leaves_readers_on_the_last_good_version(warehouse):
    """A dbt test fails (a ledger row with a period that does not exist): the run stops with
    a Vietnamese message naming the rule and the row, readers keep the published version,
    and once the row is gone the next run builds and publishes again."""

    from ingest.serve.publish import SNAPSHOT
    from ingest.transform.dbt_build import MartsBuildFailed

    paths, _ = warehouse
    snapshot = paths.serving / SNAPSHOT
    published = snapshot.stat().st_ino
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("""insert into raw.files (file_hash, kind, landing_path, status, errors, warnings,
                         school_code, school_year, period, load_seq, loaded_at, received_at)
                       values ('bad0', 'reports', 'reports/x.xlsx', 'accepted', 0, 0, '12109901',
                               '2023-2024', 'ca_nam', 999999, now(), now())""")
    with pytest.raises(MartsBuildFailed) as failed:
        pipeline.run(paths)
    message = str(failed.value)
    assert "không đạt" in message and "accepted_values" in message and "ca_nam" in message
    assert "phiên bản đã công bố trước đó" in message
    assert snapshot.stat().st_ino == published
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("delete from raw.files where file_hash = 'bad0'")
    again = pipeline.run(paths)
    assert again.rebuilt and again.published is not None


@pytest.mark.slow
def test_a_file_in_the_ledger_twice_fails_the_build(warehouse):
    """raw.files has no primary-key index (raw_schema.py): the loader writes a content once,
    and should a row ever appear twice the source test primary_key stops the build. Once
    the row is gone the inputs are those of the last good build, and the next run still
    builds again: the failed one may have left partitions half rebuilt."""

    from ingest.transform.dbt_build import MartsBuildFailed

    paths, _ = warehouse
    with duckdb.connect(str(paths.warehouse)) as con:
        (twice,) = con.execute("select min(file_hash) from raw.files where kind = 'reports'").fetchone()
        con.execute(
            "insert into raw.files select * replace (999998 as load_seq) from raw.files where file_hash = ?",
            [twice],
        )
    with pytest.raises(MartsBuildFailed) as failed:
        pipeline.run(paths)
    message = str(failed.value)
    assert "primary_key" in message and twice in message, message
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("delete from raw.files where load_seq = 999998")
    assert pipeline.marts_out_of_date(paths)
    again = pipeline.run(paths)
    assert again.rebuilt and again.partitions == ["2023-2024|cuoi_nam|12"]
    assert again.published is None  # the readers' version was built from these very inputs


def test_each_unit_counts_the_schools_behind_its_counts_once(warehouse):
    """reporting_schools, by hand: both schools are ĐBKK, one in each commune of district
    109 — so each commune has 1 school in 'all' and in 'dbkk', the district and the province
    2 in each; the school missing from the registry counts nowhere."""
    paths, _ = warehouse
    rows = query(
        paths,
        """select unit_level, unit_code, segment, reporting_schools
           from intermediate.int_indicator_counts
           where indicator_code = 'thcs_dropout' and period = 'cuoi_nam' and boundaries = 'reported'
             and unit_level in ('commune', 'district', 'province')""",
    )
    by_unit = {(level, code, segment): n for level, code, segment, n in rows}
    assert len(by_unit) == len(rows) == 8, rows
    assert {k: n for k, n in by_unit.items() if k[0] == "commune"} == {
        ("commune", commune, segment): 1 for commune in (BAN_LANG, MA_LI_PHO) for segment in ("all", "dbkk")
    }
    assert by_unit[("district", "109", "all")] == by_unit[("district", "109", "dbkk")] == 2
    assert sorted(n for (level, _, _), n in by_unit.items() if level == "province") == [2, 2]
