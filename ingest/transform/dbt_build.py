"""Run the dbt project (staging -> intermediate -> marts) on the warehouse file.

dbt runs in a process of its own (dbt_ahead.py), with the warehouse path in
CHITIEU_WAREHOUSE (read by dbt_project/profiles.yml) and its target/ and logs/ under the
data root. Not in the run's process: a command's output, flags and adapter state stay
apart from the run's, and a dbt that crashes or hangs takes only its own process down.
That process stays up between the runs of one Python process, so dbt is imported once.

dbt parses the whole project before any command (≈ 3 s of the ≈ 7 s it takes to start)
unless its partial-parse file matches the project and the profile. Each command runs in
the warehouse's folder with the file named relatively, so every warehouse of the same name
has the same profile, and a new warehouse (a rebuild, a test) starts from the last
partial-parse file any warehouse wrote (`PARSE_CACHE`). dbt checks the file itself and
parses afresh when anything differs, so the cache can only save time.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from ingest.config import PROJECT_DIR, Paths
from ingest.transform import dbt_process

DBT_DIR = PROJECT_DIR / "dbt_project"
PARSE_CACHE = PROJECT_DIR / ".dbt_parse_cache"  # <warehouse name>.msgpack


@dataclass
class DbtResult:
    success: bool
    models: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    output: str = ""
    failed_nodes: list[dict] = field(default_factory=list)  # run_results entries that failed


class MartsBuildFailed(RuntimeError):
    """dbt build failed: the message says, in Vietnamese, which rule failed on which rows.
    Readers keep the version published before; the next run builds again."""


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_args(paths: Paths, command: str, *extra: str) -> list[str]:
    """`command` may be several words ("docs generate"); options follow it. A plain build
    leaves the unit tests out: they test the SQL, not the data, and run in the test suite
    (tests/test_dbt_unit_tests.py)."""
    if command == "build" and not any(x.startswith("--select") or x == "-s" for x in extra):
        extra = ("--exclude-resource-type", "unit_test", *extra)
    return [
        dbt_executable(),
        *command.split(),
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
        "--target-path",
        str((paths.root / "dbt" / "target").absolute()),
        "--log-path",
        str((paths.root / "dbt" / "logs").absolute()),
        *extra,
    ]


# the sources the report loads write (dbt_project/models/staging/reports/_reports__sources.yml);
# dbt_project/selectors.yml names the same (tests/test_partitions.py)
REPORT_SOURCES = ("files", "deliveries", "changed_partitions", "build_scope", "report_cells", "findings")


def downstream_of_reports() -> tuple[str, ...]:
    """The build's arguments for every node that reads what a report load writes (and
    their tests), for a build after which nothing else changed: the selector
    `after_reports` of dbt_project/selectors.yml, which says what it leaves out and why."""
    return ("--selector", "after_reports", "--exclude-resource-type", "unit_test")


def dbt_env(paths: Paths) -> dict[str, str]:
    return {
        **os.environ,
        "CHITIEU_WAREHOUSE": paths.warehouse.name,  # relative to the cwd: see the module's docstring
        "CHITIEU_MARTS": str(paths.marts.relative_to(paths.warehouse.parent)),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def _key(paths: Paths) -> tuple:
    return (str(paths.warehouse.absolute()), str(DBT_DIR))


def _where(paths: Paths) -> tuple[str, dict[str, str]]:
    """The folder and environment dbt runs in for this warehouse."""
    return str(paths.warehouse.absolute().parent), dbt_env(paths)


def start_dbt_process() -> None:
    """A dbt process importing dbt now, for a build that may come (dbt_process.start)."""
    dbt_process.start()


def start_dbt_ahead(paths: Paths) -> None:
    """Have dbt parse this warehouse's project now (dbt_process.py): the parse overlaps the
    parsing of the files the build will read."""
    prepare_parse(paths)
    dbt_process.parse_ahead(_key(paths), *_where(paths), dbt_args(paths, "parse")[1:])


def stop_dbt_ahead() -> None:
    dbt_process.stop_ahead()


def run_dbt(paths: Paths, command: str = "build", *extra: str) -> DbtResult:
    paths.marts.parent.mkdir(parents=True, exist_ok=True)
    prepare_parse(paths)
    args = dbt_args(paths, command, *extra)
    done = dbt_process.run_command(_key(paths), *_where(paths), args[1:])
    results = paths.root / "dbt" / "target" / "run_results.json"
    command = command.split()[0]
    models, failures, failed_nodes = [], [], []
    if results.exists() and command in ("build", "run", "test", "seed"):
        for node in json.loads(results.read_text("utf-8"))["results"]:
            unique_id = node["unique_id"]
            if unique_id.startswith("model.") and node["status"] == "success":
                models.append(_relation(paths, unique_id))
            if node["status"] in ("error", "fail", "runtime error"):
                failures.append(f"{unique_id}: {node.get('message')}")
                failed_nodes.append(node)
    _parsed_by(paths).write_text(str(DBT_DIR.resolve()), "utf-8")
    _keep_parse(paths)
    if done.returncode != 0 and not failures:
        failures.append(done.stdout[-3000:] + done.stderr[-3000:])
    return DbtResult(done.returncode == 0, models, failures, done.stdout, failed_nodes)


def prepare_parse(paths: Paths) -> None:
    """Before a dbt command on this warehouse: the partial-parse file it may reuse (its own
    if this project wrote it, else the shared cache's)."""
    _forget_another_projects_parse(paths)
    _reuse_parse(paths)


def _parse_file(paths: Paths) -> Path:
    return paths.root / "dbt" / "target" / "partial_parse.msgpack"


def _parsed_by(paths: Paths) -> Path:
    """Which dbt project folder wrote the warehouse's partial-parse file."""
    return paths.root / "dbt" / "target" / "parsed_by.txt"


def _forget_another_projects_parse(paths: Paths) -> None:
    """A partial parse written from another copy of the project (a test's altered project)
    is not reused: dbt does not always notice what differs (found: an altered unit-test
    expectation came back in the next run on the real project, then went into the shared
    cache, and the next test session failed)."""
    marker = _parsed_by(paths)
    if marker.exists() and marker.read_text("utf-8") != str(DBT_DIR.resolve()):
        _parse_file(paths).unlink(missing_ok=True)
        marker.unlink()


def _cached_parse(paths: Paths) -> Path | None:
    """The shared partial-parse file of warehouses of this name — only for the project's own
    dbt folder: a parse of another copy (a test's altered project) would be reused for the
    real one (found: an altered unit-test expectation came back in the next run)."""
    if DBT_DIR.resolve() != (PROJECT_DIR / "dbt_project").resolve():
        return None
    return PARSE_CACHE / f"{paths.warehouse.name}.msgpack"


def _reuse_parse(paths: Paths) -> None:
    cached, mine = _cached_parse(paths), _parse_file(paths)
    if cached is not None and not mine.exists() and cached.exists():
        mine.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, mine)


def _keep_parse(paths: Paths) -> None:
    mine, cached = _parse_file(paths), _cached_parse(paths)
    if cached is not None and mine.exists():
        with suppress(OSError):  # a cache: a read-only project folder only costs time
            PARSE_CACHE.mkdir(exist_ok=True)
            tmp = PARSE_CACHE / f".{paths.warehouse.name}.{os.getpid()}.tmp"
            shutil.copyfile(mine, tmp)
            os.replace(tmp, cached)


SAMPLE_ROWS = 5


def explain_failure(paths: Paths, result: DbtResult) -> str:
    """A failed build in words a data engineer can act on: each failed rule, how many rows
    break it and the first of them (re-read from the warehouse with the test's own SQL)."""
    import duckdb

    lines = [
        "Dựng bảng chỉ tiêu (dbt build) không thành công; người dùng vẫn thấy phiên bản "
        "đã công bố trước đó, lần chạy sau sẽ dựng lại toàn bộ."
    ]
    for node in result.failed_nodes:
        parts = node["unique_id"].split(".")  # test.<project>.<name>.<hash> / model.<project>.<name>
        kind, name = parts[0], parts[2]
        if kind == "test":
            lines.append(f"- Quy tắc «{name}» không đạt: {node.get('failures') or '?'} dòng vi phạm.")
            sql = node.get("compiled_code")
            if sql:
                try:
                    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
                        cursor = con.execute(f"select * from ({sql}) as failing limit {SAMPLE_ROWS}")
                        columns = [d[0] for d in cursor.description]
                        for row in cursor.fetchall():
                            lines.append(
                                "    " + ", ".join(f"{c}={v}" for c, v in zip(columns, row, strict=True))
                            )
                except Exception as exc:  # noqa: BLE001 - the explanation must not fail the report
                    lines.append(f"    (không đọc lại được các dòng: {type(exc).__name__})")
        else:
            message = (node.get("message") or "").strip().splitlines()
            lines.append(f"- Mô hình «{name}» lỗi: {message[0][:300] if message else '?'}")
    if not result.failed_nodes:
        lines.append((result.failures or ["(không rõ lỗi)"])[0][-2000:])
    lines.append(
        "Cách xử lý: xem các dòng trên; nếu do một tệp nộp sai, sửa hoặc gỡ tệp đó khỏi "
        "thư mục landing rồi chạy lại `chitieu run`; nếu không, báo nhóm kỹ thuật kèm "
        f"nhật ký {paths.root / 'dbt' / 'logs' / 'dbt.log'}."
    )
    return "\n".join(lines)


def _relation(paths: Paths, unique_id: str) -> str:
    """'marts.fct_target_achievement_district' for a model's unique id (from the manifest)."""
    manifest = paths.root / "dbt" / "target" / "manifest.json"
    nodes = _manifest_nodes(manifest)
    node = nodes.get(unique_id, {})
    return f"{node.get('schema', '?')}.{node.get('name', unique_id.split('.')[-1])}"


_MANIFEST_CACHE: dict[tuple[str, float], dict] = {}


def _manifest_nodes(manifest: Path) -> dict:
    key = (str(manifest), manifest.stat().st_mtime if manifest.exists() else 0.0)
    if key not in _MANIFEST_CACHE:
        _MANIFEST_CACHE.clear()
        _MANIFEST_CACHE[key] = json.loads(manifest.read_text("utf-8"))["nodes"] if manifest.exists() else {}
    return _MANIFEST_CACHE[key]
