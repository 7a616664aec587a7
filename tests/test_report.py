"""The HTML report, rendered by a real browser and checked on the screenshot."""

import subprocess

import duckdb
import pytest
from PIL import Image

from ingest.serve.publish import SNAPSHOT
from ingest.serve.report import COLOURS, write_reports

pytestmark = pytest.mark.slow


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _near(pixel, colour, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def _row_clusters(ys: list[int], gap: int = 4) -> int:
    clusters, last = 0, None
    for y in sorted(set(ys)):
        if last is None or y - last > gap:
            clusters += 1
        last = y
    return clusters


def _screenshot(chromium: str, page, out) -> Image.Image:
    shot = out / f"{page.stem}.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={out / 'profile'}",
            "--force-device-scale-factor=1",
            "--window-size=1100,2600",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return Image.open(shot).convert("RGB")


@pytest.fixture(scope="module")
def report(demo_run, tmp_path_factory, chromium):
    paths, _ = demo_run
    out = tmp_path_factory.mktemp("report")
    page, *_ = write_reports(paths.serving / SNAPSHOT, out, units=[("district", "109")])
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        statuses = dict(
            con.execute(
                "select status, count(*) from marts.fct_target_achievement_district where unit_code = '109' "
                "and school_year = '2023-2024' and period = 'cuoi_nam' and status != 'no_target' "
                "group by 1"
            ).fetchall()
        )
    return page, _screenshot(chromium, page, out), statuses


@pytest.fixture(scope="module")
def report_with_history(demo_run, tmp_path_factory, chromium):
    """The demo's province Bình Thuận (60) at the end of 2023-2024: its one target (plan
    3461/KH-UBND, teaching spending ≥ 19 %) with 2022-2023 before it."""
    paths, _ = demo_run
    out = tmp_path_factory.mktemp("report_history")
    (page,) = write_reports(
        paths.serving / SNAPSHOT, out, "2023-2024", "cuoi_nam", units=[("province", "60")]
    )
    return page, _screenshot(chromium, page, out)


def test_the_page_is_vietnamese_and_self_contained(report):
    page, _, _ = report
    html = page.read_text("utf-8")
    assert '<html lang="vi">' in html and "Huyện Phong Thổ" in html
    assert "Tình hình nộp báo cáo" in html and "Trường PTDTBT TH&amp;THCS Nậm Xe" in html
    assert "http" not in html.lower().replace('lang="vi"', "")  # nothing fetched from anywhere


def test_screenshot_shows_one_red_label_per_target_not_met(report):
    _, image, statuses = report
    width, height = image.size
    pixels = image.load()
    red, green = _rgb(COLOURS["not_met"]), _rgb(COLOURS["met"])
    # the «Kết quả» column is the rightmost eighth of the page
    red_rows = [
        y for y in range(height) for x in range(int(width * 0.86), width - 30, 3) if _near(pixels[x, y], red)
    ]
    green_rows = [
        y
        for y in range(height)
        for x in range(int(width * 0.86), width - 30, 3)
        if _near(pixels[x, y], green)
    ]
    assert _row_clusters(red_rows) == statuses["not_met"]
    assert _row_clusters(green_rows) == statuses["met"]


def test_screenshot_summary_badges_are_coloured(report):
    _, image, statuses = report
    top = image.crop((0, 0, image.size[0], 140))
    colours = {pixel for pixel in top.getdata()}
    assert any(_near(p, _rgb(COLOURS["met"])) for p in colours)
    assert any(_near(p, _rgb(COLOURS["not_met"])) for p in colours)
    assert len(colours) > 50  # text was drawn, not an empty page


def test_the_map_shows_every_commune_coloured_by_its_schools_targets(report):
    """Phong Thổ's 17 communes, each a dot at its coordinates in a colour the legend explains;
    on the screenshot every orange dot (50-90 % of targets met, a colour nothing else on this
    page uses) is drawn: about 200 pixels of a 9-pixel disc each."""
    import re

    from ingest.serve.report_map import BUCKETS

    page, image, _ = report
    html = page.read_text("utf-8")
    assert html.count('<circle class="unit"') == 17 and "Bản đồ các xã" in html
    assert all(label in html for _, _, label in BUCKETS)
    orange = BUCKETS[1][1]
    dots = len(re.findall(rf'<circle class="unit"[^>]*fill="{orange}"', html))
    assert dots >= 1
    pixels = image.load()
    width, height = image.size
    drawn = sum(1 for y in range(height) for x in range(width) if _near(pixels[x, y], _rgb(orange), 6))
    assert 150 * dots <= drawn <= 300 * dots + 400  # the legend's key adds one small disc


def test_every_number_with_earlier_years_has_its_trend_drawn(report, report_with_history):
    """Beside a number with earlier school years, a sparkline (a blue line, a colour nothing
    else on the page uses): Bình Thuận's one target, 2022-2023 -> 2023-2024, a line of two
    points 76 pixels wide; on the screenshot most of it in blue (anti-aliasing softens the
    rest: 69 pixels measured). Phong Thổ has
    only 2023-2024 in the demo: no line there."""
    from ingest.serve.report import SPARK_COLOUR

    page, image = report_with_history
    html = page.read_text("utf-8")
    assert html.count('<svg class="spark"') == 1 and f'stroke="{SPARK_COLOUR}"' in html
    assert "2022-2023: " in html  # the earlier year's value, on hover
    blue = sum(1 for p in image.getdata() if _near(p, _rgb(SPARK_COLOUR), 40))
    assert blue >= 50
    phong_tho, _, _ = report
    assert '<svg class="spark"' not in phong_tho.read_text("utf-8")
