"""Every workbook a school can send: end-of-year reports of the sample district re-saved by
LibreOffice as .xlsx, .xls (Excel 97-2003) and .ods (OpenDocument) give the same marts as
the originals. Needs LibreOffice (`apt-get install libreoffice-calc-nogui`; CI installs it)."""

import shutil

import pytest

from ingest import pipeline
from ingest.config import Paths
from ingest.sample.generate import generate_phong_tho
from ingest.sample.office.__main__ import convert
from ingest.transform.checksums import mart_checksums

pytestmark = pytest.mark.slow
# the same report in another format is another file: its hash (and what names it) differs
FILE_IDENTITY = frozenset({"file_hash", "report_file_hash", "superseded_by"})


def landing_in(fmt: str, original, root):
    """A copy of `original` whose end-of-year reports LibreOffice saved as `fmt`."""
    landing = root / fmt
    shutil.copytree(original, landing, ignore=shutil.ignore_patterns("cuoi_nam"))
    reports = sorted((original / "reports" / "2023-2024" / "cuoi_nam").glob("*.xlsx"))
    for source, saved in zip(
        reports, convert(reports, fmt, landing / "reports" / "2023-2024" / "cuoi_nam"), strict=True
    ):
        shutil.copystat(source, saved)  # delivered when the original was: arrival is data
    return landing


@pytest.fixture(scope="module")
def loads(tmp_path_factory, soffice):
    root = tmp_path_factory.mktemp("office")
    original = root / "original"
    generate_phong_tho(original, with_problems=False)
    shutil.rmtree(original / "reports" / "2023-2024" / "dau_nam")
    shutil.rmtree(original / "reports" / "2023-2024" / "giua_nam")
    # every fourth school's report (preschools, primary and lower-secondary schools alike):
    # LibreOffice converts each file in ≈ 0.13 s and each load pays per file
    for i, report in enumerate(sorted((original / "reports" / "2023-2024" / "cuoi_nam").iterdir())):
        if i % 4:
            report.unlink()
    results = {}
    for fmt in ("original", "xlsx", "xls", "ods"):
        landing = original if fmt == "original" else landing_in(fmt, original, root)
        paths = Paths.from_env(landing, root / "wh" / f"{fmt}.duckdb")
        summary = pipeline.run(paths, publish_marts=False)
        results[fmt] = (summary, mart_checksums(paths.marts, ignore=FILE_IDENTITY))
    return results


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_resaved_reports_give_the_same_marts(loads, fmt):
    summary, checksums = loads[fmt]
    assert summary.count("rejected") == 0 and len(summary.loaded) >= 12
    assert checksums == loads["original"][1]
