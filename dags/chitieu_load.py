"""
### chitieu_load — nạp báo cáo của trường, kiểm tra và dựng các bảng chỉ tiêu

Every hour (or on demand) this DAG takes what arrived in the landing folder
(`CHITIEU_LANDING`: `reports/`, `census/`, `targets/`, `registry/`) into the warehouse
(`CHITIEU_WAREHOUSE`, DuckDB):

0. **refresh_admin_units** — administrative units (legacy and 2025) and the crosswalk,
   from the installed `vietnamadminunits` package (reloaded when its version changes);
1. **load_reference_files** — school registry, commune census, target assignments;
2. **plan_batches** — new workbooks (by content hash), in batches of 5,000;
3. **parse_and_validate** — one mapped task per batch (spread over the Celery workers):
   typed cells with lineage and the Great Expectations suites of `expectations/`, Parquet;
4. **load_reports** — rules across reports, then ledger, cells and findings of every
   batch in one transaction; refused files are quarantined with feedback in Vietnamese;
5. **marts_out_of_date** — short-circuit: when nothing new arrived and nothing the marts
   depend on changed (`ingest/transform/freshness.py`), the next two tasks are skipped;
6. **build_marts** — `dbt build`: staging → intermediate → marts
   (`marts.fct_target_achievement_{school,commune,district,province}`, …);
7. **publish** — the serving DuckDB snapshot (atomic swap), Parquet by school year and
   period, and PostgreSQL schema `marts` when `CHITIEU_PG_DSN` is set (rows replaced in one
   transaction, read-only role) — only the periods rebuilt since the last publish.

A file already loaded is skipped at every step, so a retry or a second run is a no-op.
Every task calls a function of `ingest.pipeline`, the same ones `chitieu run` calls.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

MARTS = Asset("chitieu://warehouse/marts")
SERVING = Asset("chitieu://serving/marts")


def _paths():
    from ingest.config import Paths

    return Paths.from_env()


def _locked(purpose: str):
    """The warehouse's run lock for a task that writes it: a `chitieu run` on the command
    line makes the task wait (up to 30 minutes) rather than fail half-way."""
    from ingest.ops.runlock import run_lock

    return run_lock(_paths(), f"airflow {purpose}", wait_s=1800)


@dag(
    dag_id="chitieu_load",
    schedule="0 * * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Ho_Chi_Minh"),
    catchup=False,
    max_active_runs=1,
    tags=["chitieu", "ingest"],
    doc_md=__doc__,
    default_args={"owner": "chitieu", "retries": 2, "retry_delay": timedelta(minutes=2)},
)
def chitieu_load():
    @task
    def refresh_admin_units() -> bool:
        from ingest import pipeline

        with _locked("refresh_admin_units"):
            reloaded = pipeline.refresh_admin_units(_paths())
        print(
            "Đã nạp lại danh mục đơn vị hành chính."
            if reloaded
            else "Danh mục đơn vị hành chính đã cập nhật."
        )
        return reloaded

    @task
    def load_reference_files() -> dict:
        from ingest import pipeline

        with _locked("load_reference_files"):
            summary = pipeline.load_reference_files(_paths())
        print(
            f"Tệp danh mục/điều tra/chỉ tiêu: mới {len(summary.loaded)}, "
            f"đã có {summary.already_loaded}, bị từ chối {summary.count('rejected')}"
        )
        return {"loaded": len(summary.loaded), "rejected": summary.count("rejected")}

    @task
    def plan_batches() -> list[dict]:
        from ingest import pipeline

        with _locked("plan_batches"):
            plan = pipeline.write_plan(_paths())
        print(f"Báo cáo mới: {sum(i['files'] for i in plan)} tệp trong {len(plan)} lô.")
        return plan

    @task
    def parse_and_validate(item: dict) -> str:
        import json
        from pathlib import Path

        from ingest import pipeline

        paths = _paths()
        registry = json.loads(Path(item["registry"]).read_text("utf-8"))
        batch = pipeline.parse_batch(paths, pipeline.arrivals_of(paths, item), registry, item["name"])
        print(f"Lô {item['batch']}: {item['files']} tệp đã đọc và kiểm tra → {batch.name}")
        return str(batch)

    @task
    def load_reports(batches: list[str]) -> dict:
        from pathlib import Path

        from ingest import pipeline

        with _locked("load_reports"):
            summary = pipeline.load_batches(_paths(), [Path(b) for b in batches])
        counts = {s: summary.count(s) for s in ("accepted", "accepted_with_warnings", "rejected")}
        print(
            f"Báo cáo: tiếp nhận {counts['accepted']}, có cảnh báo "
            f"{counts['accepted_with_warnings']}, bị từ chối {counts['rejected']}"
        )
        return counts

    @task.short_circuit
    def marts_out_of_date() -> bool:
        """Nothing new and nothing changed: build_marts and publish are skipped, not failed."""
        from ingest import pipeline

        stale = pipeline.marts_out_of_date(_paths())
        print(
            "Có thay đổi: dựng lại và công bố."
            if stale
            else "Không có dữ liệu mới: bỏ qua dựng bảng và công bố (phiên bản đã công bố giữ nguyên)."
        )
        return stale

    @task(outlets=[MARTS])
    def build_marts() -> list[str]:
        from ingest import pipeline

        with _locked("build_marts"):
            return pipeline.build_marts(_paths()).models

    @task(outlets=[SERVING])
    def publish() -> dict:
        from ingest import pipeline

        with _locked("publish"):
            published = pipeline.publish(_paths())
        print(
            f"Đã công bố phiên bản {published.version}: {len(published.tables)} bảng, "
            f"PostgreSQL: {'có' if published.postgres else 'không cấu hình'}"
        )
        return {"version": published.version, "tables": published.tables, "postgres": published.postgres}

    units = refresh_admin_units()
    reference = load_reference_files()
    units >> reference
    plan = plan_batches()
    reference >> plan
    batches = parse_and_validate.expand(item=plan)
    load_reports(batches) >> marts_out_of_date() >> build_marts() >> publish()


chitieu_load()
