"""Rules across reports: a school's report against its own previous one.

Run over every new batch at once, after parsing and before loading, with the GX suite
expectations/across_reports/history.json (e.g. enrolment changed by more than 30 %).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingest.config import Paths
from ingest.contract.calendar import PERIOD_ORDER
from ingest.load import raw_zone, warehouse


def previous_enrolment(history: pd.DataFrame, new: pd.DataFrame) -> dict[str, float]:
    """File hash -> total enrolled of the same school's previous report (accepted earlier,
    or earlier among the new files): the base of the "changed by more than 30 %" warning.

    Reports are ordered by (school year, period, arrival); the new files arrive last.
    """
    new = new[new["pupils_total"].notna() & new["school_year"].notna()].copy()
    if new.empty:
        return {}
    new["period_order"] = new["period"].map(PERIOD_ORDER)
    new["enrolled"] = new["pupils_total"]
    new["load_seq"] = 10**9 - 1  # after everything already loaded

    def ordinal(frame: pd.DataFrame) -> pd.Series:
        year = pd.to_numeric(frame["school_year"].str[:4], errors="coerce")
        return (year * 10 + frame["period_order"]) * 10**9 + frame["load_seq"]

    columns = ["file_hash", "school_code", "school_year", "period_order", "load_seq", "enrolled"]
    pool = pd.concat([history.assign(file_hash=None), new[columns]], ignore_index=True)
    for frame in (pool, new):
        frame["school_code"] = frame["school_code"].astype(object)
        frame["ordinal"] = ordinal(frame).astype("float64")
    pool = pool.dropna(subset=["ordinal"]).sort_values("ordinal")
    new = new.dropna(subset=["ordinal"]).sort_values("ordinal")
    matched = pd.merge_asof(
        new[["file_hash", "school_code", "ordinal"]],
        pool[["school_code", "ordinal", "enrolled"]],
        on="ordinal",
        by="school_code",
        allow_exact_matches=False,
    )
    return {
        h: float(v) for h, v in zip(matched["file_hash"], matched["enrolled"], strict=True) if pd.notna(v)
    }


def check_history(paths: Paths, batches: list[Path], pool=None) -> None:
    """Rules across reports, over every new batch at once and what is already loaded:
    the GX suite expectations/across_reports/history.json (e.g. enrolment changed by more than 30 %)."""
    from ingest.validate.suites import validate_history

    if not batches:
        return
    new = pd.concat(
        [raw_zone.read_part(b, "files").assign(_batch=b.name) for b in batches], ignore_index=True
    )
    with warehouse.connect(paths.warehouse) as con:
        history = warehouse.accepted_enrolment(con, new["school_code"].dropna().unique().tolist())
    previous = previous_enrolment(history, new)
    if not previous:  # no report has an earlier one (a first load): nothing to compare
        records = []
    elif pool is not None:
        records = pool.submit(validate_history, new, previous).result()
    else:
        records = validate_history(new, previous)
    found = raw_zone.findings_frame(records)
    batch_of = dict(zip(new["file_hash"], new["_batch"], strict=False))
    for batch in batches:
        mine = found[found["file_hash"].map(batch_of) == batch.name]
        folder = paths.validated / batch.name
        mine.to_parquet(folder / ".history.tmp", index=False)
        (folder / ".history.tmp").rename(folder / "history.parquet")
