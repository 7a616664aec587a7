"""chitieu: education targets (chỉ tiêu) versus achievements.

The pipeline, in the order the data travels:

    landing.py      find the files that arrived (links listed, never followed), hash them
    archive.py      refuse what is not a safe workbook (.xlsx, .xls, .ods) before parsing
    workbook.py     read a school report (template v1) into typed cells with lineage
    cells.py        type the cells of a sheet against the template; bounds on numbers
    legacy_text.py  turn text typed in TCVN3 or VNI into Unicode
    reference.py    read the census, the school registry and the target assignments
    validate.py     run the Great Expectations suites of expectations/ per batch
    warehouse.py    load accepted and rejected submissions into DuckDB, one transaction
    quarantine.py   keep refused files; feedback.py tells the school, in Vietnamese, what to fix
    freshness.py    whether anything the marts depend on changed since the last build/publish
    transform.py    run the dbt project (staging -> intermediate -> marts)
    publish.py      the marts for readers: DuckDB snapshot, Parquet, PostgreSQL
    pipeline.py     the steps above in order: what the CLI and the Airflow DAG call
"""

__version__ = "0.1.0"
