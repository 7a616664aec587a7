"""The dbt build of a correction, alone and repeated: compare two versions of a model or
macro on identical work, which whole runs cannot do on a machine whose speed moves.

    python -m ingest.ops.dbt_bench WAREHOUSE PARTITION [BUILDS] [dbt options...]

WAREHOUSE is a copy of a warehouse that has been built (after `make bench`, say
data/bench/warehouse/chitieu.duckdb copied elsewhere): each build rewrites its partitions.
PARTITION is a key as ingest/transform/partitions.py writes them ('2023-2024|cuoi_nam|14').
Each build sets raw.changed_partitions to that key, as a run does before its build, and
runs `dbt build --selector after_reports` through dbt_build.run_dbt, so the same partition
is redone every time. The first build parses the project; the others reuse the parse.
Prints, per build, run_dbt's wall time and dbt's own elapsed time (run_results.json).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from ingest.config import Paths
    from ingest.load import warehouse
    from ingest.transform import dbt_build, dbt_process, partitions

    if len(argv) < 2:
        print(__doc__)
        return 2
    paths = Paths.from_env(Path("landing"), Path(argv[0]))
    key, builds, extra = argv[1], int(argv[2]) if len(argv) > 2 else 3, argv[3:]
    with warehouse.connect(paths.warehouse) as con:
        (last_seq,) = con.execute("select max(load_seq) from raw.files").fetchone()
    elapsed = []
    try:
        for number in range(builds):
            # the tests of the tables that grow by file look at the last hundred files
            partitions.write_changed(paths, [key], max(last_seq - 100, 0))
            started = time.perf_counter()
            result = dbt_build.run_dbt(paths, "build", *dbt_build.downstream_of_reports(), *extra)
            wall = time.perf_counter() - started
            run = json.loads((paths.root / "dbt" / "target" / "run_results.json").read_text("utf-8"))
            elapsed.append(run["elapsed_time"])
            print(
                f"build {number}: run_dbt {wall:.2f} s, dbt {run['elapsed_time']:.2f} s, "
                f"{len(run['results'])} nodes, {'ok' if result.success else 'FAILED'}",
                flush=True,
            )
    finally:
        partitions.write_changed(paths, [])  # as a run leaves it: a dbt run by hand tests every row
        dbt_process.stop_all()
    later = elapsed[1:] or elapsed
    print(f"dbt: mean {statistics.mean(later):.2f} s, min {min(later):.2f} s (builds after the first)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
