"""Feedback a clerk can act on: one message per problem, its cells as ranges, ordered by sheet
(in the template's order) and row, the number of problems in the headline."""

import pytest

from ingest.validate.feedback import problems, render_html, render_text
from ingest.validate.findings import error, warning

OVER = "Lớp 6, Học tập: tổng các mức (58) lớn hơn số học sinh của khối (56)."


def findings():
    return [
        # the same rule broken on each level row of one grade and dimension: one problem
        *[
            error("ASSESSMENT_OVER_ENROLLED", OVER, "Sửa các mức.", sheet="Đánh giá", row=r, column="D")
            for r in (5, 2, 4, 3)
        ],
        error(
            "PUPILS_FEMALE_OVER_TOTAL",
            "Số nữ lớn hơn tổng số.",
            "Sửa ô.",
            sheet="Học sinh",
            row=7,
            column="D",
        ),
        error(
            "PUPILS_FEMALE_OVER_TOTAL",
            "Số nữ lớn hơn tổng số.",
            "Sửa ô.",
            sheet="Học sinh",
            row=9,
            column="D",
        ),
        error(
            "GENERAL_AGES_NOT_PUPILS",
            "Tổng theo độ tuổi (60) khác tổng số học sinh (56).",
            "Sửa sheet «Độ tuổi».",
            sheet="Độ tuổi",
        ),
        warning("TOTAL_ROW_SKIPPED", "Dòng tổng không được tính.", sheet="Học sinh", row=12, column="A"),
    ]


def test_one_problem_per_message_with_its_cells_as_ranges():
    grouped = problems(findings())
    assert [(p.finding.code, p.where) for p in grouped] == [
        ("PUPILS_FEMALE_OVER_TOTAL", "ô D7, D9"),
        ("GENERAL_AGES_NOT_PUPILS", ""),
        ("ASSESSMENT_OVER_ENROLLED", "ô D2:D5"),
        ("TOTAL_ROW_SKIPPED", "ô A12"),
    ]


def test_the_headline_counts_problems_not_findings():
    text = render_text("reports/x.xlsx", findings(), "Trường THCS A")
    assert "có 3 lỗi cần sửa" in text
    assert f"3. LỖI [sheet «Đánh giá», ô D2:D5]: {OVER}" in text
    assert "2. LỖI [sheet «Độ tuổi»]: Tổng theo độ tuổi" in text
    assert text.count("ASSESSMENT") == 0 and text.count(OVER) == 1


def test_the_html_page_has_one_row_per_problem():
    html = render_html("reports/x.xlsx", findings(), "Trường THCS A")
    assert html.count("<tr><td>") == 4 and "D2:D5" in html and "có 3 lỗi" in html


@pytest.mark.slow
def test_the_html_feedback_renders_in_a_browser(tmp_path, chromium):
    """Rendered by a real Chromium: the red «not accepted» banner is on screen and the page
    the browser built has one table row per problem."""
    import subprocess

    from PIL import Image

    page = tmp_path / "phan_hoi.html"
    page.write_text(render_html("reports/x.xlsx", findings(), "Trường THCS A"), "utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--force-device-scale-factor=1",
        "--window-size=1000,800",
    ]
    shot = tmp_path / "shot.png"
    subprocess.run(
        [chromium, *flags, f"--screenshot={shot}", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert dom.count("<tr><td>") == 4 and "D2:D5" in dom
    pixels = Image.open(shot).convert("RGB").getdata()
    banner = sum(1 for p in pixels if abs(p[0] - 0xFD) < 6 and abs(p[1] - 0xE2) < 6 and abs(p[2] - 0xE1) < 6)
    assert banner > 5_000  # the status box's background, #fde2e1
