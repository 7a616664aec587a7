"""docker-compose.yml and the Superset assets, tested outside containers (no Docker engine here)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import yaml

from ingest.config import PROJECT_DIR

ASSETS = PROJECT_DIR / "superset" / "assets" / "chitieu_dashboard"
SECRETS = [
    "AIRFLOW_DB_PASSWORD",
    "AIRFLOW_JWT_SECRET",
    "AIRFLOW_ADMIN_PASSWORD",
    "CHITIEU_DB_PASSWORD",
    "CHITIEU_BI_PASSWORD",
    "SUPERSET_SECRET_KEY",
    "SUPERSET_ADMIN_PASSWORD",
]


@pytest.fixture(scope="module")
def compose(compose_checker):
    env = {**os.environ, **{name: secrets.token_hex(12) for name in SECRETS}}
    done = subprocess.run(
        [*compose_checker, "-f", str(PROJECT_DIR / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout), env


def test_compose_runs_airflow_3_with_celery_postgres_redis_and_superset(compose):
    config, _ = compose
    services = config["services"]
    assert {
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-worker",
        "airflow-init",
        "postgres",
        "redis",
        "warehouse-db",
        "superset",
        "superset-init",
    } <= set(services)
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:")
    assert env["CHITIEU_PG_DSN"].startswith("postgresql://chitieu:")
    assert services["airflow-apiserver"]["command"] in (["api-server"], "api-server")
    assert services["airflow-dag-processor"]["command"] in (["dag-processor"], "dag-processor")


def test_compose_refuses_to_start_without_secrets(compose_checker):
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    done = subprocess.run(
        [*compose_checker, "-f", str(PROJECT_DIR / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
    )
    assert done.returncode != 0
    assert "set" in done.stderr and ".env" in done.stderr


def test_airflow_reads_the_compose_configuration(compose, tmp_path):
    """The real Airflow, given the compose file's environment, sees the deployment's settings."""
    config, _ = compose
    env = {
        **os.environ,
        **{k: str(v) for k, v in config["services"]["airflow-scheduler"]["environment"].items()},
        "AIRFLOW_HOME": str(tmp_path),
    }
    for key, expected in (
        ("core executor", "CeleryExecutor"),
        ("celery broker_url", "redis://:@redis:6379/0"),
        ("core dags_folder", "/opt/chitieu/dags"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "airflow", "config", "get-value", *key.split()],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.stdout.strip().splitlines()[-1] == expected, done.stderr[-2000:]


def _assets() -> dict[str, list[dict]]:
    out = {}
    for kind in ("databases", "datasets", "charts", "dashboards"):
        out[kind] = [yaml.safe_load(p.read_text("utf-8")) for p in sorted((ASSETS / kind).rglob("*.yaml"))]
    return out


def test_dashboard_assets_reference_each_other():
    assets = _assets()
    database = assets["databases"][0]
    assert "XXXXXXXXXX" in database["sqlalchemy_uri"]  # no password in the repository
    datasets = {d["uuid"]: d for d in assets["datasets"]}
    charts = {c["uuid"]: c for c in assets["charts"]}
    assert all(d["database_uuid"] == database["uuid"] for d in datasets.values())
    assert all(c["dataset_uuid"] in datasets for c in charts.values())
    (dashboard,) = assets["dashboards"]
    placed = {
        v["meta"]["uuid"]
        for v in dashboard["position"].values()
        if isinstance(v, dict) and v.get("type") == "CHART"
    }
    assert placed == set(charts)
    filters = dashboard["metadata"]["native_filter_configuration"]
    assert {f["name"] for f in filters} == {"Năm học", "Kỳ báo cáo", "Cấp học", "Tỉnh"}
    assert all(t["datasetUuid"] in datasets for f in filters for t in f["targets"])
    assert dashboard["metadata"]["label_colors"]["Chưa đạt"] == "#c62828"
    for chart in charts.values():
        dataset = datasets[chart["dataset_uuid"]]
        columns = {c["column_name"] for c in dataset["columns"]}
        used = set(chart["params"].get("all_columns", [])) | set(chart["params"].get("groupby", []))
        assert used <= columns, (chart["slice_name"], used - columns)


@pytest.mark.slow
@pytest.mark.postgres
def test_dashboard_sql_runs_on_the_published_marts(demo_run, pg_database):
    from ingest.serve.publish import publish_postgres, publish_snapshot

    paths, _ = demo_run
    publish_postgres(publish_snapshot(paths), pg_database)
    with psycopg.connect(pg_database) as pg:
        for dataset in _assets()["datasets"]:
            cursor = pg.execute(dataset["sql"])
            names = [d.name for d in cursor.description]
            assert names == [c["column_name"] for c in dataset["columns"]], dataset["table_name"]
            assert cursor.fetchall(), dataset["table_name"]


def test_env_example_holds_no_values():
    for line in (PROJECT_DIR / ".env.example").read_text("utf-8").splitlines():
        if "=" in line and not line.startswith("#") and not line.startswith("AIRFLOW_UID"):
            assert line.split("=", 1)[1] == "", line
    assert Path(PROJECT_DIR / ".gitignore").read_text("utf-8").count(".env") >= 1


def test_each_chart_names_its_dataset_and_the_name_is_right():
    """Superset links a chart to its dataset by UUID only; the comment on the chart's first
    line names the dataset for a reader, and this test keeps it true."""
    import re

    assets = PROJECT_DIR / "superset" / "assets" / "chitieu_dashboard"
    by_uuid = {}
    for dataset in (assets / "datasets").rglob("*.yaml"):
        text = dataset.read_text("utf-8")
        by_uuid[re.search(r"^uuid: (\S+)", text, re.M).group(1)] = dataset.stem
    for chart in (assets / "charts").glob("*.yaml"):
        first, text = chart.read_text("utf-8").split("\n", 1)
        named = re.fullmatch(r"# dataset: (\w+) \(marts\.\w+\)", first)
        assert named, chart.name
        uuid = re.search(r"^dataset_uuid: (\S+)", text, re.M).group(1)
        assert by_uuid[uuid] == named.group(1), chart.name
        assert not re.match(r"c\d+_", chart.name), "a chart file is named after what it shows"
