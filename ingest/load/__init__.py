"""Stage 4 — loading: batches parsed in worker processes into the raw and validated zones,
then into the DuckDB warehouse (ledger, cells, findings, reference tables).
"""
