"""Running it: the run lock, crash points for tests, progress, local Airflow, benchmarks."""
