"""Property: for any set of arrivals of one school's report — versions with any report dates,
arrival times (ties included), refused ones and identical copies — loading them in one run
gives the same marts as loading them one run at a time, in any order."""

import os
import shutil
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import BAN_LANG, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow
CODE = "12109960"

version = st.fixed_dictionaries(
    {
        "dropouts": st.integers(0, 2),
        "day": st.sampled_from([5, 9, 12]),
        "hour": st.integers(1, 3),
        "refused": st.booleans(),
    }
)


def write(landing, i: int, v: dict):
    row = {
        "grade": "Lớp 6",
        "enrolled": 100 - v["dropouts"],
        "enrolled_start": 100,
        "dropouts": v["dropouts"],
    }
    if v["refused"]:
        row["female"] = 500
    path = landing / "reports" / "2023-2024" / "giua_nam" / f"v{i}.xlsx"
    workbook(
        path, CODE, "Trường THCS P", [row], {11: 100 - v["dropouts"]}, report_date=date(2024, 1, v["day"])
    )
    moment = datetime(2024, 1, 20, v["hour"], tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))
    return path


MARTS = {
    "fct_submission_history": "school_code, period, file_hash, report_date, in_force_from, "
    "in_force_to, is_current",
    "fct_submissions": "file_hash, received_at, status, in_force, superseded_by, outcome_vi",
    "fct_target_achievement_school": "unit_code, indicator_code, segment, numerator, denominator, status",
}


def marts(paths):
    with reading(paths) as con:
        return {
            m: sorted(con.execute(f"select {cols} from marts.{m}").fetchall(), key=repr)
            for m, cols in MARTS.items()
        }


def reference(landing):
    registry(landing, [(CODE, "Trường THCS P", "THCS", BAN_LANG, "ĐBKK")])
    census(landing, {BAN_LANG: {11: 100}})


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(versions=st.lists(version, min_size=2, max_size=3), order=st.randoms(use_true_random=False))
def test_one_run_equals_many_runs_in_any_order(tmp_path_factory, versions, order):
    root = tmp_path_factory.mktemp("prop")
    together = Paths.from_env(root / "a" / "landing", root / "a" / "wh" / "chitieu.duckdb")
    apart = Paths.from_env(root / "b" / "landing", root / "b" / "wh" / "chitieu.duckdb")
    reference(together.landing)
    files = [write(together.landing, i, v) for i, v in enumerate(versions)]
    pipeline.run(together, publish_marts=False)

    reference(apart.landing)
    order.shuffle(files)
    for path in files:
        target = apart.landing / path.relative_to(together.landing)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)  # keeps the file's time: its arrival
        pipeline.run(apart, publish_marts=False)
    assert marts(apart) == marts(together)
