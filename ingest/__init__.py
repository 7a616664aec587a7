"""chitieu: education targets (chỉ tiêu) versus achievements.

The pipeline, in the order the data travels:

    landing.py     find the files that arrived, hash them, reject the misplaced
    archive.py     refuse what is not a safe .xlsx before any parser touches it
    workbook.py    read a school report (template v1) into typed cells with lineage
    reference.py   read the census, the school registry and the target assignments
    validate.py    run the Great Expectations suites of expectations/ per batch
    warehouse.py   load accepted and rejected submissions into DuckDB, one transaction
    quarantine.py  keep refused files and tell the school, in Vietnamese, what to fix
    transform.py   run the dbt project (staging -> intermediate -> marts)
    pipeline.py    the steps above in order: what the CLI and the Airflow DAG call
"""

__version__ = "0.1.0"
