"""Run the dbt project (staging -> intermediate -> marts) on the warehouse file.

dbt runs in-process through dbtRunner, with the warehouse path in CHITIEU_WAREHOUSE (read
by dbt_project/profiles.yml) and its target/ and logs/ under the data root, so two
warehouses never share dbt's working files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ingest.config import PROJECT_DIR, Paths

DBT_DIR = PROJECT_DIR / "dbt_project"


@dataclass
class DbtResult:
    success: bool
    models: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def dbt_args(paths: Paths, command: str, *extra: str) -> list[str]:
    return [command, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
            "--target-path", str(paths.root / "dbt" / "target"),
            "--log-path", str(paths.root / "dbt" / "logs"), *extra]


def run_dbt(paths: Paths, command: str = "build", *extra: str) -> DbtResult:
    from dbt.cli.main import dbtRunner

    os.environ["CHITIEU_WAREHOUSE"] = str(paths.warehouse)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    result = dbtRunner().invoke(dbt_args(paths, command, "--quiet", *extra))
    if result.exception is not None:
        return DbtResult(False, failures=[f"dbt {command}: {result.exception}"])
    models, failures = [], []
    for node in getattr(result.result, "results", None) or []:
        status = str(node.status)
        if node.node.resource_type == "model" and status == "success":
            models.append(f"{node.node.schema}.{node.node.name}")
        if status in ("error", "fail", "runtime error"):
            failures.append(f"{node.node.name}: {node.message}")
    return DbtResult(bool(result.success) and not failures, models, failures)
