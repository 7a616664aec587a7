"""How often the mid-year warning was right: the early-warning statuses backtested.

At mid-year a target not yet due is read as `on_track` or `at_risk` (docs/targets.md: the
year-to-date value, dropouts doubled for the whole year). Where the same unit, indicator
and segment also has its end-of-year verdict (`met` / `not_met`) for that target, the two
are compared:

    warned and missed   at_risk  -> not_met   (a warning that came true)
    warned but met      at_risk  -> met       (a false alarm)
    silent but missed   on_track -> not_met   (a miss the warning did not see)
    silent and met      on_track -> met

The hit rate is the share of pairs where the mid-year reading matched the outcome; it is
given for every projection method too (`projection_method`: own_history, year_to_date,
census, as_reported — docs/targets.md), which is how a change of method is judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

LEVELS = {"school": "trường", "commune": "xã", "district": "huyện", "province": "tỉnh"}


@dataclass(frozen=True)
class Backtest:
    level: str
    warned_missed: int
    warned_met: int
    silent_missed: int
    silent_met: int

    @property
    def pairs(self) -> int:
        return self.warned_missed + self.warned_met + self.silent_missed + self.silent_met

    @property
    def hit_rate(self) -> float | None:
        return (self.warned_missed + self.silent_met) / self.pairs if self.pairs else None


METHODS = {
    "own_history": "theo các năm trước của đơn vị",
    "year_to_date": "nhân từ số liệu đến giữa năm",
    "census": "số trẻ đang học so với điều tra",
    "as_reported": "số liệu đến giữa năm",
}


def backtest(con: duckdb.DuckDBPyConnection, level: str, method: str | None = None) -> Backtest:
    """The four counts at one level, for one projection method or (None) for every one."""
    mart = f"marts.fct_target_achievement_{level}"
    row = con.execute(
        f"""
        select
            count(*) filter (where m.status = 'at_risk' and e.status = 'not_met'),
            count(*) filter (where m.status = 'at_risk' and e.status = 'met'),
            count(*) filter (where m.status = 'on_track' and e.status = 'not_met'),
            count(*) filter (where m.status = 'on_track' and e.status = 'met')
        from {mart} as m
        join {mart} as e
            on e.unit_code = m.unit_code and e.school_year = m.school_year
           and e.indicator_code = m.indicator_code and e.segment = m.segment
           and e.boundaries = m.boundaries and e.decision_no is not distinct from m.decision_no
        where m.period = 'giua_nam' and e.period = 'cuoi_nam'
          and m.status in ('on_track', 'at_risk') and e.status in ('met', 'not_met')
          and (? is null or m.projection_method = ?)""",
        [method, method],
    ).fetchone()
    return Backtest(level, *row)


def report(warehouse: Path) -> str:
    """The backtest at every level, in Vietnamese."""
    lines = ["KIỂM TRA LẠI CẢNH BÁO GIỮA NĂM (so với kết quả cuối năm)"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for level, name in LEVELS.items():
            b = backtest(con, level)
            if not b.pairs:
                lines.append(f"- Cấp {name}: chưa có cặp giữa năm / cuối năm nào để so sánh.")
                continue
            lines.append(
                f"- Cấp {name}: {b.pairs} cặp, đúng {100 * b.hit_rate:.0f}% — cảnh báo đúng "
                f"{b.warned_missed}, báo động nhầm {b.warned_met}, bỏ sót {b.silent_missed}, "
                f"không cảnh báo và đạt {b.silent_met}."
            )
            for method, label in METHODS.items():
                m = backtest(con, level, method)
                if m.pairs:
                    lines.append(f"    · dự báo {label}: {m.pairs} cặp, đúng {100 * m.hit_rate:.0f}%")
    return "\n".join(lines) + "\n"
