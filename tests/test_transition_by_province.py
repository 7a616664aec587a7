"""The transition to grade 6 across an incremental build by province, by hand.

A commune's grade-6 entrants of 2024-2025 are divided by its primary schools' grade-5
completers of 2023-2024 (int_commune_indicator_counts). The commune counts are rebuilt by
2025 province, so a correction of 2023-2024's end of year must rebuild 2024-2025 in the
same province and read last year's completers of that province.

Bản Lang (Lai Châu, province 12): primary school P, 40 completers of grade 5 in 2023-2024;
lower-secondary school S, 38 entrants to grade 6 at the start of 2024-2025 -> 38 / 40 =
95 %. P corrects its report to 50 completers -> 38 / 50 = 76 %. School B in Điện Biên
(province 11) reports too, so the correction rebuilds one province of two.
"""

from datetime import date

import pytest

from builders import BAN_LANG, SheetSpec, assessment_sheet, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.checksums import mart_checksums
from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow
P, S, B = "12109941", "12109942", "11094001"
NOONG_BUA = "03124"  # Phường Noong Bua, Thành phố Điện Biên Phủ


def primary_assessment(pupils):
    """A primary school assesses «Hoàn thành chương trình», not conduct and learning."""
    return SheetSpec(
        "Đánh giá",
        [
            ["Khối", "Nội dung", "Mức", "Số học sinh"],
            ["Lớp 5", "Hoàn thành chương trình", "Hoàn thành", pupils],
        ],
    )


def end_of_year(path, code, grade, pupils, completers, day):
    row = {"grade": grade, "enrolled": pupils, "enrolled_start": pupils, "completers": completers}
    assessed = primary_assessment(pupils) if grade == "Lớp 5" else assessment_sheet(grade, pupils)
    return workbook(
        path,
        code,
        f"Trường {code}",
        [row],
        {10 if grade == "Lớp 5" else 11: pupils},
        year="2023-2024",
        period="cuoi_nam",
        extra=[assessed],
        report_date=date(2024, 5, day),
    )


def transition(paths):
    with reading(paths) as con:
        return con.execute(
            "select numerator, denominator, province_code_2025 "
            "from intermediate.int_commune_indicator_counts "
            "where commune_code = ? and school_year = '2024-2025' and period = 'dau_nam' "
            "and indicator_code = 'thcs_transition_g6'",
            [BAN_LANG],
        ).fetchall()


def test_a_corrected_year_end_changes_next_years_transition_in_its_province(tmp_path):
    landing = tmp_path / "landing"
    registry(
        landing,
        [
            (P, "Trường Tiểu học P", "Tiểu học", BAN_LANG, "ĐBKK"),
            (S, "Trường THCS S", "THCS", BAN_LANG, "ĐBKK"),
            (B, "Trường THCS B", "THCS", NOONG_BUA, "Thuận lợi"),
        ],
    )
    census(landing, {BAN_LANG: {10: 45, 11: 40}, NOONG_BUA: {11: 100}})
    reports = landing / "reports"
    end_of_year(reports / "2023-2024" / "cuoi_nam" / "p.xlsx", P, "Lớp 5", 40, 40, 20)
    end_of_year(reports / "2023-2024" / "cuoi_nam" / "b.xlsx", B, "Lớp 6", 90, None, 20)
    paths = Paths.from_env(landing, tmp_path / "wh" / "chitieu.duckdb")
    pipeline.run(paths, publish_marts=False)

    workbook(
        reports / "2024-2025" / "dau_nam" / "s.xlsx",
        S,
        "Trường THCS S",
        [{"grade": "Lớp 6", "enrolled": 38, "enrolled_start": 38, "new_entrants": 38}],
        {11: 38},
        year="2024-2025",
        period="dau_nam",
        report_date=date(2024, 9, 10),
    )
    pipeline.run(paths, publish_marts=False)
    assert transition(paths) == [(38.0, 40.0, "12")]

    end_of_year(reports / "2023-2024" / "cuoi_nam" / "p_sua.xlsx", P, "Lớp 5", 50, 50, 25)
    summary = pipeline.run(paths, publish_marts=False)
    assert summary.partitions is not None and "2024-2025|dau_nam|12" in summary.partitions
    assert not any(key.endswith("|11") for key in summary.partitions)  # Điện Biên untouched
    assert transition(paths) == [(38.0, 50.0, "12")]  # 76 %

    fresh = Paths.from_env(landing, tmp_path / "fresh" / "chitieu.duckdb")
    pipeline.run(fresh, publish_marts=False)
    ignore = frozenset({"load_seq"})
    assert mart_checksums(paths.marts) == mart_checksums(fresh.marts)
    assert mart_checksums(paths.warehouse, ignore, "intermediate") == mart_checksums(
        fresh.warehouse, ignore, "intermediate"
    )
