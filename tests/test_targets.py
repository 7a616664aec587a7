"""Targets: exact boundaries, revisions, horizons and interim readings — hand-computed.

One THCS school per commune (A in Bản Lang, B in Ma Li Pho), grade 6, 1 000 pupils each:
  end of 2023-2024: attendance 940 / 1 000 planned days = 94.0 % exactly (both schools);
                    dropouts A 7 / 1 000 = 0.7 % exactly, B 13 / 1 000 = 1.3 %
  mid 2023-2024:    dropouts A 3 / 1 000 (0.3 %, doubled 0.6 %), B 7 / 1 000 (0.7 %, doubled 1.4 %)
  mid 2024-2025:    dropouts A 5 / 1 000 (0.5 %; projected from A's own 2023-2024, where 3
                    came before mid-year and 4 after: see the test below)
  end of 2024-2025: dropouts A 12 / 1 000 = 1.2 %
"""

from datetime import date

import pytest

from builders import BAN_LANG, MA_LI_PHO, assessment_sheet, census, registry, targets, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.marts_file import reading

A, B = "12109921", "12109922"


def end_of_year(path, code, year, dropouts, absent=60, day=date(2024, 5, 20)):
    assessment = assessment_sheet("Lớp 6", 1000 - dropouts)
    return workbook(
        path,
        code,
        f"THCS {code}",
        [
            {
                "grade": "Lớp 6",
                "enrolled": 1000 - dropouts,
                "enrolled_start": 1000,
                "dropouts": dropouts,
                "planned_days": 1000,
                "absent_days": absent,
            }
        ],
        {11: 1000 - dropouts},
        year=year,
        period="cuoi_nam",
        extra=[assessment],
        report_date=day,
    )


def mid_year(path, code, dropouts, year="2023-2024", day=date(2024, 1, 5)):
    return workbook(
        path,
        code,
        f"THCS {code}",
        [{"grade": "Lớp 6", "enrolled": 1000 - dropouts, "enrolled_start": 1000, "dropouts": dropouts}],
        {11: 1000 - dropouts},
        year=year,
        report_date=day,
    )


def statuses(paths, mart, indicator, **where):
    sql = (
        f"select unit_code, school_year, period, status, target_value, decision_no "
        f"from marts.fct_target_achievement_{mart} where indicator_code = ? and segment = 'all'"
    )
    with reading(paths) as con:
        rows = con.execute(sql, [indicator]).fetchall()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    root = tmp_path_factory.mktemp("targets")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    registry(
        paths.landing, [(A, "THCS A", "THCS", BAN_LANG, "ĐBKK"), (B, "THCS B", "THCS", MA_LI_PHO, "ĐBKK")]
    )
    census(paths.landing, {BAN_LANG: {11: 1000}, MA_LI_PHO: {11: 1000}})
    census(paths.landing, {BAN_LANG: {11: 1000}, MA_LI_PHO: {11: 1000}}, year="2024-2025")
    targets(
        paths.landing,
        [
            # the same actual, 94.0 %, against a strict and a non-strict target
            ("10/QĐ-UBND", "01/09/2023", "109", "Huyện", "2023-2024", "thcs_attendance", "", "trên", "94"),
            (
                "20/QĐ-UBND",
                "01/09/2023",
                "12",
                "Tỉnh",
                "2023-2024",
                "thcs_attendance",
                "",
                "từ … trở lên",
                "94",
            ),
            # 0.7 % exactly: "dưới" is strict, "không quá" is not
            ("11/QĐ-UBND", "01/09/2023", A, "Trường", "2023-2024", "thcs_dropout", "", "dưới", "0,7"),
            ("12/QĐ-UBND", "01/09/2023", BAN_LANG, "Xã", "2023-2024", "thcs_dropout", "", "không quá", "0,7"),
            # a horizon target, set in April 2022 for 2025
            ("30/KH-UBND", "20/04/2022", "109", "Huyện", "2025", "thcs_dropout", "", "dưới", "1,3"),
            # a target for 95 % that a later decision lowers
            ("13/QĐ-UBND", "01/09/2023", MA_LI_PHO, "Xã", "2023-2024", "thcs_attendance", "", ">=", "95"),
        ],
        name="dau_nam_hoc.csv",
    )
    reports = paths.landing / "reports"
    end_of_year(reports / "2023-2024" / "cuoi_nam" / "a.xlsx", A, "2023-2024", 7)
    end_of_year(reports / "2023-2024" / "cuoi_nam" / "b.xlsx", B, "2023-2024", 13)
    mid_year(reports / "2023-2024" / "giua_nam" / "a.xlsx", A, 3)
    mid_year(reports / "2023-2024" / "giua_nam" / "b.xlsx", B, 7)
    mid_year(reports / "2024-2025" / "giua_nam" / "a.xlsx", A, 5, year="2024-2025", day=date(2025, 1, 5))
    end_of_year(reports / "2024-2025" / "cuoi_nam" / "a.xlsx", A, "2024-2025", 12, day=date(2025, 5, 20))
    pipeline.run(paths, publish_marts=False)  # the tests read the warehouse
    before = statuses(paths, "commune", "thcs_attendance")
    targets(
        paths.landing,
        [("14/QĐ-UBND", "15/12/2023", MA_LI_PHO, "Xã", "2023-2024", "thcs_attendance", "", ">=", "93")],
        name="dieu_chinh.csv",
    )
    pipeline.run(paths, publish_marts=False)  # the tests read the warehouse
    return paths, before


def test_strict_and_non_strict_at_exactly_the_target(loads):
    paths, _ = loads
    district = statuses(paths, "district", "thcs_attendance")
    province = statuses(paths, "province", "thcs_attendance")
    assert district[("109", "2023-2024", "cuoi_nam")][0] == "not_met"  # trên 94 %, actual 94 %
    assert province[("12", "2023-2024", "cuoi_nam")][0] == "met"  # từ 94 % trở lên
    dropout_school = statuses(paths, "school", "thcs_dropout")
    dropout_commune = statuses(paths, "commune", "thcs_dropout")
    assert dropout_school[(A, "2023-2024", "cuoi_nam")][0] == "not_met"  # dưới 0,7 %, actual 0.7
    assert dropout_commune[(BAN_LANG, "2023-2024", "cuoi_nam")][0] == "met"  # không quá 0,7 %
    with reading(paths) as con:  # a gap of zero is 0, not −0
        # (dưới 0,7 % with 0.7 %: the lower-is-better direction)
        gaps = con.execute(
            "select count(*), count(*) filter (where signbit(gap)) from marts.fct_target_achievement_school "
            "where gap = 0 and unit_code = ? and indicator_code = 'thcs_dropout'",
            [A],
        ).fetchone()
    assert gaps == (1, 0)


def test_the_gap_in_people_at_the_boundaries(loads):
    """A: 7 dropouts of 1 000 against «dưới 0,7»: 7 is 0,7 % exactly, one too many. Bản Lang,
    «không quá 0,7»: met at the boundary. District: 1 880 of 2 000 pooled days, «trên 94»:
    one day short; province «từ 94 trở lên»: met. Ma Li Pho ≥ 93 (revised): 10 to spare."""
    paths, _ = loads
    sql = (
        "select gap_count from marts.fct_target_achievement_{} where unit_code = ? "
        "and school_year = '2023-2024' and period = 'cuoi_nam' and indicator_code = ? and segment = 'all'"
    )
    with reading(paths) as con:

        def gap(level, unit, indicator):
            return con.execute(sql.format(level), [unit, indicator]).fetchone()[0]

        assert gap("school", A, "thcs_dropout") == 1
        assert gap("commune", BAN_LANG, "thcs_dropout") == 0
        assert gap("district", "109", "thcs_attendance") == 1
        assert gap("province", "12", "thcs_attendance") == 0
        assert gap("commune", MA_LI_PHO, "thcs_attendance") == -10


def test_mid_year_reading_projects_dropouts_over_the_year(loads):
    paths, _ = loads
    school = statuses(paths, "school", "thcs_dropout")
    assert school[(A, "2023-2024", "giua_nam")][0] == "on_track"  # 0.3 % -> 0.6 % < 0.7 %
    # B has no target of its own: it is held to the district's horizon target (< 1.3 %);
    # 0.7 % at mid-year would pass, but half a year's dropouts project to 1.4 %
    assert school[(B, "2023-2024", "giua_nam")][:2] == ("at_risk", 1.3)


def test_the_mid_year_warning_draws_on_the_unit_s_own_earlier_years(loads):
    """Mid 2024-2025, held to the district's «dưới 1,3» (2025). School A: 5 of 1 000 so far;
    in 2023-2024 A had 3 dropouts by mid-year and 4 after. With the catalogue's factor 2 as
    a prior worth 10 dropouts: R = (4 + 10 x 1) / (3 + 10) = 14/13, so 5 x 27/13 = 135/13 =
    10,3846… of 1 000 = 1,038 % -> on track. District 109 (A alone this year): in 2023-2024
    3 + 7 = 10 by mid-year, 20 - 10 = 10 after: R = (10 + 10) / (10 + 10) = 1, 5 x 2 = 10
    of 1 000 = 1 % -> on track. The year ends at 1,2 %: met. Mid 2023-2024 has no earlier
    year: doubled (year_to_date) — B 0,7 % -> 1,4 %, at risk; A 0,3 % -> 0,6 %."""
    paths, _ = loads
    sql = (
        "select status, projected_value, projection_method from marts.fct_target_achievement_{} "
        "where unit_code = ? and school_year = ? and period = 'giua_nam' "
        "and indicator_code = 'thcs_dropout' and segment = 'all'"
    )
    with reading(paths) as con:

        def projected(level, unit, year="2024-2025"):
            status, value, method = con.execute(sql.format(level), [unit, year]).fetchone()
            return status, round(value, 6), method

        assert projected("school", A) == ("on_track", round(100 * 135 / 13 / 1000, 6), "own_history")
        assert projected("district", "109") == ("on_track", 1.0, "own_history")
        assert projected("school", B, "2023-2024") == ("at_risk", 1.4, "year_to_date")
        assert projected("school", A, "2023-2024") == ("on_track", 0.6, "year_to_date")
    assert statuses(paths, "district", "thcs_dropout")[("109", "2024-2025", "cuoi_nam")][0] == "met"


def test_horizon_target_is_progress_before_and_verdict_in_its_year(loads):
    paths, _ = loads
    district = statuses(paths, "district", "thcs_dropout")
    # 2023-2024: (7 + 13) / 2 000 = 1.0 % < 1.3 %, but 2025 is the horizon: progress only
    assert district[("109", "2023-2024", "cuoi_nam")][0] == "on_track"
    # 2024-2025 (the school year ending in 2025): 12 / 1 000 = 1.2 % < 1.3 %: the verdict
    assert district[("109", "2024-2025", "cuoi_nam")][0] == "met"


def test_a_revised_decision_changes_the_target_and_keeps_the_old_one(loads):
    paths, before = loads
    assert before[(MA_LI_PHO, "2023-2024", "cuoi_nam")][:3] == ("not_met", 95.0, "13/QĐ-UBND")
    after = statuses(paths, "commune", "thcs_attendance")
    assert after[(MA_LI_PHO, "2023-2024", "cuoi_nam")][:3] == ("met", 93.0, "14/QĐ-UBND")
    with reading(paths) as con:
        history = con.execute(
            """select decision_no, target_value, in_force, superseded_by_decision_no
                                 from marts.fct_target_history
                                 where assignee_code = ? and indicator_code = 'thcs_attendance'
                                 order by issued_on""",
            [MA_LI_PHO],
        ).fetchall()
    assert history == [("13/QĐ-UBND", 95.0, False, "14/QĐ-UBND"), ("14/QĐ-UBND", 93.0, True, None)]


def test_the_mid_year_warning_backtested_against_the_end_of_year(loads):
    """Dropout at mid-year 2023-2024 against the end of the year. School A («dưới 0,7»):
    3 of 1 000 at mid-year, doubled 0,6 % -> on track; 7 of 1 000 at the end = 0,7 %, not
    under 0,7 -> not met: a miss the warning did not see. Commune Bản Lang («không quá
    0,7», only school A): on track, then 0,7 % -> met. The district's target is a 2025
    horizon (no verdict in 2023-2024) and attendance has no mid-year figures; in 2024-2025
    school A and the district read on track at mid-year (1,04 % and 1 % projected against
    «dưới 1,3») and met it at the end (1,2 %): quiet and met, one pair each."""
    from ingest.serve.backtest import backtest

    paths, _ = loads
    with reading(paths) as con:
        school, commune, district = (backtest(con, level) for level in ("school", "commune", "district"))
    assert (school.warned_missed, school.warned_met, school.silent_missed, school.silent_met) == (0, 0, 1, 1)
    assert (commune.warned_missed, commune.warned_met, commune.silent_missed) == (0, 0, 0)
    assert commune.silent_met >= 1 and commune.hit_rate == 1.0
    district_counts = (
        district.warned_missed,
        district.warned_met,
        district.silent_missed,
        district.silent_met,
    )
    assert district_counts == (0, 0, 0, 1)
