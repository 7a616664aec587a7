"""Hand-computed district values, one per indicator family, where pooling ≠ averaging.

Huyện Phong Thổ (109) with four schools, end of 2023-2024:
  A  THCS, Bản Lang     grade 8 on the 2018 scale (100 pupils), grade 9 on the old (50)
  B  THCS, Ma Li Pho    grade 9 on the old scale (60)
  C  Mầm non, Ma Li Pho nhà trẻ 20 children
  D  Mầm non, Ma Li Pho nhà trẻ 180 children

Assessment, học lực khá/giỏi (both scales count):
  A: new Tốt 10 + Khá 20; old Giỏi 5 + Khá 15  -> 50 of 150 (33.3 %)
  B: old Giỏi 30 + Khá 30                       -> 60 of 60  (100 %)
  district 110 / 210 = 52.38 %   (mean of schools 66.7 %)
  học lực từ TB trở lên: A 10+20+60 + 5+15+25 = 135 of 150; B 60 -> 195 / 210 = 92.857 %
  hạnh kiểm khá, tốt:    A 80+15 + 40+8 = 143 of 150;     B 60 -> 203 / 210 = 96.667 %
Nutrition, nhà trẻ underweight: C 4 of 20 (20 %), D 9 of 180 (5 %) -> 13 / 200 = 6.5 % (mean 12.5 %)
Staff, qualified teachers: A 5 of 10, B 40 of 40 -> 45 / 50 = 90 % (mean 75 %)
Facilities, solid classrooms: A 2 of 10, B 30 of 30 -> 32 / 40 = 80 % (mean 60 %)
School status, national standard: A only -> 1 of 4 = 25 %
  (mean of communes: Bản Lang 1/1, Ma Li Pho 0/3 -> 50 %)
"""

import pytest

from builders import BAN_LANG, MA_LI_PHO, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.sample.xlsx import SheetSpec
from ingest.transform.marts_file import reading

A, B, C, D = "12109911", "12109912", "12109913", "12109914"


def table(name, header, rows):
    return SheetSpec(name, [header, *rows])


def form(name, pairs):
    return SheetSpec(name, [[label, value] for label, value in pairs])


def assessment(rows):
    return table("Đánh giá", ["Khối", "Nội dung", "Mức", "Số học sinh"], rows)


def staff(total, qualified):
    return table(
        "Đội ngũ",
        ["Nhóm", "Tổng số", "Nữ", "Đạt chuẩn trình độ đào tạo", "Trên chuẩn"],
        [["Giáo viên", total, 0, qualified, 0]],
    )


def rooms(total, solid, semi):
    return form(
        "Cơ sở vật chất",
        [
            ("Tổng số phòng học", total),
            ("Kiên cố", solid),
            ("Bán kiên cố", semi),
            ("Tạm", 0),
            ("Mượn, nhờ", 0),
        ],
    )


def status(standard):
    return form("Chỉ số trường", [("Đạt chuẩn quốc gia", standard)])


def nutrition(measured, underweight):
    return table(
        "Dinh dưỡng",
        [
            "Nhóm",
            "Số trẻ được cân, đo",
            "Suy dinh dưỡng thể nhẹ cân",
            "Suy dinh dưỡng thể thấp còi",
            "Ăn bán trú",
            "Học 2 buổi/ngày",
        ],
        [["Nhà trẻ", measured, underweight, 0, measured, measured]],
    )


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    root = tmp_path_factory.mktemp("families")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    registry(
        paths.landing,
        [
            (A, "THCS A", "THCS", BAN_LANG, "ĐBKK"),
            (B, "THCS B", "THCS", MA_LI_PHO, "ĐBKK"),
            (C, "Mầm non C", "Mầm non", MA_LI_PHO, "ĐBKK"),
            (D, "Mầm non D", "Mầm non", MA_LI_PHO, "ĐBKK"),
        ],
    )
    census(paths.landing, {BAN_LANG: {2: 50, 13: 100, 14: 50}, MA_LI_PHO: {2: 400, 14: 60}})
    out = paths.landing / "reports" / "2023-2024" / "cuoi_nam"
    workbook(
        out / "a.xlsx",
        A,
        "THCS A",
        [{"grade": "Lớp 8", "enrolled": 100}, {"grade": "Lớp 9", "enrolled": 50}],
        {13: 100, 14: 50},
        period="cuoi_nam",
        extra=[
            assessment(
                [
                    ["Lớp 8", "Học tập", "Tốt", 10],
                    ["Lớp 8", "Học tập", "Khá", 20],
                    ["Lớp 8", "Học tập", "Đạt", 60],
                    ["Lớp 8", "Học tập", "Chưa đạt", 10],
                    ["Lớp 8", "Rèn luyện", "Tốt", 80],
                    ["Lớp 8", "Rèn luyện", "Khá", 15],
                    ["Lớp 8", "Rèn luyện", "Đạt", 5],
                    ["Lớp 8", "Rèn luyện", "Chưa đạt", 0],
                    ["Lớp 9", "Học lực", "Giỏi", 5],
                    ["Lớp 9", "Học lực", "Khá", 15],
                    ["Lớp 9", "Học lực", "Trung bình", 25],
                    ["Lớp 9", "Học lực", "Yếu", 5],
                    ["Lớp 9", "Học lực", "Kém", 0],
                    ["Lớp 9", "Hạnh kiểm", "Tốt", 40],
                    ["Lớp 9", "Hạnh kiểm", "Khá", 8],
                    ["Lớp 9", "Hạnh kiểm", "Trung bình", 2],
                    ["Lớp 9", "Hạnh kiểm", "Yếu", 0],
                ]
            ),
            staff(10, 5),
            rooms(10, 2, 8),
            status("Mức 1"),
        ],
    )
    workbook(
        out / "b.xlsx",
        B,
        "THCS B",
        [{"grade": "Lớp 9", "enrolled": 60}],
        {14: 60},
        period="cuoi_nam",
        extra=[
            assessment(
                [
                    ["Lớp 9", "Học lực", "Giỏi", 30],
                    ["Lớp 9", "Học lực", "Khá", 30],
                    ["Lớp 9", "Hạnh kiểm", "Tốt", 60],
                ]
            ),
            staff(40, 40),
            rooms(30, 30, 0),
            status("Chưa đạt"),
        ],
    )
    workbook(
        out / "c.xlsx",
        C,
        "Mầm non C",
        [{"grade": "Nhà trẻ", "enrolled": 20}],
        {2: 20},
        period="cuoi_nam",
        extra=[nutrition(20, 4), status("Chưa đạt")],
    )
    workbook(
        out / "d.xlsx",
        D,
        "Mầm non D",
        [{"grade": "Nhà trẻ", "enrolled": 180}],
        {2: 180},
        period="cuoi_nam",
        extra=[nutrition(180, 9), status("Chưa đạt")],
    )
    summary = pipeline.run(paths, publish_marts=False)  # the tests read the warehouse
    assert summary.count("rejected") == 0, summary.findings.to_dict("records")
    with reading(paths) as con:
        rows = con.execute("""select indicator_code, numerator, denominator, actual_value
                              from marts.fct_target_achievement_district
                              where unit_code = '109' and segment = 'all'""").fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.mark.parametrize(
    "indicator, numerator, denominator, value",
    [
        ("thcs_academic_good_plus", 110, 210, 100 * 110 / 210),
        ("thcs_academic_avg_plus", 195, 210, 100 * 195 / 210),
        ("thcs_conduct_good_plus", 203, 210, 100 * 203 / 210),
        ("mn_underweight_nt", 13, 200, 6.5),
        ("teachers_qualified", 45, 50, 90.0),
        ("solid_classrooms", 32, 40, 80.0),
        ("national_standard_schools", 1, 4, 25.0),
        ("mn_enrol_0_2", 200, 450, 100 * 200 / 450),
    ],
)
def test_district_value_is_pooled(district, indicator, numerator, denominator, value):
    assert district[indicator] == (numerator, denominator, pytest.approx(value))
