"""Run the real Airflow DAG on this machine with an embedded default.

SQLite metadata in a project-local AIRFLOW_HOME (.airflow/), the DAGs of dags/, no
example DAGs; `airflow dags test` runs one DagRun of chitieu_load in-process, tasks and
all, against the landing folder and warehouse of `paths`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest.config import PROJECT_DIR, Paths

DAG_ID = "chitieu_load"


def airflow_env(paths: Paths, airflow_home: Path | None = None) -> dict[str, str]:
    home = airflow_home or PROJECT_DIR / ".airflow"
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_DIR / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            "CHITIEU_LANDING": str(paths.landing),
            "CHITIEU_WAREHOUSE": str(paths.warehouse),
            "GX_ANALYTICS_ENABLED": "false",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")])),
        }
    )
    return env


def run_dag(paths: Paths, airflow_home: Path | None = None, quiet: bool = False) -> int:
    """`airflow db migrate` then `airflow dags test chitieu_load`; the DagRun's exit code."""
    env = airflow_env(paths, airflow_home)
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    airflow = [sys.executable, "-m", "airflow"]
    out = subprocess.DEVNULL if quiet else None
    migrated = subprocess.run(
        [*airflow, "db", "migrate"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if migrated.returncode != 0:
        sys.stderr.write(migrated.stderr[-4000:])
        return migrated.returncode
    run = subprocess.run([*airflow, "dags", "test", DAG_ID], env=env, stdout=out, stderr=out)
    return run.returncode


def last_run_state(paths: Paths, airflow_home: Path | None = None) -> str | None:
    """State of the latest chitieu_load DagRun in the local metadata database."""
    import json

    env = airflow_env(paths, airflow_home)
    listed = subprocess.run(
        [sys.executable, "-m", "airflow", "dags", "list-runs", DAG_ID, "-o", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    runs = []
    for line in reversed(listed.stdout.splitlines()):
        if line.startswith("[") and line.rstrip().endswith("]"):
            try:
                runs = json.loads(line)
                break
            except ValueError:
                continue
    runs.sort(key=lambda r: r.get("start_date") or "", reverse=True)
    return runs[0]["state"] if runs else None
