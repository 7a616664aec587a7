"""Stage 5 — the marts: dbt build, deciding when a rebuild is needed, checksums."""
