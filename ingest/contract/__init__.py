"""The contract with the senders: the workbook template (sheets, fields, grades, periods)
and the indicator catalogue. Declared here once; the reader, the GX suites, dbt's seeds
and the sample generator all read it.
"""
