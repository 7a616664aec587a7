"""A district's scorecard as text: every target, what was achieved, and whether it was met."""

from __future__ import annotations

from pathlib import Path

import duckdb

STATUS_VI = {
    "met": "Đạt",
    "not_met": "CHƯA ĐẠT",
    "on_track": "Đúng tiến độ",
    "at_risk": "CÓ NGUY CƠ",
    "no_data": "Chưa có số liệu",
    "no_target": "—",
}
COMPARATOR_VI = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": "≈"}
SEGMENT_VI = {"all": "", "dbkk": " (vùng ĐBKK)", "thuan_loi": " (vùng thuận lợi)"}


def vn(value: float | None, unit: str = "percent") -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}" if unit != "count" else f"{value:,.0f}"
    text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text + ("%" if unit == "percent" else "")


def district_scorecard(
    warehouse: Path, district_code: str, school_year: str | None = None, period: str | None = None
) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = "marts.fct_target_achievement_district"
        where = "unit_code = ? and status != 'no_target'"
        if school_year is None or period is None:
            latest = con.execute(
                f"select school_year, period from {mart} where {where} and status != 'no_data' "
                "order by school_year desc, period_order desc limit 1",
                [district_code],
            ).fetchone()
            if latest is None:
                return f"Chưa có số liệu cho đơn vị {district_code}."
            school_year, period = school_year or latest[0], period or latest[1]
        rows = con.execute(
            f"select unit_name, period_label, indicator_name, segment, comparator, target_value, "
            f"actual_value, gap, unit, status, decision_no, numerator, denominator, gap_count, "
            f"direction, indicator_code, projected_value from {mart} "
            f"where {where} and school_year = ? and period = ? "
            "order by indicator_level, indicator_code, segment",
            [district_code, school_year, period],
        ).fetchall()
        history = earlier_values(con, mart, district_code, school_year, period)
    if not rows:
        return f"Chưa có chỉ tiêu nào được giao cho đơn vị {district_code} năm học {school_year}."
    name, period_label = rows[0][0], rows[0][1]
    met = sum(r[9] == "met" for r in rows)
    header = (
        f"BẢNG THEO DÕI CHỈ TIÊU — {name} — năm học {school_year}, kỳ {period_label}\n"
        f"Đạt {met}/{len(rows)} chỉ tiêu (quyết định {rows[0][10]})\n"
    )
    table = [
        (
            "Chỉ tiêu",
            "Mục tiêu",
            "Thực hiện",
            "Tử số/mẫu số",
            "Chênh lệch",
            "Số người",
            "Kết quả",
            "Các năm trước",
        )
    ]
    for row in rows:
        _, _, indicator, segment, comparator, target, actual, gap, unit, status, _, num, den = row[:13]
        gap_count, direction, code, projected = row[13], row[14], row[15], row[16]
        before = history.get((code, segment), [])
        counts = f"{vn(num, 'count')}/{vn(den, 'count')}" if den is not None else vn(num, "count")
        table.append(
            (
                indicator + SEGMENT_VI.get(segment, ""),
                f"{COMPARATOR_VI.get(comparator, comparator)} {vn(target, unit)}",
                vn(actual, unit),
                counts if num is not None else "—",
                ("+" if gap and gap > 0 else "") + vn(gap, "ratio" if unit == "percent" else unit),
                people_gap_vi(gap_count, direction),
                STATUS_VI[status] + (f" (dự báo {vn(projected, unit)})" if projected is not None else ""),
                " → ".join(f"{y[2:4]}-{y[7:9]}: {vn(v, unit)}" for y, v in before) or "—",
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return header + "\n".join(lines) + "\n" + completeness(warehouse, district_code, school_year)


def earlier_values(
    con: duckdb.DuckDBPyConnection, mart: str, unit_code: str, school_year: str, period: str, years: int = 4
) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """(indicator, segment) -> the unit's values of the same period in its `years` previous
    school years, oldest first: the trend beside each number."""
    rows = con.execute(
        f"select indicator_code, segment, school_year, actual_value from {mart} "
        "where unit_code = ? and period = ? and school_year < ? and actual_value is not null "
        "order by indicator_code, segment, school_year",
        [unit_code, period, school_year],
    ).fetchall()
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for code, segment, year, value in rows:
        out.setdefault((code, segment), []).append((year, value))
    return {key: values[-years:] for key, values in out.items()}


def people_gap_vi(gap_count: int | None, direction: str | None) -> str:
    """The gap in people, as a leader says it: «cần thêm 837», «cần giảm 4», «dư 12»."""
    if gap_count is None:
        return "—"
    if gap_count == 0:
        return "vừa đạt"
    if gap_count < 0:
        return f"dư {vn(-gap_count, 'count')}"
    return f"cần {'giảm' if direction == 'lower' else 'thêm'} {vn(gap_count, 'count')}"


def completeness(warehouse: Path, district_code: str, school_year: str) -> str:
    """Who has reported, per period: expected, accepted, refused, late, missing (by name)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select period_label, schools_expected, schools_accepted, schools_rejected, "
            "schools_late, schools_missing, missing_schools, late_schools, deadline "
            "from marts.fct_completeness_district where district_code = ? and school_year = ? "
            "order by deadline",
            [district_code, school_year],
        ).fetchall()
    lines = ["\nTÌNH HÌNH NỘP BÁO CÁO"]
    for label, expected, accepted, rejected, late, missing, missing_names, late_names, deadline in rows:
        lines.append(
            f"- {label} (hạn {deadline:%d/%m/%Y}): {accepted}/{expected} trường được tiếp "
            f"nhận, {rejected} bị từ chối chờ gửi lại, {late} nộp muộn, {missing} chưa nộp."
        )
        if missing_names:
            lines.append(f"    Chưa nộp: {missing_names}")
        if late_names:
            lines.append(f"    Nộp muộn: {late_names}")
    return "\n".join(lines) + "\n"


def province_trend(warehouse: Path, province_code: str, indicator: str) -> str:
    """An indicator's end-of-year values for a province within its 2025 boundaries."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select school_year, any_value(unit_name), any_value(indicator_name), "
            "sum(numerator), sum(denominator), any_value(unit) "
            "from marts.fct_target_achievement_province_2025 "
            "where unit_code = ? and indicator_code = ? and segment = 'all' and period = 'cuoi_nam' "
            "group by school_year order by school_year",
            [province_code, indicator],
        ).fetchall()
    if not rows:
        return ""
    lines = [f"XU HƯỚNG — {rows[0][2]}, {rows[0][1]} (địa giới từ 01/7/2025, cuối năm học)"]
    for year, _, _, num, den, unit in rows:
        value = 100.0 * num / den if den else None
        lines.append(f"  {year}: {vn(value, unit)}  ({vn(num, 'count')}/{vn(den, 'count')})")
    return "\n".join(lines) + "\n"
