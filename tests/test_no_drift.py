"""The numbers cannot drift: a warehouse that lived through a random sequence of runs equals
one rebuilt from its landing folder alone.

Each step adds what a department sees in a week — a new report, a correction, a refused
file, a revised target decision, a new census, a registry change, the first report of the
next school year, or nothing at all — and runs the load (which skips dbt and the publish
when nothing changed, and rebuilds and republishes only the school years and periods that
changed when only reports arrived). The end of 2023-2024 is closed early on (its folder
checked, not walked), while reports for it still come. At the end a fresh warehouse is
built from the same landing folder and every mart, in the warehouse and in the published
snapshot, must be equal (checksums), and the published Parquet tree (written by province,
the unchanged files linked from version to version) must hold exactly the snapshot's rows.

The two schools lie in two provinces (Lai Châu and Điện Biên), so a report rebuilds its
own province's rows and must leave the other's as they were.
"""

import os
import random
from datetime import UTC, date, datetime

import duckdb
import pytest

from builders import BAN_LANG, MA_LI_PHO, assessment_sheet, census, registry, targets, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.landing.closed_periods import close_period
from ingest.serve.publish import SNAPSHOT
from ingest.transform.checksums import mart_checksums
from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow
A, B = "12109931", "11094001"  # Lai Châu (province 12), Điện Biên (province 11)
NOONG_BUA = "03124"  # Phường Noong Bua, Thành phố Điện Biên Phủ
STEPS = ("report", "correction", "refused", "target_revision", "census", "registry", "next_year", "nothing")


def assert_parquet_holds_the_snapshot(paths):
    """Every mart's Parquet files hold exactly its rows in the published snapshot."""
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()]  # fmt: skip
        for table in tables:
            names = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ? "
                "order by column_index", [table]).fetchall()]  # fmt: skip
            columns = ", ".join(f'"{c}"' for c in names)
            files = (
                f"read_parquet('{paths.serving}/parquet/current/{table}/**/*.parquet', "
                "hive_partitioning = true, union_by_name = true)"
            )
            mine, theirs = f"select {columns} from marts.{table}", f"select {columns} from {files}"
            differ = con.execute(
                f"select count(*) from (({mine} except all {theirs}) union all ({theirs} except all {mine}))"
            ).fetchone()[0]
            assert differ == 0, table


class Department:
    """A landing folder that receives files, one moment after another."""

    def __init__(self, landing):
        self.landing = landing
        self.hour = 0
        self.version = 0

    def stamp(self, path):
        self.hour += 1
        moment = datetime(2024, 2, 1, tzinfo=UTC).timestamp() + 3600 * self.hour
        os.utime(path, (moment, moment))
        return path

    def report(self, code, dropouts, female=None, period="giua_nam", year="2023-2024"):
        self.version += 1
        row = {"grade": "Lớp 6", "enrolled": 100 - dropouts, "enrolled_start": 100, "dropouts": dropouts}
        if female is not None:
            row["female"] = female
        path = self.landing / "reports" / year / period / f"{code}_v{self.version}.xlsx"
        first_year = int(year[:4]) - 2023
        workbook(
            path,
            code,
            f"Trường THCS {code}",
            [row],
            {11: 100 - dropouts},
            year=year,
            period=period,
            # an end-of-year report without its «Đánh giá» sheet is refused
            extra=[assessment_sheet("Lớp 6", 100 - dropouts)] if period == "cuoi_nam" else [],
            report_date=date(2024 + first_year, 1, min(28, self.version)),
        )
        return self.stamp(path)

    def targets(self, value, issued):
        return self.stamp(
            targets(
                self.landing,
                [
                    (
                        f"{issued}/QĐ-UBND",
                        f"{issued:02d}/09/2023",
                        "109",
                        "Huyện",
                        "2023-2024",
                        "thcs_dropout",
                        "",
                        "dưới",
                        value,
                    )
                ],
                name=f"chi_tieu_{issued}.csv",
            )
        )

    def census(self, people):
        path = census(self.landing, {BAN_LANG: {11: people}, MA_LI_PHO: {11: 200}, NOONG_BUA: {11: 150}})
        return self.stamp(path.rename(path.with_name(f"dieu_tra_{self.hour}.csv")))

    def registry(self, name_b):
        path = registry(
            self.landing,
            [(A, "Trường THCS A", "THCS", BAN_LANG, "ĐBKK"), (B, name_b, "THCS", NOONG_BUA, "Thuận lợi")],
        )
        return self.stamp(path.rename(path.with_name(f"danh_muc_{self.hour}.csv")))


def step(department: Department, kind: str, rng: random.Random) -> None:
    school = rng.choice([A, B])
    if kind in ("report", "correction"):
        department.report(
            school,
            rng.randint(0, 3),
            period=rng.choice(["giua_nam", "cuoi_nam"]) if kind == "report" else "giua_nam",
        )
    elif kind == "next_year":  # the first report of a school year: its periods are new
        # (school A's, whose 2023-2024 the early warning of this reading draws on)
        department.report(A, rng.randint(0, 3), period="giua_nam", year="2024-2025")
    elif kind == "refused":
        department.report(school, 1, female=999)
    elif kind == "target_revision":
        department.targets(rng.choice(["0,5", "1", "2,5"]), issued=rng.randint(2, 28))
    elif kind == "census":
        department.census(rng.randint(90, 140))
    elif kind == "registry":
        department.registry(rng.choice(["Trường THCS B", "Trường PTDTBT THCS B"]))


@pytest.mark.parametrize("seed", [7])
def test_a_lived_warehouse_equals_a_rebuild_from_the_landing(tmp_path, seed):
    rng = random.Random(seed)
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    department = Department(paths.landing)
    department.registry("Trường THCS B")
    department.census(120)
    department.targets("1", issued=1)
    department.report(A, 1)
    # and its end of the year: the early warning of 2024-2025 (step next_year) draws on
    # 2023-2024's change from the middle to the end of the year
    department.report(A, 2, period="cuoi_nam")
    pipeline.run(paths)
    # the department closes the end of 2023-2024 (khóa sổ) while reports still come for it:
    # those are walked and loaded as in an open period, the others taken as recorded
    closed = paths.landing / "reports" / "2023-2024" / "cuoi_nam"
    os.utime(closed, (closed.stat().st_mtime - 3600,) * 2)  # last changed an hour ago
    close_period(paths, "2023-2024", "cuoi_nam")
    kinds = list(STEPS)
    rng.shuffle(kinds)
    skipped = incremental = by_period = 0
    provinces = set()  # the provinces rebuilt alone, without their period's other province
    for kind in kinds:
        step(department, kind, rng)
        summary = pipeline.run(paths)  # published too: by period, like the build
        skipped += not summary.rebuilt
        # rebuilt exactly when new content arrived (a file identical to an earlier one is not new)
        assert summary.rebuilt == (not summary.loaded.empty), kind
        assert kind != "nothing" or not summary.rebuilt
        if summary.rebuilt:  # reports rebuild their periods only; any other input, everything
            full = kind in ("target_revision", "census", "registry")
            assert (summary.partitions is None) == full, (kind, summary.partitions)
            incremental += not full
            provinces |= {key.rsplit("|", 1)[1] for key in summary.partitions or []}
            by_period += summary.published is not None and summary.published.changed is not None
    assert skipped >= kinds.count("nothing") >= 1
    assert incremental >= 2 and by_period >= 2  # the incremental paths were taken, and are checked below
    assert provinces & {"11", "12"}, provinces  # a province was rebuilt on its own

    fresh = Paths.from_env(paths.landing, tmp_path / "fresh" / "chitieu.duckdb")
    pipeline.run(fresh, publish_marts=False)
    assert mart_checksums(paths.marts) == mart_checksums(fresh.marts)
    # the intermediate tables too (the order of loading aside)
    ignore = frozenset({"load_seq"})
    lived, rebuilt = (mart_checksums(p.warehouse, ignore, "intermediate") for p in (paths, fresh))
    assert "int_target_achievement" in lived and lived == rebuilt
    with reading(paths) as con:  # the early warning was built
        # incrementally (next_year), from 2023-2024's change from the middle to the end of the year
        warned = con.execute(
            "select count(*) from intermediate.int_indicator_change_to_year_end "
            "where unit_code = ? and school_year = '2024-2025' and indicator_code = 'thcs_dropout'",
            [A],
        ).fetchone()[0]
    assert warned == 1
    assert mart_checksums(paths.serving / SNAPSHOT) == mart_checksums(fresh.marts)
    assert_parquet_holds_the_snapshot(paths)
    by_province = paths.serving / "parquet" / "current" / "fct_target_achievement_school"
    assert {p.name for p in by_province.rglob("*.parquet")} <= {"province_11.parquet", "province_12.parquet"}
