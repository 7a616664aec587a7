"""A corrected report replaces the earlier one; a refused correction does not; history stays.

School A reports 1 dropout of 100 at mid-year (v1), then sends a correction with 2 (v2,
later report date), then a third file that is refused (girls outnumber pupils). The
district's dropout rate must follow v2 (2 / 100), v1 and v2 must both be in the history,
and the identical copy of v2 delivered to another folder must be loaded once.
"""

import shutil
from datetime import date

import pytest

from builders import BAN_LANG, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow  # three loads in a row; test_arrival_order.py covers corrections fast
A = "12109901"


def report(path, dropouts, female=None, day=5):
    row = {"grade": "Lớp 6", "enrolled": 100 - dropouts, "enrolled_start": 100, "dropouts": dropouts}
    if female is not None:
        row["female"] = female
    return workbook(path, A, "Trường THCS A", [row], {11: 100 - dropouts}, report_date=date(2024, 1, day))


def dropout(paths):
    with reading(paths) as con:
        return con.execute("""select numerator, denominator from marts.fct_target_achievement_district
                              where indicator_code = 'thcs_dropout' and segment = 'all'""").fetchone()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    root = tmp_path_factory.mktemp("resubmit")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    registry(paths.landing, [(A, "Trường THCS A", "THCS", BAN_LANG, "ĐBKK")])
    census(paths.landing, {BAN_LANG: {11: 100}})
    reports = paths.landing / "reports" / "2023-2024" / "giua_nam"
    report(reports / "v1.xlsx", dropouts=1, day=5)
    pipeline.run(paths)
    first = dropout(paths)
    v2 = report(reports / "v2_sua_lai.xlsx", dropouts=2, day=9)
    (paths.landing / "reports" / "gui_lai").mkdir()
    shutil.copy(v2, paths.landing / "reports" / "gui_lai" / "ban_sao.xlsx")
    second_run = pipeline.run(paths)
    second = dropout(paths)
    report(reports / "v3_loi.xlsx", dropouts=3, female=500, day=12)
    pipeline.run(paths)
    third = dropout(paths)
    return paths, first, second, third, second_run


def test_correction_replaces_and_refused_one_does_not(history):
    _, first, second, third, _ = history
    assert first == (1, 100)
    assert second == (2, 100)
    assert third == (2, 100)


def test_history_says_which_file_was_in_force_when(history):
    paths, *_ = history
    with reading(paths) as con:
        # marts carry the file hash; where each file was delivered stays in the raw zone
        spells = con.execute("""select f.landing_path, h.is_current, h.in_force_to is null
                                from marts.fct_submission_history h join raw.files f using (file_hash)
                                order by h.in_force_from""").fetchall()
        outcomes = dict(
            con.execute("""select f.landing_path, s.outcome_vi from marts.fct_submissions s
                                       join raw.files f using (file_hash)""").fetchall()
        )
    assert [s[0].rsplit("/", 1)[-1] for s in spells] == ["v1.xlsx", "v2_sua_lai.xlsx"]
    assert [s[1] for s in spells] == [False, True]
    replaced = outcomes["reports/2023-2024/giua_nam/v1.xlsx"]
    assert replaced.startswith("Đã được thay bằng báo cáo ngày 09/01/2024")
    assert outcomes["reports/2023-2024/giua_nam/v2_sua_lai.xlsx"] == "Đang có hiệu lực"
    assert outcomes["reports/2023-2024/giua_nam/v3_loi.xlsx"].startswith("Bị từ chối")


def test_same_content_twice_is_loaded_once(history):
    paths, *_, second_run = history
    assert len(second_run.loaded) == 1  # v2 and its copy: one file
    with reading(paths) as con:
        files = con.execute("select count(*) from raw.files where kind = 'reports'").fetchone()[0]
    assert files == 3
