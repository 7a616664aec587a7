"""Whether the marts are current: what they were last built and published from.

A run that brought nothing new must cost nearly nothing. The marts depend on the warehouse's
raw zone (the ledger and every reference table), the administrative units, the dbt project
and the versions of the tools that build them; a fingerprint of those is written after a
successful build (and after a successful publish). When the next run finds the same
fingerprint, dbt and the publish are skipped: the published version stays as it is.

The fingerprint is cheap: row counts and the last load sequence of the raw tables (rows
are only ever added, or their arrival time moved back, which the sum of arrival times
catches), the admin units' load time, the hash of the dbt project's files, and which
report periods are past their deadline (a deadline passing changes the completeness mart).
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ingest.config import PROJECT_DIR, Paths
from ingest.contract.calendar import past_deadline

STATE_FILE = "build_state.json"
DBT_DIR = PROJECT_DIR / "dbt_project"
TOOLS = ("dbt-core", "dbt-duckdb", "duckdb", "vietnamadminunits", "chitieu")
RAW_TABLES = ("files", "report_cells", "findings", "registry", "census", "targets")


def _dbt_project_digest() -> str:
    digest = hashlib.sha256()
    for folder in ("models", "macros", "seeds", "tests"):
        for path in sorted((DBT_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(DBT_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    for name in ("dbt_project.yml", "profiles.yml", "selectors.yml"):
        digest.update((DBT_DIR / name).read_bytes())
    return digest.hexdigest()


def _tool_versions() -> dict[str, str]:
    found = {}
    for name in TOOLS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "?"
    return found


def _raw_state(paths: Paths) -> list:
    import duckdb

    from ingest.load import warehouse

    if not paths.warehouse.exists():
        return []
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            state = list(
                con.execute(
                    "select count(*), coalesce(max(load_seq), 0), "
                    "coalesce(sum(epoch_us(received_at)), 0)::varchar from raw.files"
                ).fetchone()
            )
            for table in RAW_TABLES[1:]:
                state.append(con.execute(f"select count(*) from raw.{table}").fetchone()[0])
            units = con.execute(
                "select max(package_version), max(loaded_at)::varchar from raw.admin_units_meta"
            ).fetchone()
            # the periods whose deadline is over: a deadline passing changes the completeness mart
            today, *_ = con.execute("select current_date").fetchone()
            periods = con.execute(
                "select distinct school_year, period from raw.files "
                "where kind = 'reports' and school_year is not null and period is not null"
            ).fetchall()
            overdue = sorted(f"{y}|{p}" for y, p in periods if past_deadline(y, p, today))
            return [*state, *units, overdue]
        except duckdb.CatalogException:
            return []


def fingerprint(paths: Paths) -> str:
    """What the marts would be built from now."""
    parts = {"raw": _raw_state(paths), "dbt": _dbt_project_digest(), "tools": _tool_versions()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _state_path(paths: Paths) -> Path:
    return paths.root / STATE_FILE


def _read(paths: Paths) -> dict:
    try:
        return json.loads(_state_path(paths).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _write(paths: Paths, **changes: str) -> None:
    state = {**_read(paths), **changes}
    tmp = _state_path(paths).with_suffix(".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text(json.dumps(state, indent=2), "utf-8")
    tmp.replace(_state_path(paths))


def built_from(paths: Paths) -> str | None:
    return _read(paths).get("built")


def record_building(paths: Paths, changed: list[str] | None) -> None:
    """Before dbt starts: until the build succeeds, the marts may be half rebuilt, and are
    published afresh rather than by partition; the next build redoes the partitions this
    one set out to (`changed`; None: everything) even if nothing changed since."""
    _write(paths, building=True, building_partitions=changed)


def build_unfinished(paths: Paths) -> bool:
    return bool(_read(paths).get("building"))


def unfinished_partitions(paths: Paths) -> list[str] | None:
    """The partitions a build that did not finish set out to redo ([] when the last build
    finished; None: everything, or a build recorded before this was)."""
    state = _read(paths)
    if not state.get("building"):
        return []
    return state.get("building_partitions")


def record_built(
    paths: Paths, print_: str, partitions: dict | None = None, marts: list[str] | None = None
) -> None:
    """After a successful build: its fingerprint, for the next incremental build the digests
    of its inputs per partition (transform/partitions.py), and for the next publish the
    marts it wrote (`marts`; None: any of them) under a build number one higher."""
    number = int(_read(paths).get("build_number") or 0) + 1
    rewrote = sorted(marts) if marts is not None else None
    _write(
        paths, built=print_, built_partitions=partitions, building=False, build_number=number, rewrote=rewrote
    )


def marts_rewritten_since(paths: Paths, published: dict) -> frozenset[str] | None:
    """The marts a build may have written since the publish described by `published`
    (published_state): those of the last build when it is the only one since, else None
    (any of them)."""
    state = _read(paths)
    number, rewrote = state.get("build_number"), state.get("rewrote")
    if number is None or rewrote is None or published.get("build_number") != number - 1:
        return None
    return frozenset(rewrote)


def built_partitions(paths: Paths) -> dict | None:
    return _read(paths).get("built_partitions")


def published_state(paths: Paths, target: str) -> dict:
    """What was last published to `target` (see publish_target): the fingerprint, the
    version, and the build's partition digests it held ({} when never published)."""
    published = _read(paths).get("published")
    state = published.get(target) if isinstance(published, dict) else None
    return state if isinstance(state, dict) else {}


def published_from(paths: Paths, target: str) -> str | None:
    """The fingerprint last published to `target`."""
    return published_state(paths, target).get("fingerprint")


def record_published(
    paths: Paths, target: str, print_: str, version: str, partitions: dict | None = None
) -> None:
    current = _read(paths)
    published = current.get("published")
    published = published if isinstance(published, dict) else {}
    state = {
        "fingerprint": print_,
        "version": version,
        "partitions": partitions,
        "build_number": current.get("build_number"),  # the build this publish holds
    }
    _write(paths, published={**published, target: state})


def publish_target(paths: Paths, dsn: str | None) -> str:
    """A name for where a publish goes (the DSN only as a hash: it may hold a password)."""
    where = str(paths.serving)
    if dsn:
        where += "+pg:" + hashlib.sha256(dsn.encode()).hexdigest()[:16]
    return where
