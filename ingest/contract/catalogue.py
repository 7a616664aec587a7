"""The indicator catalogue: dbt_project/seeds/indicators.csv, read by Python too.

One file says, for every indicator, its Vietnamese name, level, family, unit, direction
and what its numerator and denominator count. dbt loads it as a seed for the models and
docs; the pipeline reads it to check target files and to label reports.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ingest.config import PROJECT_DIR

CATALOGUE_CSV = PROJECT_DIR / "dbt_project" / "seeds" / "indicators.csv"


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    level: str
    family: str
    unit: str  # percent / count / ratio
    direction: str  # higher / lower
    base: str  # school / population
    computed: bool


@cache
def indicators() -> dict[str, Indicator]:
    with open(CATALOGUE_CSV, encoding="utf-8") as fh:
        return {
            r["indicator_code"]: Indicator(
                r["indicator_code"],
                r["name_vi"],
                r["level"],
                r["family"],
                r["unit"],
                r["direction"],
                r["base"],
                r["computed"] == "true",
            )
            for r in csv.DictReader(fh)
        }
