"""dbt kept ready in a process of its own: `python -m ingest.transform.dbt_ahead`.

Importing dbt takes ≈ 2 s of CPU, parsing the project ≈ 1 s more (with the partial-parse
file), and a run waits for both before its build can start. So a run that has something
new to build asks this process to parse the project while the files are parsed and
loaded (`dbt_build.start_dbt_ahead`), then sends the command, which runs with the
manifest of that parse. The process outlives the run and serves the next one in the same
Python process (the test suite, `airflow dags test`), as the worker pool does: dbt is
imported once. Each command runs as `dbt …` would — the same arguments, output,
artifacts and exit codes (0 success, 1 a model or test failed, 2 dbt itself failed) — in
the warehouse's folder with the run's environment, and the warehouse file is closed after
it, so nothing stays locked between commands.

One JSON object per line on stdin:

    {"cwd": …, "env": {…}, "parse": [args]}     parse the project now; no reply
    {"cwd": …, "env": {…}, "command": [args]}   run it (parsing first, as dbt would)
    {"command": [args]}                          run it with the manifest parsed before
    {"command": null}                            no command came: the parse's files are written

Each command message gets one line back on stdout: {"rc", "stdout", "stderr"}, the
console output of the parse and the command. At the end of stdin the process exits.
"""

from __future__ import annotations

import io
import json
import os
import sys
from contextlib import redirect_stderr, redirect_stdout


def _enter(message: dict) -> None:
    """The request's folder and environment (dbt reads both when a command starts)."""
    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])


def _release_warehouse() -> None:
    """Close the warehouse file after a command. dbt-duckdb closes it only when every
    connection it handed out is closed, and keeps one open after a command (found: the
    next run's own connection was refused the file's lock)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if environment is not None:
        environment.close()


def serve(requests, replies) -> None:
    import dbt.adapters.duckdb.impl  # noqa: F401 - what a command would import first
    import dbt.task.build  # noqa: F401
    from dbt.cli.main import dbtRunner

    manifest, out, err = None, io.StringIO(), io.StringIO()
    for line in requests:
        message = json.loads(line)
        if "cwd" in message:
            _enter(message)
            manifest, out, err = None, io.StringIO(), io.StringIO()
        if "parse" in message:
            with redirect_stdout(out), redirect_stderr(err):
                parsed = dbtRunner().invoke(message["parse"])
            manifest = parsed.result if parsed.success else None  # failed: the command parses again
            continue
        rc = 0
        if message["command"] is not None:
            with redirect_stdout(out), redirect_stderr(err):
                done = dbtRunner(manifest=manifest).invoke(message["command"])
            rc = 0 if done.success else 2 if done.exception is not None else 1
            _release_warehouse()
        replies.write(json.dumps({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}) + "\n")
        replies.flush()
        manifest, out, err = None, io.StringIO(), io.StringIO()


# dbt's process starts while the run walks the landing folder and a worker imports GX,
# both on the run's critical path, and all three need the CPU: the kernel serves dbt's
# import after theirs (measured: a correction's batch ready 0.3 s sooner). During its
# build the run itself waits; only a small load's Data Docs, built by the worker
# meanwhile (a fraction of a second), go first.
NICENESS = 10


def main() -> None:
    os.nice(NICENESS)
    # the replies keep the real stdout; whatever else writes to it goes to stderr
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    serve(sys.stdin, replies)


def _exit_now(code: int) -> None:
    """Exit without the interpreter's teardown, which takes ≈ 0.6 s once dbt is loaded.
    Nothing is lost: every command has replied (its artifacts written, its commits in the
    warehouse), the log is flushed here, and the manifests' multiprocessing locks are
    released first, as their finalizers would at a normal exit (else the resource tracker
    warns that they leaked)."""
    import logging
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
    main()
    _exit_now(0)
