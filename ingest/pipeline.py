"""The load, step by step: what `chitieu run` and the Airflow DAG both call.

    load_reference_files  registry, census, targets -> raw.*            (per file)
    plan_batches          new workbooks (by content hash), in batches
    parse_batch           parse + GX suites per sheet kind -> raw/ and validated/ Parquet
                          (worker processes / mapped Airflow tasks; no database)
    check_history         rules across reports (enrolment jumps), all new batches at once
    load_reports          ledger + cells + findings -> raw.*, every batch in one transaction;
                          refused files -> quarantine/ with Vietnamese feedback
    ingest_reports        the four above, parallel, with progress
    build_marts           dbt build: staging -> intermediate -> marts
    publish               serving snapshot, Parquet, PostgreSQL (publish.py)

Both last steps are skipped when nothing the marts depend on changed (freshness.py): an
hourly run with nothing new costs the hashing of what is in the landing folder.

A file is known by its content hash: one already in the ledger is skipped at every step,
so running the load twice, or retrying any step, changes nothing.
"""

from __future__ import annotations

import os
import shutil
from contextlib import suppress
from functools import partial

from ingest.config import Paths
from ingest.landing.new_arrivals import landed, read_ledger
from ingest.load import warehouse
from ingest.load.admin_units import load_admin_units
from ingest.load.batches import arrivals_of, parse_batch, write_plan
from ingest.load.pool import worker_pool
from ingest.load.reference_files import load_reference_files
from ingest.load.reports import ingest_reports, load_batches
from ingest.summary import RunSummary
from ingest.transform import dbt_build, freshness, partitions

__all__ = [  # the tasks of the DAG, in its order
    "refresh_admin_units",
    "load_reference_files",
    "write_plan",
    "arrivals_of",
    "parse_batch",
    "load_batches",
    "marts_out_of_date",
    "build_marts",
    "publish",
    "run",
    "rebuild",
    "ingest_reports",
]


def refresh_admin_units(paths: Paths, force: bool = False) -> bool:
    """Administrative units and the 2025 crosswalk from vietnamadminunits -> raw.*;
    reloaded only when the package version changed (or `force`). True when (re)loaded."""
    paths.make_dirs()
    with warehouse.connect(paths.warehouse) as con:
        return load_admin_units(con, force=force)


def marts_out_of_date(paths: Paths, dsn: str | None = None) -> bool:
    """Whether anything the marts depend on changed since they were last built and
    published (freshness.py): False after a run that brought nothing new."""
    from ingest.serve.publish import SNAPSHOT, pg_dsn

    current = freshness.fingerprint(paths)
    target = freshness.publish_target(paths, dsn or pg_dsn())
    return not (
        freshness.built_from(paths) == current
        and not freshness.build_unfinished(paths)
        and freshness.published_from(paths, target) == current
        and (paths.serving / SNAPSHOT).exists()
    )


def build_marts(paths: Paths, force: bool = False) -> RunSummary:
    """dbt build — skipped when the marts were built from exactly the current inputs;
    only the school years and periods that changed when nothing else did (partitions.py)."""
    force = force or not paths.marts.exists()  # the marts' file lost: every mart again
    with warehouse.held_open(paths.warehouse):  # until dbt opens it
        current = freshness.fingerprint(paths)
        # a build that failed may have rebuilt some partitions before it stopped: they are
        # redone, even when its cause is gone and the inputs are as the last success left them
        unfinished = freshness.unfinished_partitions(paths)
        if not force and freshness.built_from(paths) == current and unfinished == []:
            return RunSummary(rebuilt=False)
        inputs = partitions.current_state(paths)
        previous = freshness.built_partitions(paths)
        changed = None if force else partitions.plan_build(previous, inputs)
        changed = None if changed is None or unfinished is None else sorted({*changed, *unfinished})
        if changed is not None:
            partitions.write_changed(paths, changed, partitions.first_new_load_seq(previous))
    freshness.record_building(paths, changed)
    # a full build, or — when only reports changed — what reads them: the units, seeds and
    # reference models (and their tests) are as the last build left them
    args = ("--full-refresh",) if changed is None else dbt_build.downstream_of_reports()
    result = dbt_build.run_dbt(paths, "build", *args)
    if not result.success:
        raise dbt_build.MartsBuildFailed(dbt_build.explain_failure(paths, result))
    # the digests as this build places the reports, for the next build to compare with
    # (dbt emptied raw.changed_partitions as it ended: a dbt run by hand tests every row)
    marts = [m.split(".", 1)[1] for m in result.models if m.startswith("marts.")]
    freshness.record_built(paths, current, partitions.state_after_build(paths, inputs, changed), marts)
    return RunSummary(models=result.models, partitions=changed)


def publish(paths: Paths, dsn: str | None = None, force: bool = True, full: bool = False):
    """The marts for readers: the serving snapshot, Parquet and (if configured) PostgreSQL.
    With force=False, nothing is published when this version of the marts already was
    (None is returned). Only the partitions rebuilt since the last publish are republished,
    and the marts no build wrote since are kept as they are (serve/publish.py), unless
    `full` or the last build did not finish."""
    from ingest.serve.publish import SNAPSHOT, pg_dsn
    from ingest.serve.publish import publish as publish_marts

    current = freshness.fingerprint(paths)
    target = freshness.publish_target(paths, dsn or pg_dsn())
    last = freshness.published_state(paths, target)
    if not force and last.get("fingerprint") == current and (paths.serving / SNAPSHOT).exists():
        return None
    built = freshness.built_partitions(paths)
    changed, rewritten = None, None
    if built and not full and not freshness.build_unfinished(paths):
        changed = partitions.plan_build(last.get("partitions"), built)
        rewritten = freshness.marts_rewritten_since(paths, last)
    published = publish_marts(paths, dsn, changed, last.get("version"), rewritten)
    freshness.record_published(paths, target, current, published.version, built)
    return published


def run(paths: Paths, publish_marts: bool = True, progress: bool = False, wait_s: float = 0.0) -> RunSummary:
    """The whole load in-process: reference files, reports, validation, warehouse, marts,
    publish — holding the warehouse's run lock (a second run waits `wait_s`, then stops)."""
    from ingest.ops.runlock import run_lock

    with run_lock(paths, "chitieu run", wait_s):
        return _run(paths, publish_marts, progress)


def _run(paths: Paths, publish_marts: bool, progress: bool) -> RunSummary:
    pool = worker_pool()
    try:
        try:
            with pool, warehouse.held_open(paths.warehouse):
                refresh_admin_units(paths)
                # at the first sign of something new, dbt and a worker start importing meanwhile
                arrived = landed(paths, on_unknown=lambda: (dbt_build.start_dbt_process(), pool.warm_up()))
                ledger = read_ledger(paths)  # read once a run; the reference load adds its own
                reference = load_reference_files(paths, pool, arrived, ledger)
                ledger.add(reference.loaded.get("file_hash", []))
                ahead = partial(dbt_build.start_dbt_ahead, paths)  # dbt parses while they are parsed
                reports = ingest_reports(
                    paths, pool, progress=progress, arrived=arrived, before_parsing=ahead, ledger=ledger
                )
            marts = build_marts(paths)
        finally:
            dbt_build.stop_dbt_ahead()  # one started for a build that did not come
        published = publish(paths, force=False) if publish_marts else None
    except BaseException:
        with suppress(Exception):
            pool.wait_later()  # a run that failed still leaves its batch's Data Docs whole
        raise
    pool.wait_later()  # the Data Docs of a small load, built while the marts were
    return RunSummary.of_run(reference, reports, marts, published, arrived.closed_changed)


REBUILT_ZONES = ("raw", "validated", "quarantine", "feedback", "gx_data_docs", "dbt", "plans", "marts")


def rebuild(paths: Paths, progress: bool = False) -> RunSummary:
    """The warehouse rebuilt from the landing zone alone, then swapped in and published.

    Everything is built beside the current warehouse (which readers and the serving
    snapshot keep using meanwhile); the warehouse file moves into place with one rename."""
    from ingest.ops.runlock import run_lock

    with run_lock(paths, "chitieu rebuild"):
        fresh_dir = paths.warehouse.parent / f".{paths.warehouse.stem}.rebuild"
        shutil.rmtree(fresh_dir, ignore_errors=True)
        fresh = Paths(paths.landing, fresh_dir / paths.warehouse.name)
        summary = _run(fresh, publish_marts=False, progress=progress)
        for zone in REBUILT_ZONES:
            shutil.rmtree(paths.root / zone, ignore_errors=True)
            if (fresh.root / zone).exists():
                (fresh.root / zone).rename(paths.root / zone)
        os.replace(fresh.warehouse, paths.warehouse)
        shutil.rmtree(fresh_dir, ignore_errors=True)
        freshness.record_built(paths, freshness.fingerprint(paths), partitions.current_state(paths))
        summary.published = publish(paths, full=True)
        return summary
