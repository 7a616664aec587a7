"""Arrival order inside a load is data: versions of one report arriving in the same load.

One landing, one run, one school per situation (every number below is chosen by hand):

    A  two versions, later report date arrives later            -> v2 in force, spells v1, v2
    B  three versions                                           -> v3, spells v1, v2, v3
    C  the same report date twice                               -> the later arrival wins
    D  a stale copy (earlier report date) arriving last         -> it never wins: one spell
    E  one content under two names                              -> loaded once, one spell
    F  accepted, refused correction, accepted                   -> spells v1, v3 only
    G  two versions at the very same moment                     -> one spell (the stronger)

A spell starts at the `received_at` of the file that made it so, never at the load's time.
"""

import os
import shutil
from datetime import UTC, date, datetime

import pytest

from builders import BAN_LANG, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.transform.marts_file import reading

SCHOOLS = {s: f"121099{i:02d}" for i, s in enumerate("ABCDEFG", start=50)}
DAY = {5: date(2024, 1, 5), 9: date(2024, 1, 9), 12: date(2024, 1, 12)}


def at(hour: int) -> datetime:
    return datetime(2024, 1, 20, hour, 0)


def deliver(path, hour: int):
    moment = at(hour).replace(tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))
    return path


def version(landing, school: str, name: str, dropouts: int, day: int, hour: int, refused: bool = False):
    row = {"grade": "Lớp 6", "enrolled": 100 - dropouts, "enrolled_start": 100, "dropouts": dropouts}
    if refused:
        row["female"] = 500  # more girls than pupils: refused
    path = landing / "reports" / "2023-2024" / "giua_nam" / f"{school}_{name}.xlsx"
    workbook(
        path, SCHOOLS[school], f"Trường THCS {school}", [row], {11: 100 - dropouts}, report_date=DAY[day]
    )
    return deliver(path, hour)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("arrivals")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    landing = paths.landing
    registry(landing, [(code, f"Trường THCS {s}", "THCS", BAN_LANG, "ĐBKK") for s, code in SCHOOLS.items()])
    census(landing, {BAN_LANG: {11: 700}})
    version(landing, "A", "v1", 1, 5, hour=1)
    version(landing, "A", "v2", 2, 9, hour=2)
    version(landing, "B", "v1", 1, 5, hour=1)
    version(landing, "B", "v2", 2, 9, hour=2)
    version(landing, "B", "v3", 3, 12, hour=3)
    version(landing, "C", "v1", 1, 9, hour=1)
    version(landing, "C", "v2", 4, 9, hour=2)
    version(landing, "D", "v2", 2, 9, hour=1)
    version(landing, "D", "cu", 1, 5, hour=3)
    e = version(landing, "E", "v1", 1, 5, hour=1)
    deliver(shutil.copy(e, e.with_name("E_ban_sao.xlsx")), hour=2)
    version(landing, "F", "v1", 1, 5, hour=1)
    version(landing, "F", "v2_loi", 2, 9, hour=2, refused=True)
    version(landing, "F", "v3", 3, 12, hour=3)
    version(landing, "G", "v1", 1, 5, hour=4)
    version(landing, "G", "v2", 2, 9, hour=4)
    summary = pipeline.run(paths)
    with reading(paths) as con:
        spells = con.execute("""
            select f.school_code, regexp_extract(f.landing_path, '_([^_/]+(_loi)?)\\.xlsx$', 1),
                   h.in_force_from, h.in_force_to, h.is_current
            from marts.fct_submission_history h join raw.files f using (file_hash)
            order by f.school_code, h.in_force_from""").fetchall()
        dropouts = dict(
            con.execute("""
            select unit_code, numerator from marts.fct_target_achievement_school
            where indicator_code = 'thcs_dropout' and segment = 'all'""").fetchall()
        )
    by_school = {
        s: [(name, start, end, current) for code, name, start, end, current in spells if code == SCHOOLS[s]]
        for s in SCHOOLS
    }
    return paths, summary, by_school, dropouts


def test_two_versions_in_one_load(loaded):
    _, _, spells, dropouts = loaded
    assert spells["A"] == [("v1", at(1), at(2), False), ("v2", at(2), None, True)]
    assert dropouts[SCHOOLS["A"]] == 2


def test_three_versions_in_one_load(loaded):
    _, _, spells, dropouts = loaded
    assert [s[:2] for s in spells["B"]] == [("v1", at(1)), ("v2", at(2)), ("v3", at(3))]
    assert [s[3] for s in spells["B"]] == [False, False, True]
    assert dropouts[SCHOOLS["B"]] == 3


def test_same_report_date_twice_latest_arrival_wins(loaded):
    _, _, spells, dropouts = loaded
    assert [s[:2] for s in spells["C"]] == [("v1", at(1)), ("v2", at(2))]
    assert dropouts[SCHOOLS["C"]] == 4


def test_stale_copy_arriving_last_never_wins(loaded):
    _, _, spells, dropouts = loaded
    assert spells["D"] == [("v2", at(1), None, True)]
    assert dropouts[SCHOOLS["D"]] == 2


def test_one_content_under_two_names_is_one_spell(loaded):
    paths, _, spells, _ = loaded
    assert spells["E"] == [("v1", at(1), None, True)]
    with reading(paths) as con:
        assert con.execute(
            "select count(*) from raw.files where school_code = ?", [SCHOOLS["E"]]
        ).fetchone() == (1,)


def test_refused_correction_between_two_accepted_ones(loaded):
    _, _, spells, dropouts = loaded
    assert [s[:2] for s in spells["F"]] == [("v1", at(1)), ("v3", at(3))]
    assert dropouts[SCHOOLS["F"]] == 3


def test_two_versions_at_the_same_moment_make_one_spell(loaded):
    _, _, spells, dropouts = loaded
    assert spells["G"] == [("v2", at(4), None, True)]
    assert dropouts[SCHOOLS["G"]] == 2


@pytest.mark.slow
def test_rebuild_from_a_landing_of_originals_and_corrections(loaded):
    """`chitieu rebuild` reads the same landing (originals and corrections together) and
    gives the same history."""
    paths, _, spells, _ = loaded
    pipeline.rebuild(paths)
    with reading(paths) as con:
        count = con.execute("select count(*) from marts.fct_submission_history").fetchone()[0]
    assert count == sum(len(s) for s in spells.values())


@pytest.mark.slow
def test_reports_before_any_registry_do_not_stop_the_load(tmp_path):
    """The first reports of a new department arrive before its school registry: the load
    completes (it once stopped on an empty registry), the reports are refused as schools
    not in the registry, with the message that says so."""
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    version(paths.landing, "A", "v1", 1, 5, hour=1)
    summary = pipeline.run(paths, publish_marts=False)
    assert list(summary.loaded["status"]) == ["rejected"]
    assert "GENERAL_SCHOOL_NOT_IN_REGISTRY" in set(summary.findings["code"])
