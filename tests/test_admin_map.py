"""The administrative map in time: reference counts, the crosswalk, and merged provinces.

Hand-computed: tỉnh Bình Thuận (60) and the legacy tỉnh Lâm Đồng (68) merged into the 2025
tỉnh Lâm Đồng (68). One THCS school in each, end of 2023-2024:
  X (Bình Thuận, xã Phong Phú 22978):  1 dropout of 100  -> 1 %
  Y (Lâm Đồng, phường 1 Đà Lạt 24778): 9 dropouts of 300 -> 3 %
  2025 tỉnh Lâm Đồng, 2023-2024: 10 / 400 = 2.5 %  (the mean of the two would be 2 %)
X again at the end of 2025-2026 under its 2025 commune (xã Phan Rí Cửa 22972): 2 of 100.
"""

from datetime import date

import pytest

from builders import assessment_sheet, census, registry, targets, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.load.admin_units import package_version, read_units
from ingest.transform.marts_file import reading

X, Y = "60595990", "68672990"


@pytest.fixture(scope="module")
def units():
    return read_units()


def test_reference_counts_of_the_package(units):
    assert package_version() == "1.0.4"
    legacy, current = units["admin_units_legacy"], units["admin_units_2025"]
    assert legacy["province_code"].nunique() == 63
    assert legacy["district_code"].nunique() == 696
    assert len(legacy) == 10_040  # 10,035 communes with a code + 5 island districts without
    assert legacy.loc[legacy["commune_code"] != "", "commune_code"].nunique() == 10_035
    assert current["province_code"].nunique() == 34
    assert current["commune_code"].nunique() == 3_321


def test_crosswalk_gives_every_legacy_commune_one_default_successor(units):
    crosswalk = units["admin_crosswalk_2025"]
    defaults = crosswalk[crosswalk["is_default"]].groupby("legacy_commune_code").size()
    assert len(defaults) == 10_035 and (defaults == 1).all()
    provinces = units["admin_province_crosswalk"].set_index("legacy_province_code")["province_code_2025"]
    assert provinces["60"] == provinces["67"] == provinces["68"] == "68"  # Bình Thuận, Đắk Nông, Lâm Đồng
    assert provinces.nunique() == 34
    split = crosswalk[crosswalk["legacy_commune_code"] == "22978"]  # xã Phong Phú, Tuy Phong
    assert set(split["commune_code_2025"]) == {"22972", "22978"} and split["is_split"].all()


def report(path, code, year, dropouts, start, day):
    assessment = assessment_sheet("Lớp 6", start - dropouts)
    workbook(
        path,
        code,
        f"THCS {code}",
        [{"grade": "Lớp 6", "enrolled": start - dropouts, "enrolled_start": start, "dropouts": dropouts}],
        {11: start - dropouts},
        year=year,
        period="cuoi_nam",
        extra=[assessment],
        report_date=day,
    )


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    root = tmp_path_factory.mktemp("merged")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    registry(
        paths.landing,
        [
            (X, "THCS Phong Phú", "THCS", "22978", "Thuận lợi"),
            (Y, "THCS Phường 1", "THCS", "24778", "Thuận lợi"),
        ],
    )
    # X's 2025 row: its new commune
    with open(paths.landing / "registry" / "danh_muc.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{X},THCS Phong Phú,THCS,Thường,Công lập,22972,Thuận lợi,2025-2026,\n")
    census(paths.landing, {"22978": {11: 100}, "24778": {11: 300}})
    targets(
        paths.landing,
        [
            ("5/QĐ-UBND", "01/09/2023", "595", "Huyện", "2023-2024", "thcs_dropout", "", "dưới", "1,5"),
            ("6/QĐ-UBND", "10/09/2025", "68", "Tỉnh", "2025-2026", "thcs_dropout", "", "dưới", "2,5"),
            ("7/QĐ-UBND", "01/09/2023", "68", "Tỉnh", "2023-2024", "thcs_dropout", "", "dưới", "2"),
        ],
    )
    reports = paths.landing / "reports"
    report(reports / "2023-2024" / "x.xlsx", X, "2023-2024", 1, 100, date(2024, 5, 20))
    report(reports / "2023-2024" / "y.xlsx", Y, "2023-2024", 9, 300, date(2024, 5, 20))
    report(reports / "2025-2026" / "x.xlsx", X, "2025-2026", 2, 100, date(2026, 5, 20))
    summary = pipeline.run(paths, publish_marts=False)  # the tests read the warehouse
    assert summary.count("rejected") == 0, summary.findings.to_dict("records")
    return paths


def rows(paths, sql, *params):
    with reading(paths) as con:
        return con.execute(sql, list(params)).fetchall()


def test_2025_province_pools_the_merged_legacy_provinces(merged):
    ((num, den, actual, boundaries, status),) = rows(
        merged,
        """
        select numerator, denominator, actual_value, boundaries, status
        from marts.fct_target_achievement_province_2025
        where unit_code = '68' and school_year = '2023-2024' and indicator_code = 'thcs_dropout'
          and segment = 'all'""",
    )
    assert (num, den, boundaries) == (10, 400, "2025")
    assert actual == pytest.approx(2.5)
    assert status == "no_target"  # the legacy Lâm Đồng's 2023-2024 target stays with it


def test_reported_boundaries_keep_the_legacy_provinces_and_their_targets(merged):
    reported = {
        r[0]: r[1:]
        for r in rows(
            merged,
            """
        select unit_code, numerator, denominator, status, unit_name
        from marts.fct_target_achievement_province
        where school_year = '2023-2024' and indicator_code = 'thcs_dropout' and segment = 'all'""",
        )
    }
    assert reported["60"][:2] == (1, 100) and reported["60"][3] == "Tỉnh Bình Thuận"
    assert reported["68"][:3] == (9, 300, "not_met")  # 3 % against the legacy "dưới 2 %"
    ((status,),) = rows(
        merged,
        """select status from marts.fct_target_achievement_district
        where unit_code = '595' and school_year = '2023-2024' and indicator_code = 'thcs_dropout'
          and segment = 'all'""",
    )
    assert status == "met"  # the legacy district's target stays attached to it


def test_after_the_reform_no_district_and_the_2025_target_applies(merged):
    assert rows(
        merged, "select count(*) from marts.fct_target_achievement_district where school_year = '2025-2026'"
    ) == [(0,)]
    since = {
        (r[0], r[1]): r[2:]
        for r in rows(
            merged,
            """
        select unit_level, unit_code, numerator, denominator, status, province_code
        from marts.fct_target_achievement_since_2025
        where indicator_code = 'thcs_dropout' and segment = 'all'""",
        )
    }
    assert since[("commune", "22972")][:2] == (2, 100)  # xã Phan Rí Cửa, X's 2025 commune
    assert since[("province", "68")][:3] == (2, 100, "met")  # 2 % "dưới 2,5 %"
    assert "district_code" not in [
        c for (c, *_) in rows(merged, "describe marts.fct_target_achievement_since_2025")
    ]


def test_school_versions_follow_the_reform(merged):
    versions = rows(
        merged,
        """select version, map, commune_name, district_name, change_vi
                               from marts.dim_school where school_code = ? order by version""",
        X,
    )
    assert [v[:4] for v in versions] == [
        (1, "legacy", "Xã Phong Phú", "Huyện Tuy Phong"),
        (2, "2025", "Xã Phan Rí Cửa", None),
    ]
    assert "Sắp xếp đơn vị hành chính 2025" in versions[1][4]
