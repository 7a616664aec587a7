import os
import sys
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# GX Data Docs (HTML for engineers) are built once, by their own test, not after every batch
os.environ.setdefault("CHITIEU_GX_DATA_DOCS", "0")
# the suite makes about a hundred dbt builds; dbt's debug-level file log (every statement)
# costs ≈ 10 % of each (measured on the demo district), and no test reads dbt.log (they
# read run_results.json). Runs outside the suite keep the debug log.
os.environ.setdefault("DBT_LOG_LEVEL_FILE", "info")
sys.path.insert(0, str(Path(__file__).parent))

import uuid  # noqa: E402

import pytest  # noqa: E402

ADMIN_DSN = os.environ.get("CHITIEU_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _with_database(dsn: str, database: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return make_conninfo(**{**conninfo_to_dict(dsn), "dbname": database})


@pytest.fixture(scope="module")
def pg_database():
    """A fresh PostgreSQL database for the module (dropped after), or a skip when there is no
    server — except in CI, where a missing server is a failure."""
    import psycopg

    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI ({ADMIN_DSN}): {exc}")
        pytest.skip(f"no PostgreSQL server at {ADMIN_DSN} (set CHITIEU_TEST_PG_DSN)")
    name = f"chitieu_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'create database "{name}"')
    try:
        yield _with_database(ADMIN_DSN, name)
    finally:
        admin.execute(f'drop database "{name}" with (force)')
        admin.close()


def _required_tool(name: str, *candidates: str) -> str:
    import shutil

    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI (.ci/run installs it with apt-get)")
    pytest.skip(f"{name} is not installed (apt-get install {candidates[0]})")


@pytest.fixture(scope="session")
def chromium():
    return _required_tool("Chromium", "chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="session")
def soffice():
    """LibreOffice, to save workbooks as real offices do (.xls, .ods)."""
    return _required_tool("LibreOffice", "soffice", "libreoffice")


@pytest.fixture(scope="session")
def compose_checker():
    """`docker compose` (plugin) or Debian's docker-compose 1.29: either checks a compose file."""
    import subprocess

    try:
        if subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
            return ["docker", "compose"]
    except FileNotFoundError:
        pass
    return [_required_tool("docker-compose", "docker-compose")]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """The demo's landing folder loaded and published (snapshot and Parquet), once per session."""
    from ingest import pipeline
    from ingest.config import Paths
    from ingest.sample.generate import generate_demo

    root = tmp_path_factory.mktemp("demo")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    generate_demo(paths.landing)
    summary = pipeline.run(paths)
    return paths, summary


# The modules that take minutes go first, so that two workers (make test: -n 2, one module
# per worker at a time) finish together instead of one waiting on a long module at the end.
# xdist would otherwise order modules by their number of tests (the Makefile turns that off
# with --no-loadscope-reorder): the one-test modules that take minutes came last, alone.
# Ordered by the durations measured on 2026-12-02 (pytest --durations).
LONG_FIRST = (
    "test_reliability.py",
    "test_reliability_crashes.py",
    "test_no_drift.py",
    "test_office_formats.py",
    "test_superset.py",
    "test_arrival_properties.py",
    "test_incremental_publish.py",
    "test_pooled_rates.py",
    "test_dags.py",
    "test_privacy_and_safety.py",
    "test_publish.py",
    "test_arrival_order.py",
    "test_targets.py",
    "test_resubmission.py",
    "test_broken_files.py",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FIRST)))
