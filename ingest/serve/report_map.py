"""The map of a district's communes or a province's districts, coloured by how many of their
targets were met: an inline SVG drawn from the units' coordinates (marts.dim_admin_unit,
from vietnamadminunits), offline, no tile server.

A commune is coloured by the share of its schools' targets met (communes seldom have
targets of their own); a district by the share of its own targets met. Each unit is a
dot at its centre, named on hover; the legend says what the colours mean.
"""

from __future__ import annotations

import math
from html import escape

import duckdb

BUCKETS = (  # share of targets met (of those with a verdict) -> colour, label
    (0.9, "#2e7d32", "Đạt từ 90% chỉ tiêu trở lên"),
    (0.5, "#ef6c00", "Đạt 50–90% chỉ tiêu"),
    (0.0, "#c62828", "Đạt dưới 50% chỉ tiêu"),
)
NO_DATA = ("#9e9e9e", "Chưa có kết luận")
WIDTH, HEIGHT, MARGIN = 520, 360, 24


def units_with_shares(
    con: duckdb.DuckDBPyConnection, level: str, unit_code: str, year: str, period: str
) -> list[tuple[str, str, float, float, int, int]]:
    """(code, name, lat, lon, met, verdicts) of the units one level below `unit_code`."""
    if level == "district":
        sql = """
            select u.unit_code, u.unit_name, u.lat, u.lon,
                   count(*) filter (where s.status = 'met'),
                   count(*) filter (where s.status in ('met', 'not_met'))
            from marts.dim_admin_unit as u
            left join marts.fct_target_achievement_school as s
                on s.commune_code = u.unit_code and s.school_year = ? and s.period = ?
               and s.segment = 'all'
            where u.map = 'legacy' and u.unit_level = 'commune' and u.parent_code = ?
            group by all"""
    else:
        sql = """
            select u.unit_code, u.unit_name, u.lat, u.lon,
                   count(*) filter (where s.status = 'met'),
                   count(*) filter (where s.status in ('met', 'not_met'))
            from marts.dim_admin_unit as u
            left join marts.fct_target_achievement_district as s
                on s.unit_code = u.unit_code and s.school_year = ? and s.period = ?
               and s.segment = 'all'
            where u.map = 'legacy' and u.unit_level = 'district' and u.province_code = ?
            group by all"""
    rows = con.execute(sql, [year, period, unit_code]).fetchall()
    return sorted((r for r in rows if r[2] is not None and r[3] is not None), key=lambda r: r[0])


def _short(name: str) -> str:
    """«Xã Bản Lang» -> «Bản Lang»: the kind of unit is in the map's title."""
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "Huyện ", "Thị xã ", "Thành phố ", "Quận "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def colour(met: int, verdicts: int) -> tuple[str, str]:
    if not verdicts:
        return NO_DATA
    share = met / verdicts
    return next((c, label) for floor, c, label in BUCKETS if share >= floor)


def render_map(con: duckdb.DuckDBPyConnection, level: str, unit_code: str, year: str, period: str) -> str:
    """The map section of the report, or "" when the units have no coordinates."""
    units = units_with_shares(con, level, unit_code, year, period)
    if not units:
        return ""
    lats, lons = [u[2] for u in units], [u[3] for u in units]
    scale_x = math.cos(math.radians(sum(lats) / len(lats)))  # equirectangular, true at the centre
    span_x = max((max(lons) - min(lons)) * scale_x, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    k = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
    dots = []
    for code, name, lat, lon, met, verdicts in units:
        x = MARGIN + (lon - min(lons)) * scale_x * k
        y = HEIGHT - MARGIN - (lat - min(lats)) * k
        fill, label = colour(met, verdicts)
        tip = f"{name}: đạt {met}/{verdicts} chỉ tiêu" if verdicts else f"{name}: {label.lower()}"
        dots.append(
            f'<circle class="unit" data-code="{escape(code)}" cx="{x:.1f}" cy="{y:.1f}" r="9" '
            f'fill="{fill}" stroke="#fff" stroke-width="1.5"><title>{escape(tip)}</title></circle>'
            f'<text x="{x + 11:.1f}" y="{y + 4:.1f}" font-size="10" fill="#333">{escape(_short(name))}</text>'
        )
    legend = "".join(
        f'<span class="key"><svg width="12" height="12"><circle cx="6" cy="6" r="5" fill="{c}"/></svg> '
        f"{escape(label)}</span>"
        for _, c, label in (*BUCKETS, (None, *NO_DATA))
    )
    what = "các xã (theo chỉ tiêu của các trường trong xã)" if level == "district" else "các huyện"
    return (
        f"<section><h2>Bản đồ {what}</h2>"
        f'<svg class="map" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="Bản đồ {escape(what)}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f6f8"/>{"".join(dots)}</svg>'
        f'<div class="legend">{legend}</div></section>'
    )
