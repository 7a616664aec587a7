"""dbt started ahead of its command: `python -m ingest.transform.dbt_ahead '<parse args>'`.

A run that has new reports to load starts this process before it parses them
(`dbt_build.start_dbt_ahead`). While the files are parsed and loaded, it imports dbt
(≈ 2.5 s) and parses the project (`dbt parse`, ≈ 1 s with the partial-parse file; parsing
reads the project's files, never the warehouse). Then it reads its command (a JSON list)
from stdin and runs it with the manifest it holds — the same command, output, artifacts
and exit codes as `dbt …` (0 success, 1 a model or test failed, 2 dbt itself failed).
When the parse ahead failed, the command parses again, as `dbt …` would, and reports the
error. Its stdin closed without a line (the run ended without a build), it exits without
opening the warehouse.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import dbt.adapters.duckdb.impl  # noqa: F401 - what the command would import first
    import dbt.task.build  # noqa: F401
    from dbt.cli.main import cli, dbtRunner

    manifest = None
    if len(sys.argv) > 1:
        parsed = dbtRunner().invoke(json.loads(sys.argv[1]))
        manifest = parsed.result if parsed.success else None
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    args = json.loads(line)
    if manifest is None:
        sys.argv = ["dbt", *args]
        return cli()
    done = dbtRunner(manifest=manifest).invoke(args)
    return 0 if done.success else 2 if done.exception is not None else 1


def _exit_now(code: int) -> None:
    """Exit without the interpreter's teardown, which takes ≈ 0.6 s once dbt is loaded (the
    run waits for this process to end). Nothing is lost: dbt has written its artifacts,
    DuckDB's commits are in the warehouse or its WAL, the log is flushed here, and the
    manifests' multiprocessing locks are released first, as their finalizers would at a
    normal exit (else the resource tracker warns that they leaked)."""
    import logging
    import os
    from contextlib import suppress
    from multiprocessing import synchronize, util

    with suppress(Exception):  # private to multiprocessing: at worst, that warning
        for finalizer in list(util._finalizer_registry.values()):
            if getattr(finalizer, "_callback", None) is synchronize.SemLock._cleanup:
                finalizer()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit_now(main())
