"""Registry, census and target files (and stray files) -> raw.*, in one transaction."""

from __future__ import annotations

import pandas as pd

from ingest.config import Paths
from ingest.landing.arrivals import Arrival, misplaced, name_warning, refused_before_reading
from ingest.landing.new_arrivals import Ledger, new_arrivals, remember_loaded
from ingest.landing.walk import Landed
from ingest.load import raw_zone, warehouse
from ingest.read.reference import read_reference
from ingest.summary import RunSummary
from ingest.validate import findings as f
from ingest.validate.quarantine import quarantine_refused


def load_reference_files(
    paths: Paths, pool=None, arrived: Landed | None = None, ledger: Ledger | None = None
) -> RunSummary:
    """Registry, census and target files (and stray files) -> raw.*, in one transaction.

    Each file is accepted or refused on its own (a refused file loads nothing but its
    ledger row and findings); the order of arrival decides which file wins later."""
    paths.make_dirs()
    summary = RunSummary()
    arrivals, summary.already_loaded = new_arrivals(
        paths, ("registry", "census", "targets", ""), arrived, ledger
    )
    summary.seen = len(arrivals) + summary.already_loaded
    if not arrivals:
        return summary
    files, found, reference = [], [], {}
    for arrival, (problems, frame) in zip(arrivals, _parse_references(arrivals, pool), strict=True):
        files.append(raw_zone.file_row(arrival, arrival.kind))
        found += raw_zone.finding_records(arrival.sha256, "reader", problems)
        if not f.has_errors(problems) and arrival.kind:
            reference.setdefault(arrival.kind, []).append(frame.assign(file_hash=arrival.sha256))
    findings = raw_zone.findings_frame(found)
    with warehouse.connect(paths.warehouse) as con:
        summary.loaded = warehouse.load_files(
            con,
            pd.DataFrame(files),
            findings,
            reference={kind: pd.concat(frames, ignore_index=True) for kind, frames in reference.items()},
        )
    quarantine_refused(paths, summary.loaded, findings, {a.sha256: a.path for a in arrivals})
    if ledger is not None:
        remember_loaded(paths, ledger)
    summary.findings = findings
    return summary


def _parse_reference(arrival: Arrival) -> tuple[list[f.Finding], pd.DataFrame]:
    problem = refused_before_reading(arrival) or misplaced(arrival)
    if problem is not None:
        return [problem], pd.DataFrame()
    parsed = read_reference(arrival.path, arrival.kind)
    warning = name_warning(arrival)
    return parsed.findings + ([warning] if warning else []), parsed.frame


def _parse_references(arrivals: list[Arrival], pool=None) -> list[tuple[list[f.Finding], pd.DataFrame]]:
    """Reference files parsed on every core when there are many (a national load has
    hundreds of census, registry and target files), in order."""
    if pool is None or len(arrivals) < 8:
        return [_parse_reference(a) for a in arrivals]
    return list(pool.map(_parse_reference, arrivals, chunksize=4))
