"""chitieu: education targets (chỉ tiêu) versus achievements.

The folders are the stages, in the order the data travels (and the DAG's tasks):

    contract/   the template of the school workbook and the indicator catalogue, declared once
    landing/    what arrived in the landing folder (links listed, never followed), what is new
    read/       archive checks, then workbooks and reference files into typed cells
    validate/   the GX suites, rules across reports and folders, findings, feedback, quarantine
    load/       batches parsed in worker processes, then loaded into DuckDB in one transaction
    transform/  dbt build of the marts (into a file of their own), and whether a rebuild is needed
    serve/      publishing (snapshot, Parquet, PostgreSQL), scorecard, HTML report, backtest
    targets/    comparators and target values as departments write them
    ops/        run lock, crash points, progress, local Airflow, benchmarks

    pipeline.py the composition: one function per DAG task, and `run` / `rebuild` for the CLI
    cli.py      the `chitieu` command
"""

__version__ = "0.1.0"
