"""Every deliberately broken submission gets the outcome and the Vietnamese message it must.

The sample district is loaded once with all cases of ingest/sample/broken.py beside the
good reports; each case is then checked on its own: status in the ledger, the finding's
code, a piece of its message, and that the good reports of the load still went through.
"""

import re

import pytest

from ingest import pipeline
from ingest.config import Paths
from ingest.sample.broken import CASES, REFERENCE_CASES
from ingest.sample.generate import generate_phong_tho
from ingest.transform.marts_file import reading


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    generate_phong_tho(paths.landing, with_problems=False, broken_set=True)
    summary = pipeline.run(paths)
    with reading(paths) as con:
        files = {
            r[0]: r[1:]
            for r in con.execute("select landing_path, status, file_hash from raw.files").fetchall()
        }
        findings = con.execute(
            'select file_hash, code, severity, message, hint, sheet, "row", "column" from raw.findings'
        ).fetchall()
    return paths, summary, files, findings


def test_there_are_at_least_twenty_kinds():
    assert len({c.code for c in CASES if c.status == "rejected"}) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_outcome_and_message(loaded, case):
    paths, _, files, findings = loaded
    status, file_hash = files[case.landing_path]
    assert status == case.status
    mine = [f for f in findings if f[0] == file_hash]
    if case.code is None:
        assert [f for f in mine if f[2] == "error"] == []
        return
    matching = [f for f in mine if f[1] == case.code]
    assert matching, f"expected {case.code}, got {[f[1] for f in mine]}"
    assert any(case.message in (f[3] + " " + (f[4] or "")) for f in matching)
    if case.status == "rejected":
        feedback = (paths.quarantine / file_hash / "phan_hoi.txt").read_text("utf-8")
        assert matching[0][3] in feedback


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=[c.relpath for c in REFERENCE_CASES])
def test_reference_case_outcome_and_message(loaded, case):
    paths, _, files, findings = loaded
    status, file_hash = files[case.relpath]
    assert status == case.status
    matching = [f for f in findings if f[0] == file_hash and f[1] == case.code]
    assert matching, f"expected {case.code}, got {[f[1] for f in findings if f[0] == file_hash]}"
    assert any(case.message in f[3] for f in matching)


def test_the_load_with_every_broken_file_completed_and_published(loaded):
    """Every broken and hostile case in one landing with the good files: the run ends (no
    exception, so `chitieu run` exits 0) and publishes the marts."""
    paths, summary, _, _ = loaded
    assert summary.published is not None and summary.published.snapshot.exists()
    assert summary.published.tables["fct_target_achievement_district"] > 0


def test_links_are_never_followed(loaded):
    """Nothing outside the landing folder is read: no quarantine copy of a link's target,
    and the feedback names the link."""
    paths, _, files, _ = loaded
    for case in [c for c in CASES if c.link_to] + [c for c in REFERENCE_CASES if c.link_to]:
        relpath = case.landing_path if isinstance(case, type(CASES[0])) else case.relpath
        _, file_hash = files[relpath]
        kept = paths.quarantine / file_hash
        assert sorted(p.name for p in kept.iterdir()) == ["phan_hoi.html", "phan_hoi.txt"]
        assert case.link_to in (kept / "phan_hoi.txt").read_text("utf-8")
    assert not any(b"root:" in p.read_bytes() for p in paths.quarantine.rglob("*") if p.is_file())


def test_registry_overlap_and_tcvn3_name_are_flagged(loaded):
    paths, _, files, findings = loaded
    _, file_hash = files["registry/loi_trung_ma.csv"]
    codes = {f[1]: f[3] for f in findings if f[0] == file_hash}
    assert "Thử Nghiệm Mới" in codes["REGISTRY_CODE_OVERLAP"]
    assert "TCVN3" in codes["TEXT_LEGACY_ENCODING"]
    with reading(paths) as con:
        assert con.execute(
            "select school_name from raw.registry where school_code = '12109997'"
        ).fetchone() == ("Trường Mầm non Thái Bình",)


def test_good_reports_of_the_same_load_went_through(loaded):
    _, summary, files, _ = loaded
    good = [
        status for name, (status, _) in files.items() if name.startswith("reports/") and "/loi_" not in name
    ]
    assert len(good) == 144 and set(good) <= {"accepted", "accepted_with_warnings"}


def test_cell_findings_name_the_sheet_row_and_column(loaded):
    _, _, files, findings = loaded
    _, file_hash = files["reports/2023-2024/cuoi_nam/loi_nu_lon_hon_tong.xlsx"]
    ((sheet, row, column),) = {
        (f[5], f[6], f[7]) for f in findings if f[0] == file_hash and f[1] == "PUPILS_FEMALE_OVER_TOTAL"
    }
    assert (sheet, row, column) == ("Học sinh", 5, "D")


def test_feedback_names_each_problem_once_on_the_sheet_to_fix(loaded):
    """The assessment rule broken on every level row of a grade is one problem with a
    range of cells; the ages total that does not match points at «Độ tuổi»."""
    paths, _, files, findings = loaded
    _, file_hash = files["reports/2023-2024/cuoi_nam/loi_danh_gia_vuot_si_so.xlsx"]
    text = (paths.quarantine / file_hash / "phan_hoi.txt").read_text("utf-8")
    messages = {f[3] for f in findings if f[0] == file_hash and f[2] == "error"}
    assert f"có {len(messages)} lỗi cần sửa" in text
    assert len([f for f in findings if f[0] == file_hash and f[2] == "error"]) > len(messages)
    assert re.search(r"ô D\d+:D\d+", text)
    _, file_hash = files["reports/2023-2024/cuoi_nam/loi_do_tuoi_khong_khop.xlsx"]
    (sheet,) = {f[5] for f in findings if f[0] == file_hash and f[1] == "GENERAL_AGES_NOT_PUPILS"}
    assert sheet == "Độ tuổi"
