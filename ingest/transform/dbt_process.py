"""The dbt processes of this Python process (their own code: dbt_ahead.py).

Importing dbt costs ≈ 2 s, so a dbt process is started once and kept: after a command it
waits for the next run of the same Python process (the test suite, `airflow dags test`),
as the worker pool does; a command-line run stops it at its end. A run asks a process to
parse ahead of its build (`parse_ahead`), then sends the build (`run_command`); a process
that died is replaced, and its command reported failed with what it wrote to stderr.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
import tempfile
from contextlib import suppress

STOP_S = 60.0  # a parse takes seconds; past this, something is wrong with it
_ahead: dict[tuple, subprocess.Popen] = {}  # processes parsing for a build, by warehouse
_idle: list[subprocess.Popen] = []  # processes waiting for the next run


def _process() -> subprocess.Popen:
    """A dbt process ready for a request: an idle one, else a new one (it imports dbt
    while it waits for its first request)."""
    while _idle:
        process = _idle.pop()
        if process.poll() is None:
            return process
    return subprocess.Popen(
        [sys.executable, "-m", "ingest.transform.dbt_ahead"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=tempfile.TemporaryFile(),  # read only when the process died
        text=True,
        encoding="utf-8",
    )


def _send(process: subprocess.Popen, message: dict) -> None:
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()


def _reply(process: subprocess.Popen, timeout: float | None = None) -> dict | None:
    """The process's reply to a command, or None when it died (or took past `timeout`:
    then it is stopped)."""
    line = ""
    with suppress(OSError, ValueError):
        if timeout is None or select.select([process.stdout], [], [], timeout)[0]:
            line = process.stdout.readline()
    if line:
        return json.loads(line)
    process.kill()
    process.wait()
    return None


def _died(process: subprocess.Popen) -> str:
    process.stderr.seek(0)
    return process.stderr.read().decode("utf-8", "replace")[-3000:]


def start() -> None:
    """Have a process importing dbt now (≈ 2 s of CPU), unless one is ready or parsing: the
    run calls this at the first sign of something new in the landing folder, seconds
    before it knows what to build. Nothing is parsed or written yet, so a run that then
    builds nothing stops it at no cost."""
    if not _ahead and not any(process.poll() is None for process in _idle):
        _idle.append(_process())


def parse_ahead(key: tuple, cwd: str, env: dict[str, str], args: list[str]) -> None:
    """Have a process run `dbt parse` (`args`) now, for the build of `key` to come."""
    if key not in _ahead:
        process = _process()
        _send(process, {"cwd": cwd, "env": env, "parse": args})
        _ahead[key] = process


def run_command(key: tuple, cwd: str, env: dict[str, str], args: list[str]) -> subprocess.CompletedProcess:
    """`dbt <args>`: with the manifest parsed ahead for `key`, if any."""
    from ingest.ops.faults import checkpoint

    process = _ahead.pop(key, None)
    if process is not None and process.poll() is None:
        checkpoint("dbt")
        _send(process, {"command": args})
    else:
        process = _process()
        checkpoint("dbt")
        _send(process, {"cwd": cwd, "env": env, "command": args})
    reply = _reply(process)
    if reply is None:
        reply = {"rc": 2, "stdout": "", "stderr": "dbt stopped before it replied:\n" + _died(process)}
    else:
        _idle.append(process)
    return subprocess.CompletedProcess(["dbt", *args], reply["rc"], reply["stdout"], reply["stderr"])


def stop_ahead() -> None:
    """The processes asked to parse for a build that did not come: told so, they reply
    once their parse has written its files — stopped halfway, a parse would leave a
    truncated manifest.json for the next `chitieu publish` — and wait for the next run."""
    while _ahead:
        process = _ahead.popitem()[1]
        with suppress(OSError, ValueError):
            _send(process, {"command": None})
            if _reply(process, STOP_S) is not None:
                _idle.append(process)


def stop_all() -> None:
    """The end of a command-line run: its dbt processes exit (at the end of their stdin)."""
    stop_ahead()
    while _idle:
        process = _idle.pop()
        with suppress(OSError, ValueError):
            process.stdin.close()
