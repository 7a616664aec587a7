"""dbt started ahead of its command: `python -m ingest.transform.dbt_ahead`.

A run that has new reports to load starts this process before it parses them
(`dbt_build.start_dbt_ahead`): it imports dbt (≈ 2.5 s) while the files are parsed and
loaded, then reads its arguments (a JSON list) from stdin and runs them through dbt's own
entry point — the same command, output and exit codes as `dbt …`. Its stdin closed without
a line (the run ended without a build), it exits without opening the warehouse.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import dbt.adapters.duckdb.impl  # noqa: F401 - what the command would import first
    import dbt.task.build  # noqa: F401
    from dbt.cli.main import cli

    line = sys.stdin.readline()
    if not line.strip():
        return 0
    sys.argv = ["dbt", *json.loads(line)]
    return cli()


if __name__ == "__main__":
    sys.exit(main())
