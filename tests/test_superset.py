"""The dashboard in a real Superset, as the deployment starts it.

Superset of the docker-compose image's version (superset/requirements.txt) is installed in
its own virtual environment (`.superset-venv/`, reused while the requirements are the same;
its pins clash with Airflow's). superset/init.sh runs on a fresh metadata database exactly
as the compose file's `superset-init` runs it, with the connection string of the BI login
over the demo's published marts; then every chart's data is fetched through Superset's API.

Needs PostgreSQL and `uv` (which `make` installs); the first run downloads Superset from
the package index (about a minute).
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from ingest.config import PROJECT_DIR
from ingest.transform.marts_file import reading

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SUPERSET = PROJECT_DIR / "superset"
VENV = PROJECT_DIR / ".superset-venv"
ADMIN_PASSWORD = secrets.token_urlsafe(16)  # made up at run time, never written down


def superset_venv() -> Path:
    requirements = SUPERSET / "requirements.txt"
    wanted = hashlib.sha256(requirements.read_bytes()).hexdigest()
    marker = VENV / ".requirements.sha256"
    if marker.exists() and marker.read_text() == wanted:
        return VENV / "bin"
    uv = shutil.which("uv")
    if uv is None:
        if os.environ.get("CI"):
            pytest.fail("uv is required in CI to install Superset (make installs it)")
        pytest.skip("uv is not installed (pip install uv)")
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([uv, "venv", "-q", "-p", "3.11", str(VENV)], check=True)
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "-q",
            "--compile-bytecode",
            "--python",
            str(VENV / "bin" / "python"),
            "-r",
            str(requirements),
        ],
        check=True,
        timeout=900,
    )
    marker.write_text(wanted)
    return VENV / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base: str, method: str, path: str, body=None, token: str | None = None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Bearer {token}"} if token else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def bi_login(pg_database, demo_run):
    """The demo's marts published to PostgreSQL, and a login of the read-only BI role."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    from ingest.serve.publish import BI_ROLE, publish_postgres, publish_snapshot

    paths, _ = demo_run
    publish_postgres(publish_snapshot(paths), pg_database)
    user = f"superset_reader_{secrets.token_hex(4)}"  # roles are the server's: one per fixture
    password = secrets.token_urlsafe(16)  # made up at run time, never written down
    with psycopg.connect(pg_database, autocommit=True) as pg:
        pg.execute(f"create role {user} login password '{password}' in role {BI_ROLE}")
    dsn = conninfo_to_dict(pg_database)
    uri = f"postgresql+psycopg2://{user}:{password}@127.0.0.1:{dsn.get('port', 5432)}/{dsn['dbname']}"
    yield uri
    with psycopg.connect(pg_database, autocommit=True) as pg:
        pg.execute(f"drop owned by {user}")
        pg.execute(f"drop role {user}")


@pytest.fixture(scope="module")
def superset(tmp_path_factory, bi_login):
    """A fresh Superset set up by superset/init.sh, serving on a free port: (url, token, log)."""
    bin_dir = superset_venv()
    home = tmp_path_factory.mktemp("superset")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FLASK_APP": "superset",
        "SUPERSET_HOME": str(home),
        "SUPERSET_CONFIG_PATH": str(SUPERSET / "superset_config.py"),
        "SUPERSET_SECRET_KEY": secrets.token_hex(32),
        "SUPERSET_DB_URI": f"sqlite:///{home / 'superset.db'}",
        "SUPERSET_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "CHITIEU_DASHBOARD_URI": bi_login,
    }
    init = subprocess.run(
        ["bash", str(SUPERSET / "init.sh")], env=env, cwd=home, capture_output=True, text=True, timeout=900
    )
    assert init.returncode == 0, init.stdout[-3000:] + init.stderr[-3000:]
    port = free_port()
    log = open(home / "server.log", "w")
    server = subprocess.Popen(
        [str(bin_dir / "superset"), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
        env=env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, (home / "server.log").read_text()[
                -3000:
            ]
            time.sleep(1)
        status, login = api(
            base,
            "POST",
            "/api/v1/security/login",
            {"username": "admin", "password": ADMIN_PASSWORD, "provider": "db", "refresh": True},
        )
        assert status == 200, login
        yield base, login["access_token"], init.stdout + init.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_init_imports_the_dashboard_with_the_bi_login(superset):
    base, token, _ = superset
    status, databases = api(base, "GET", "/api/v1/database/", token=token)
    assert status == 200
    (database,) = [d for d in databases["result"] if d["database_name"] == "chitieu_warehouse"]
    status, detail = api(base, "GET", f"/api/v1/database/{database['id']}/connection", token=token)
    assert status == 200, detail
    assert detail["result"]["sqlalchemy_uri"].startswith("postgresql+psycopg2://superset_reader_")
    status, dashboards = api(base, "GET", "/api/v1/dashboard/", token=token)
    assert [d["dashboard_title"] for d in dashboards["result"]] == ["Chỉ tiêu giáo dục — mục tiêu và kết quả"]


def test_every_chart_returns_rows_through_the_api(superset):
    base, token, _ = superset
    charts = {
        yaml.safe_load(p.read_text("utf-8"))["slice_name"]
        for p in (SUPERSET / "assets" / "chitieu_dashboard" / "charts").glob("*.yaml")
    }
    status, listed = api(base, "GET", "/api/v1/chart/?q=(page_size:100)", token=token)
    assert status == 200
    assert {c["slice_name"] for c in listed["result"]} == charts
    for chart in listed["result"]:
        status, data = api(base, "GET", f"/api/v1/chart/{chart['id']}/data/", token=token)
        assert status == 200, (chart["slice_name"], data)
        (result,) = data["result"]
        assert result["error"] is None and result["rowcount"] > 0, chart["slice_name"]
        if chart["slice_name"].startswith("Kết quả theo"):  # the results tables show the gap in people
            assert "gap_count" in result["colnames"], chart["slice_name"]
            assert all(isinstance(row["gap_count"], (int, float, type(None))) for row in result["data"])


def test_the_dashboard_opens_on_the_latest_school_year_and_period(superset):
    base, token, _ = superset
    status, dashboards = api(base, "GET", "/api/v1/dashboard/", token=token)
    (dashboard,) = dashboards["result"]
    status, detail = api(base, "GET", f"/api/v1/dashboard/{dashboard['id']}", token=token)
    filters = json.loads(detail["result"]["json_metadata"])["native_filter_configuration"]
    (year,) = [f for f in filters if f["name"] == "Năm học"]
    assert year["controlValues"]["defaultToFirstItem"] is True
    assert year["controlValues"]["sortAscending"] is False  # the first item is the latest year
    # requiredFirst: without it Superset 4.1 shows the first item but never applies it
    assert year["requiredFirst"] is True
    # only years with targets are offered: a year of reports without targets has nothing to show
    assert [(f["subject"], f["operator"], f["comparator"]) for f in year["adhoc_filters"]] == [
        ("status", "NOT IN", ["no_target"])
    ]
    # the periods of the chosen year, latest first (by the dataset's MAX(period_order))
    (period,) = [f for f in filters if f["name"] == "Kỳ báo cáo"]
    assert period["cascadeParentIds"] == [year["id"]] and period["sortMetric"] == "latest_period"
    assert period["controlValues"]["defaultToFirstItem"] is True
    assert period["controlValues"]["sortAscending"] is False
    assert period["requiredFirst"] is True and period["adhoc_filters"] == year["adhoc_filters"]


def test_the_dashboard_renders_in_a_browser_with_the_map(superset, demo_run, tmp_path):
    """Logged in through Superset's own form, the dashboard in headless Chromium: every chart
    renders without an error, asks for the latest school year and period that have targets
    (whatever its dataset: a native filter reaches the charts of other datasets only once
    applied, which a filter defaulting to its first item does only with requiredFirst), and
    the map draws communes in the report's bucket colours."""
    from PIL import Image

    from ingest.serve.report_map import BUCKETS

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("CI"):
            pytest.fail("CI needs chromium and chromedriver (apt-get install chromium chromium-driver)")
        pytest.skip("chromium or chromedriver missing (apt-get install chromium chromium-driver)")
    base, _, _ = superset
    shot, drawn = tmp_path / "dashboard.png", tmp_path / "map.png"
    script = PROJECT_DIR / "tests" / "superset_screenshot.py"
    run = subprocess.run(
        [str(VENV / "bin" / "python"), str(script), base, "admin", ADMIN_PASSWORD, str(shot), str(drawn)],
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert Image.open(shot).size[0] >= 1400
    paths, _ = demo_run
    with reading(paths) as db:
        year, period = db.sql(
            "select school_year, period_label from marts.fct_target_achievement_district"
            " where status <> 'no_target' order by school_year desc, period_order desc limit 1"
        ).fetchone()
    printed = json.loads(run.stdout.strip().splitlines()[-1])
    charts = list((SUPERSET / "assets" / "chitieu_dashboard" / "charts").glob("*.yaml"))
    assert len(printed["chart_filters"]) == len(charts), printed["chart_filters"]
    for slice_id, filters in printed["chart_filters"].items():
        applied = {f["col"]: f["val"] for f in filters}
        assert applied.get("school_year") == [year], (slice_id, filters)
        assert applied.get("period_label") == [period], (slice_id, filters)
    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for _, c, _ in BUCKETS]
    image = Image.open(drawn).convert("RGB")
    legend = printed["legend"]
    image.paste((255, 255, 255), tuple(int(v) for v in legend))  # the legend's keys are not dots
    pixels = list(image.getdata())

    def near(px, colour):
        return all(abs(a - b) <= 30 for a, b in zip(px, colour, strict=True))

    dots = [px for px in pixels if any(near(px, c) for c in colours)]
    assert len(dots) >= 20, "the map's layer draws no commune in a bucket colour"


def test_the_compose_image_is_the_tested_version():
    compose = (PROJECT_DIR / "docker-compose.yml").read_text("utf-8")
    images = set(re.findall(r"apache/superset:([\d.]+)", compose))
    pinned = re.search(r"^apache-superset==([\d.]+)$", (SUPERSET / "requirements.txt").read_text(), re.M)
    assert images == {pinned.group(1)}


def test_the_repository_bundle_holds_no_password():
    from importlib import util

    spec = util.spec_from_file_location("bundle", SUPERSET / "bundle.py")
    bundle = util.module_from_spec(spec)
    spec.loader.exec_module(bundle)
    with pytest.raises(SystemExit):
        bundle.build(Path("/dev/null"), "postgresql+psycopg2://u:XXXXXXXXXX@h/db")
