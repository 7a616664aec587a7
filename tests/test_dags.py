"""The Airflow DAGs: they import cleanly, follow the house rules, and run end to end."""

import os
import subprocess
import sys

import pytest

from ingest.config import PROJECT_DIR, Paths
from ingest.transform.marts_file import reading

DAGS = PROJECT_DIR / "dags"


def _dagbag(tmp_path):
    """Load dags/ in a fresh interpreter with its own AIRFLOW_HOME (as the dag-processor does)."""
    code = (
        "import json, sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={str(DAGS)!r})\n"
        "out = {'errors': {k: str(v) for k, v in bag.import_errors.items()}, 'dags': {}}\n"
        "for dag_id, dag in bag.dags.items():\n"
        "    out['dags'][dag_id] = {'tags': sorted(dag.tags), 'doc': bool(dag.doc_md),\n"
        "        'tasks': [t.task_id for t in dag.tasks],\n"
        "        'owners': sorted({t.owner for t in dag.tasks}),\n"
        "        'retries': sorted({t.retries for t in dag.tasks}),\n"
        "        'max_active_runs': dag.max_active_runs}\n"
        "print('RESULT' + json.dumps(out))\n"
    )
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT"))
    import json

    return json.loads(line[len("RESULT") :])


def test_dagbag_imports_without_errors_and_follows_house_rules(tmp_path):
    bag = _dagbag(tmp_path)
    assert bag["errors"] == {}
    assert "chitieu_load" in bag["dags"]
    for dag_id, dag in bag["dags"].items():
        assert dag["doc"], f"{dag_id} has no doc_md"
        assert "chitieu" in dag["tags"], f"{dag_id} lacks the chitieu tag"
        assert dag["owners"] == ["chitieu"], dag_id
        assert min(dag["retries"]) >= 1, f"{dag_id}: every task retries"
    load = bag["dags"]["chitieu_load"]
    assert load["tasks"] == [
        "refresh_admin_units",
        "load_reference_files",
        "plan_batches",
        "parse_and_validate",
        "load_reports",
        "marts_out_of_date",
        "build_marts",
        "publish",
    ]
    assert load["max_active_runs"] == 1


def test_dag_file_is_cheap_to_import():
    """No pandas, duckdb, GX or dbt at module level: the dag-processor parses it often."""
    code = (
        f"import sys; sys.path.insert(0, {str(DAGS)!r}); import chitieu_load; "
        "heavy = [m for m in ('pandas', 'duckdb', 'great_expectations', 'dbt', 'ingest') "
        "if m in sys.modules]; print('HEAVY', heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
    )
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr


@pytest.mark.slow
def test_dag_runs_end_to_end_on_the_sample(tmp_path):
    from ingest.ops.airflow_local import last_run_state, run_dag
    from ingest.sample.generate import generate_demo

    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    generate_demo(paths.landing)
    code = run_dag(paths, airflow_home=tmp_path / "airflow", quiet=True)
    assert code == 0
    assert last_run_state(paths, airflow_home=tmp_path / "airflow") == "success"
    with reading(paths) as con:
        statuses = dict(
            con.execute(
                "select status, count(*) from marts.fct_target_achievement_district "
                "where unit_code = '109' and school_year = '2023-2024' and period = 'cuoi_nam' "
                "and status != 'no_target' group by 1"
            ).fetchall()
        )
        files = dict(con.execute("select status, count(*) from raw.files group by 1").fetchall())
        completeness = {
            r[0]: r[1:]
            for r in con.execute(
                "select period, schools_expected, schools_missing, missing_schools, schools_late "
                "from marts.fct_completeness_district where district_code = '109'"
            ).fetchall()
        }
        trend = con.execute(
            "select school_year from marts.fct_target_achievement_province_2025 where unit_code = '68' "
            "and indicator_code = 'thcs_dropout' and period = 'cuoi_nam' and segment = 'all' "
            "order by 1"
        ).fetchall()
    assert set(statuses) <= {"met", "not_met", "no_data"}
    assert sum(statuses.values()) == 34  # every numeric target of decision 2331/QĐ-UBND
    assert files["rejected"] == 2  # the two broken files of the sample
    assert files["accepted"] + files["accepted_with_warnings"] == 388 + 10  # reports + reference files
    assert len(list(paths.quarantine.iterdir())) == 2
    # the sample's school without an end-of-year report, and its two late ones
    assert completeness["cuoi_nam"][:3] == (48, 1, "Trường PTDTBT TH&THCS Nậm Xe")
    assert completeness["dau_nam"][3] == 2
    # tỉnh Lâm Đồng within its 2025 boundaries, across the reform (Tuy Phong's reports)
    assert [y for (y,) in trend] == ["2022-2023", "2023-2024", "2024-2025", "2025-2026"]
