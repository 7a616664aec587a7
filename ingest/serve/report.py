"""A report people can read without a BI tool: static HTML scorecards, print-friendly.

`chitieu report` writes, from the published snapshot, one page per district and per
province: every target with a bar of the actual against a mark at the target, coloured by
status; the targets not met; who has not reported. Vietnamese throughout; no JavaScript,
no network: the page is self-contained and prints on A4.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import duckdb

from ingest.serve.report_map import render_map
from ingest.serve.scorecard import COMPARATOR_VI, SEGMENT_VI, earlier_values, people_gap_vi, vn

COLOURS = {
    "met": "#2e7d32",
    "on_track": "#66bb6a",
    "not_met": "#c62828",
    "at_risk": "#ef6c00",
    "no_data": "#9e9e9e",
}
SPARK_COLOUR = "#1565c0"  # the trend line beside each number; no status uses it
LABELS = {
    "met": "Đạt",
    "not_met": "Chưa đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ không đạt",
    "no_data": "Chưa có số liệu",
}
LEVELS = {"mn": "Mầm non", "th": "Tiểu học", "thcs": "Trung học cơ sở", "all": "Chung"}

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: "Times New Roman", "DejaVu Serif", serif; color: #1a1a1a; margin: 24px; }
header { border-bottom: 3px solid #1a1a1a; margin-bottom: 12px; }
h1 { font-size: 22px; margin: 0 0 4px; text-transform: uppercase; }
h2 { font-size: 17px; margin: 20px 0 8px; border-bottom: 1px solid #999; }
h3 { font-size: 15px; margin: 14px 0 6px; }
.meta { color: #444; font-size: 13px; margin-bottom: 8px; }
.summary { display: flex; gap: 10px; margin: 10px 0; }
.badge { padding: 8px 12px; border-radius: 4px; color: #fff; font-weight: bold; font-size: 15px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: middle; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
.status { color: #fff; font-weight: bold; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
.chart { width: 260px; }
section { page-break-inside: avoid; }
@media print { body { margin: 0; } .badge, .status, rect { -webkit-print-color-adjust: exact;
  print-color-adjust: exact; } }
.legend .key { margin-right: 1.4em; white-space: nowrap; }
svg.map { border: 1px solid #ccc; }
"""


@dataclass
class Target:
    level: str
    indicator: str
    segment: str
    comparator: str
    target: float | None
    actual: float | None
    unit: str
    status: str
    numerator: float | None
    denominator: float | None
    gap_count: int | None = None
    direction: str | None = None
    indicator_code: str = ""
    history: tuple = ()  # (school year, value) of the same period in earlier years


def _sparkline(row: Target) -> str:
    """The indicator's values over the earlier school years and this one, as a small line
    (inline SVG, offline); the last point, this year's, is a dot in its status colour."""
    points = [v for _, v in row.history] + ([row.actual] if row.actual is not None else [])
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    width, height = 80, 20
    xy = [
        (2 + i * (width - 4) / (len(points) - 1), height - 2 - (v - low) * (height - 4) / span)
        for i, v in enumerate(points)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    years = ", ".join(f"{y}: {vn(v, row.unit)}" for y, v in row.history)
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape(years)}</title>"
        f'<polyline points="{line}" fill="none" stroke="{SPARK_COLOUR}" stroke-width="1.5"/>'
        f'<circle cx="{xy[-1][0]:.1f}" cy="{xy[-1][1]:.1f}" r="2.5" '
        f'fill="{COLOURS.get(row.status, "#555")}"/></svg>'
    )


def _bar(row: Target) -> str:
    """Actual as a bar, the target as a black mark, on a scale that fits both."""
    width, height = 240, 16
    top = max(v for v in (row.actual, row.target, 1e-9) if v is not None) * 1.2
    if row.unit == "percent" and top > 60:
        top = 100.0 if max(row.actual or 0, row.target or 0) <= 100 else top
    colour = COLOURS.get(row.status, "#9e9e9e")
    bar = (
        (
            f'<rect x="0" y="3" width="{width * (row.actual or 0) / top:.1f}" height="{height - 6}" '
            f'fill="{colour}"/>'
        )
        if row.actual is not None
        else ""
    )
    mark = (
        (
            f'<rect x="{min(width * row.target / top, width - 2):.1f}" y="0" width="2" '
            f'height="{height}" fill="#000"/>'
        )
        if row.target is not None
        else ""
    )
    return (
        f'<svg class="chart" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(LABELS.get(row.status, ""))}">'
        f'<rect x="0" y="3" width="{width}" height="{height - 6}" fill="#eeeeee"/>{bar}{mark}</svg>'
    )


def _status(status: str) -> str:
    return (
        f'<span class="status" style="background:{COLOURS.get(status, "#9e9e9e")}">'
        f"{escape(LABELS.get(status, status))}</span>"
    )


def _rows(con, mart: str, unit_code: str, year: str, period: str) -> list[Target]:
    history = earlier_values(con, f"marts.{mart}", unit_code, year, period)
    return [
        Target(*r, history=tuple(history.get((r[-1], r[2]), [])))
        for r in con.execute(
            f"select indicator_level, indicator_name, segment, comparator, target_value, actual_value, "
            f"unit, status, numerator, denominator, gap_count, direction, indicator_code from marts.{mart} "
            "where unit_code = ? and school_year = ? and period = ? and status != 'no_target' "
            "order by indicator_level, indicator_code, segment",
            [unit_code, year, period],
        ).fetchall()
    ]


def render(con: duckdb.DuckDBPyConnection, level: str, unit_code: str, year: str, period: str) -> str:
    """The report of one district or province (level 'district' / 'province')."""
    mart = f"fct_target_achievement_{level}"
    name, period_label, decisions = con.execute(
        f"select any_value(unit_name), any_value(period_label), "
        f"string_agg(distinct decision_no, ', ') from marts.{mart} "
        "where unit_code = ? and school_year = ? and period = ?",
        [unit_code, year, period],
    ).fetchone()
    rows = _rows(con, mart, unit_code, year, period)
    counts = {s: sum(r.status == s for r in rows) for s in COLOURS}
    verdicts = counts["met"] + counts["not_met"]
    share = f"{100 * counts['met'] / verdicts:.0f}%".replace(".", ",") if verdicts else "—"
    badges = "".join(
        f'<div class="badge" style="background:{COLOURS[s]}">{LABELS[s]}: {n}</div>'
        for s, n in counts.items()
        if n
    )
    sections = []
    for lvl in ("mn", "th", "thcs", "all"):
        group = [r for r in rows if r.level == lvl]
        if not group:
            continue
        lines = "".join(
            f"<tr><td>{escape(r.indicator)}{escape(SEGMENT_VI.get(r.segment, ''))}</td>"
            f'<td class="num">{escape(COMPARATOR_VI.get(r.comparator, r.comparator or ""))} '
            f'{vn(r.target, r.unit)}</td><td class="num">{vn(r.actual, r.unit)}</td>'
            f'<td>{_bar(r)}</td><td class="num">{escape(people_gap_vi(r.gap_count, r.direction))}</td>'
            f"<td>{_sparkline(r)}</td><td>{_status(r.status)}</td></tr>"
            for r in group
        )
        sections.append(
            f"<section><h3>{LEVELS[lvl]}</h3><table><thead><tr><th>Chỉ tiêu</th>"
            "<th>Mục tiêu</th><th>Thực hiện</th><th>Thực hiện so với mục tiêu</th>"
            "<th>Số người</th><th>Các năm</th><th>Kết quả</th></tr></thead>"
            f"<tbody>{lines}</tbody></table></section>"
        )
    unmet = [r for r in rows if r.status in ("not_met", "at_risk")]
    unmet_html = (
        "".join(
            f"<li><b>{escape(r.indicator)}{escape(SEGMENT_VI.get(r.segment, ''))}</b>: thực hiện "
            f"{vn(r.actual, r.unit)}, mục tiêu {escape(COMPARATOR_VI.get(r.comparator, ''))} "
            f"{vn(r.target, r.unit)} ({escape(people_gap_vi(r.gap_count, r.direction))})</li>"
            for r in unmet
        )
        or "<li>Không có.</li>"
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>Kết quả thực hiện chỉ tiêu — {escape(name or unit_code)} — {year}</title>"
        f"<style>{_CSS}</style></head><body><header>"
        f"<h1>Kết quả thực hiện chỉ tiêu giáo dục</h1>"
        f'<div class="meta"><b>{escape(name or unit_code)}</b> — năm học {escape(year)}, kỳ '
        f"{escape(period_label or period)} — theo {escape(decisions or 'chưa có văn bản giao')}</div>"
        f'</header><div class="summary">{badges}</div>'
        f"<p>Tỷ lệ chỉ tiêu đạt: <b>{share}</b> ({counts['met']}/{verdicts} chỉ tiêu đã có kết "
        "luận).</p>"
        + "".join(sections)
        + f"<section><h2>Chỉ tiêu chưa đạt hoặc có nguy cơ</h2><ul>{unmet_html}</ul></section>"
        + render_map(con, level, unit_code, year, period)
        + _completeness(con, level, unit_code, year)
        + "</body></html>\n"
    )


def _completeness(con, level: str, unit_code: str, year: str) -> str:
    column = "district_code" if level == "district" else "province_code"
    rows = con.execute(
        "select period_label, deadline, count(*), "
        "count(*) filter (where status in ('accepted', 'accepted_with_warnings')), "
        "count(*) filter (where status = 'rejected'), count(*) filter (where late), "
        "string_agg(school_name, '; ' order by school_name) filter (where status = 'missing') "
        f"from marts.fct_completeness_school where {column} = ? and school_year = ? "
        "group by period_label, deadline order by deadline",
        [unit_code, year],
    ).fetchall()
    lines = "".join(
        f'<tr><td>{escape(label)}</td><td>{deadline:%d/%m/%Y}</td><td class="num">{expected}</td>'
        f'<td class="num">{accepted}</td><td class="num">{rejected}</td>'
        f'<td class="num">{late}</td><td>{escape(missing or "—")}</td></tr>'
        for label, deadline, expected, accepted, rejected, late, missing in rows
    )
    return (
        "<section><h2>Tình hình nộp báo cáo</h2><table><thead><tr><th>Kỳ</th><th>Hạn nộp</th>"
        "<th>Số trường</th><th>Được tiếp nhận</th><th>Bị từ chối</th><th>Nộp muộn</th>"
        f"<th>Chưa nộp</th></tr></thead><tbody>{lines}</tbody></table></section>"
    )


def write_reports(
    snapshot: Path,
    out: Path,
    year: str | None = None,
    period: str | None = None,
    units: list[tuple[str, str]] | None = None,
) -> list[Path]:
    """One page per (level, unit) — every district and province of the year by default."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(snapshot), read_only=True) as con:
        if year is None or period is None:
            year, period = con.execute(
                "select school_year, period from marts.fct_target_achievement_district "
                "where status in ('met', 'not_met') "
                "order by school_year desc, period_order desc limit 1"
            ).fetchone()
        if units is None:
            units = [
                ("district", c)
                for (c,) in con.execute(
                    "select distinct unit_code from marts.fct_target_achievement_district "
                    "where school_year = ? and status != 'no_target' order by 1",
                    [year],
                ).fetchall()
            ]
            units += [
                ("province", c)
                for (c,) in con.execute(
                    "select distinct unit_code from marts.fct_target_achievement_province "
                    "where school_year = ? order by 1",
                    [year],
                ).fetchall()
            ]
        for level, code in units:
            prefix = "huyen" if level == "district" else "tinh"
            path = out / f"{prefix}_{code}_{year}_{period}.html"
            path.write_text(render(con, level, code, year, period), "utf-8")
            written.append(path)
    return written
