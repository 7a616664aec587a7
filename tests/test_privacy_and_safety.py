"""Least privilege and privacy: no personal names in marts, no secrets in the repository,
no formulas in what the project writes, no sender-chosen names used as paths."""

import re
import subprocess

import duckdb
import pytest

from ingest.config import PROJECT_DIR
from ingest.sample.workbooks import PREPARERS
from ingest.serve.csv_safety import safe_cell, write_csv
from ingest.serve.publish import SNAPSHOT
from ingest.transform.marts_file import reading


@pytest.mark.slow
def test_no_personal_name_reaches_a_mart(demo_run):
    """Every text column of every mart is scanned for the preparers written in the sample."""
    paths, _ = demo_run
    names = [*PREPARERS, "Lò Thị Test"]
    with reading(paths) as con:
        in_raw = con.execute("select count(*) from raw.report_cells where field = 'preparer'").fetchone()[0]
    assert in_raw > 0  # they are in the raw zone (the file as sent) …
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where schema_name = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        assert len(columns) > 100
        for table, column in columns:
            found = con.execute(
                f'select count(*) from marts.{table} where "{column}" in ({", ".join("?" for _ in names)})',
                names,
            ).fetchone()[0]
            assert found == 0, f"a personal name in marts.{table}.{column}"  # … never in a mart


SECRET = re.compile(
    r"""(?ix)
    # a quoted literal
    (password|passwd|pwd|secret|token|api_?key)\w*\s*[:=]\s*["'](?![$\{]|XXXX)[^"'\s]{6,}["']
    # KEY=value
    | ^\s*[\w.]*(password|passwd|secret|token|api_?key)\w*\s*[:=]\s*(?![$\{"'#]|XXXX|os\.|getenv)\S{6,}\s*$
    | postgres(ql)?(\+\w+)?://[^:/\s@]+:(?![$\{]|XXXX)[^@\s]{3,}@  # a password in a URL
    | -----BEGIN\ [A-Z ]*PRIVATE\ KEY-----
    """
)


SELF = "tests/test_privacy_and_safety.py"


def test_no_tracked_file_holds_a_password_like_value():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    hits = []
    for name in tracked:
        path = PROJECT_DIR / name
        if path.suffix in (".xlsx", ".png", ".lock") or not path.is_file() or name == SELF:
            continue  # (this file holds the scanner's own made-up examples)
        for number, line in enumerate(path.read_text("utf-8", errors="ignore").splitlines(), 1):
            if SECRET.search(line):
                hits.append(f"{name}:{number}: {line.strip()[:120]}")
    assert hits == []


def test_the_secret_scanner_catches_what_it_should():
    assert SECRET.search("PASSWORD=hunter22")
    assert SECRET.search("postgresql://admin:s3cretpw@db:5432/x")
    assert not SECRET.search("POSTGRES_PASSWORD: ${AIRFLOW_DB_PASSWORD}")
    assert not SECRET.search("sqlalchemy_uri: postgresql+psycopg2://chitieu_dashboard:XXXXXXXXXX@h/db")
    assert SECRET.search('api_key = "sk-live-12345678"')
    assert not SECRET.search('password = password or os.environ.get("X")')


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_cells_that_would_be_formulas_are_escaped(value, tmp_path):
    assert safe_cell(value) == "'" + value
    path = write_csv(tmp_path / "x.csv", ["Ghi chú"], [[value]])
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1] == [f"'{value}"]
    from ingest.sample.xlsx import SheetSpec, write_xlsx

    write_xlsx(tmp_path / "x.xlsx", [SheetSpec("A", [[value]])])
    import python_calamine

    cell = (
        python_calamine.CalamineWorkbook.from_path(str(tmp_path / "x.xlsx"))
        .get_sheet_by_name("A")
        .to_python()[0][0]
    )
    assert cell == "'" + value


def test_numbers_are_not_escaped():
    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5


@pytest.mark.slow
def test_a_senders_file_name_is_never_a_path(tmp_path):
    """A refused file with a hostile name is kept under its hash only."""
    from ingest import pipeline
    from ingest.config import Paths

    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    (paths.landing / "reports").mkdir(parents=True)
    hostile = paths.landing / "reports" / "báo cáo ..%2F..%2Fetc; rm -rf ~ $(id) `x`.xlsx"
    hostile.write_text("không phải excel", encoding="utf-8")
    pipeline.run(paths, publish_marts=False)
    kept = [p.relative_to(paths.quarantine) for p in paths.quarantine.rglob("*") if p.is_file()]
    assert kept and all(
        re.fullmatch(r"[0-9a-f]{64}/([0-9a-f]{16}\.\w+|phan_hoi\.(txt|html))", str(p)) for p in kept
    )
    assert not (tmp_path / "etc").exists()
