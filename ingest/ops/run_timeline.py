"""Where a run's time goes: `chitieu run`'s steps timed, and the machine's CPU use each second.

    python -m ingest.ops.run_timeline LANDING WAREHOUSE [--keep]

Runs the whole load in this process (pipeline.run, as `chitieu run` does) on WAREHOUSE,
removed first unless --keep (so, by default, P1 of `make bench`: a full period from an
empty warehouse), and prints each step's start and end in seconds from the start, then
the share of both cores in use each second (200 = both busy). A stretch at 100 is a step
that leaves a core idle: that is where overlapping work would pay. Used to profile P1 in
docs/benchmarks.md; it times, it changes nothing the steps do.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import threading
import time
from functools import wraps
from pathlib import Path

STEPS = {  # module -> the functions timed in it
    "ingest.pipeline": [
        "refresh_admin_units",
        "landed",
        "load_reference_files",
        "ingest_reports",
        "build_marts",
        "publish",
    ],
    "ingest.load.reference_files": ["_parse_references", "quarantine_refused"],
    "ingest.load.warehouse": ["load_files"],
    "ingest.load.reports": ["plan_batches", "load_batches", "check_history"],
    "ingest.transform.dbt_build": ["run_dbt"],
    "ingest.serve.publish": ["publish_snapshot", "export_parquet", "publish_postgres"],
}


def _timed(function, name: str, started: float):
    @wraps(function)
    def timed(*args, **kwargs):
        begin = time.perf_counter() - started
        print(f"{begin:7.2f}  > {name}", flush=True)
        try:
            return function(*args, **kwargs)
        finally:
            end = time.perf_counter() - started
            print(f"{end:7.2f}  < {name} ({end - begin:.2f} s)", flush=True)

    return timed


def _cpu_use(samples: list[tuple[float, float]], started: float) -> None:
    """Append (seconds from the start, share of all cores busy) once a second, from /proc/stat."""
    previous = None
    while True:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle, total = values[3] + values[4], sum(values)
        if previous is not None and total > previous[1]:
            samples.append((time.perf_counter() - started, 1 - (idle - previous[0]) / (total - previous[1])))
        previous = (idle, total)
        time.sleep(1.0)


def main() -> None:
    import importlib

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("landing", type=Path)
    parser.add_argument("warehouse", type=Path, help="the warehouse file (chitieu.duckdb)")
    parser.add_argument("--keep", action="store_true", help="run on the warehouse as it is")
    args = parser.parse_args()
    if not args.keep:
        shutil.rmtree(args.warehouse.parent, ignore_errors=True)
    os.sync()  # the last run's writes and this removal, flushed before the timed run
    started = time.perf_counter()
    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            setattr(module, name, _timed(getattr(module, name), name, started))
    from ingest import pipeline
    from ingest.config import Paths

    os.environ.setdefault("CHITIEU_PG_DSN", "")
    samples: list[tuple[float, float]] = []
    threading.Thread(target=_cpu_use, args=(samples, started), daemon=True).start()
    pipeline.run(Paths.from_env(args.landing, args.warehouse), progress=True)
    cores = os.cpu_count() or 1
    print("CPU in use each second (100 = one core):")
    print(" ".join(f"{int(t)}:{round(share * cores * 100)}" for t, share in samples))
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"total {time.perf_counter() - started:.1f} s; CPU of this process "
        f"{own.ru_utime + own.ru_stime:.1f} s, of its ended children "
        f"{children.ru_utime + children.ru_stime:.1f} s"
    )


if __name__ == "__main__":  # the workers are spawned: they import this module again
    main()
