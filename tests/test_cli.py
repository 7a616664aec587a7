"""`chitieu run` prints what happened and exits 0 when the load completed."""

import re
import subprocess
import sys

import pytest

from ingest.sample.generate import generate_phong_tho


@pytest.mark.slow
def test_run_on_the_sample_reports_rejections_in_vietnamese(tmp_path):
    landing = tmp_path / "landing"
    generate_phong_tho(landing)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "run",
            "--landing",
            str(landing),
            "--warehouse",
            str(tmp_path / "wh" / "chitieu.duckdb"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Bị từ chối:           2" in out
    assert re.search(r"Lớp 1: số học sinh nữ \(\d+\) lớn hơn tổng số \(\d+\)", out)
    assert "fct_target_achievement_district" in out


def test_pipeline_failure_exits_non_zero(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "run",
            "--landing",
            str(tmp_path),
            "--warehouse",
            str(blocker / "chitieu.duckdb"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "LỖI" in done.stderr
