"""The raw zone's tables (what the pipeline loads and dbt reads as sources), and how a
warehouse made by an earlier version is brought to them when it is opened."""

from __future__ import annotations

import duckdb

# raw.files has no PRIMARY KEY: DuckDB rewrote its index of every file ever received at the
# first checkpoint after a load (1.1 s with six national periods, growing with every
# period). A content is loaded once all the same: the run lock lets one load write at a
# time, load_files skips hashes already in the ledger, and the dbt source test
# primary_key on raw.files fails the build if one ever appears twice.
FILES_DDL = """
create table if not exists raw.files (
    file_hash     varchar not null,      -- SHA-256 of the bytes: the file's identity
    kind          varchar not null,      -- reports / census / registry / targets
    landing_path  varchar not null,      -- where it was first seen (metadata only)
    size_bytes    bigint,
    received_at   timestamp,             -- when it arrived: the file's time in the landing folder
    status        varchar not null,      -- accepted / accepted_with_warnings / rejected
    errors        integer not null,
    warnings      integer not null,
    school_code   varchar,
    school_name   varchar,
    school_year   varchar,
    period        varchar,
    report_date   date,
    batch_id      varchar,
    load_seq      bigint not null,       -- order of loading: later wins among equals
    loaded_at     timestamp not null,
    pupils_total  double                 -- a report's total enrolled: what the history rule compares
);
"""
RAW_DDL = (
    """
create schema if not exists raw;
"""
    + FILES_DDL
    + """
create table if not exists raw.changed_partitions (partition_key varchar not null);
create table if not exists raw.build_scope (   -- what the next incremental build tests of the
    first_new_load_seq bigint not null         -- tables that grow by file: rows from this on
);
create table if not exists raw.deliveries (
    file_hash     varchar not null,
    landing_path  varchar not null,
    seen_at       timestamp not null
);
create table if not exists raw.delivery_digests (  -- what record_deliveries last recorded
    kinds  varchar primary key,            -- the folders (new_arrivals' kinds), comma-separated
    digest varchar not null
);
create table if not exists raw.report_cells (
    file_hash varchar not null, sheet_kind varchar not null, sheet_name varchar,
    record_no integer not null, "row" integer, "column" varchar, field varchar not null,
    value_number double, value_text varchar,
    load_seq bigint                        -- the file's load_seq: new files' cells are found by range
);
create table if not exists raw.findings (
    file_hash varchar not null, source varchar not null, code varchar not null,
    severity varchar not null, message varchar not null, hint varchar, sheet varchar,
    "row" integer, "column" varchar, field varchar, value varchar
);
create table if not exists raw.registry (
    file_hash varchar not null, "row" integer, school_code varchar, school_name varchar,
    school_level varchar, school_type varchar, ownership varchar, commune_code varchar,
    area varchar, valid_from varchar, valid_to varchar
);
create table if not exists raw.census (
    file_hash varchar not null, "row" integer, commune_code varchar, school_year varchar,
    age integer, population bigint, female bigint, pcgd_preschool_5 varchar,
    pcgd_primary varchar, pcgd_lower_secondary varchar, literacy varchar
);
create table if not exists raw.targets (
    file_hash varchar not null, "row" integer, decision_no varchar, issued_on date,
    issuer_code varchar, assignee_code varchar, assignee_level varchar, school_year varchar,
    indicator_code varchar, segment varchar, comparator_text varchar, target_text varchar,
    comparator varchar, target_value decimal(18, 6), target_count decimal(18, 6),
    target_base decimal(18, 6), tolerance decimal(18, 6), note varchar
);
"""
)

REFERENCE_COLUMNS = {
    "registry": [
        "row",
        "school_code",
        "school_name",
        "school_level",
        "school_type",
        "ownership",
        "commune_code",
        "area",
        "valid_from",
        "valid_to",
    ],
    "census": [
        "row",
        "commune_code",
        "school_year",
        "age",
        "population",
        "female",
        "pcgd_preschool_5",
        "pcgd_primary",
        "pcgd_lower_secondary",
        "literacy",
    ],
    "targets": [
        "row",
        "decision_no",
        "issued_on",
        "issuer_code",
        "assignee_code",
        "assignee_level",
        "school_year",
        "indicator_code",
        "segment",
        "comparator_text",
        "target_text",
        "comparator",
        "target_value",
        "target_count",
        "target_base",
        "tolerance",
        "note",
    ],
}


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Bring a warehouse made by an earlier version to this schema (once: a catalog lookup after)."""
    indexed = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'raw' "
        "and table_name = 'files' and constraint_type = 'PRIMARY KEY'"
    ).fetchone()[0]
    if indexed:  # raw.files before 2026-12-06: the same rows, without the primary key's index
        con.execute("begin transaction")
        con.execute("alter table raw.files rename to files_indexed")
        con.execute(FILES_DDL)
        con.execute("insert into raw.files by name select * from raw.files_indexed order by load_seq")
        con.execute("drop table raw.files_indexed")
        _fill_pupils_totals(con)
        con.execute("commit")
    has_seq = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'raw' "
        "and table_name = 'report_cells' and column_name = 'load_seq'"
    ).fetchone()[0]
    if not has_seq:  # cells before 2026-12: their file's load_seq, from the ledger
        con.execute("begin transaction")  # all or nothing: a crash leaves the old schema
        con.execute("alter table raw.report_cells add column load_seq bigint")
        con.execute(
            "update raw.report_cells as c set load_seq = f.load_seq "
            "from raw.files as f where f.file_hash = c.file_hash"
        )
        con.execute("commit")
    has_total = con.execute(
        "select count(*) from duckdb_columns() where schema_name = 'raw' "
        "and table_name = 'files' and column_name = 'pupils_total'"
    ).fetchone()[0]
    if not has_total:  # the ledger before 2026-12-07: each report's total from its cells
        con.execute("begin transaction")
        con.execute("alter table raw.files add column pupils_total double")
        _fill_pupils_totals(con)
        con.execute("commit")
    old_marts = con.execute(
        "select count(*) from duckdb_schemas() "
        "where database_name = current_database() and schema_name = 'marts'"
    ).fetchone()[0]
    if old_marts:  # the marts lived here before 2026-12-07; a full build writes their own file
        con.execute("drop schema marts cascade")


def _fill_pupils_totals(con: duckdb.DuckDBPyConnection) -> None:
    """Each report's total enrolled, summed from its cells as the parse sums it (a file's
    cells are loaded once, with the file: by hash)."""
    con.execute(
        "update raw.files as f set pupils_total = t.total from ("
        "select file_hash, sum(value_number) as total from raw.report_cells "
        "where sheet_kind = 'pupils' and field = 'enrolled' group by file_hash"
        ") as t where f.file_hash = t.file_hash"
    )
