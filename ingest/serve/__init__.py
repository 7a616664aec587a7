"""Stage 6 — serving: publishing the marts (snapshot, Parquet, PostgreSQL), the
scorecard, the HTML report and its map, the backtest of the early warning.
"""
