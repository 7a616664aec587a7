"""The contract as dbt reads it: seeds and macros written from ingest/contract/.

    python -m ingest.contract.export      rewrite them after changing the contract

dbt cannot import Python, so the facts it needs are written out here: the grades and
periods seeds, the field list of every report sheet (the staging pivots) and the status
labels and colours. `tests/test_contract.py` fails when a written file differs from what
this module renders, so the copies cannot drift from the declaration.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ingest.config import PROJECT_DIR
from ingest.contract.calendar import GRADE_FACTS, GRADE_LABELS, PERIOD_FACTS, PERIOD_LABELS, STATUSES
from ingest.contract.template import SHEETS

DBT = PROJECT_DIR / "dbt_project"
HEADER = "{#- Written by `python -m ingest.contract.export` from ingest/contract/: do not edit. -#}\n"


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def grades_seed() -> str:
    return _csv(
        ["grade", "label_vi", "school_level", "grade_number", "official_age", "sort_order"],
        [
            [g.code, GRADE_LABELS[g.code], g.stage, g.number, g.official_age, i]
            for i, g in enumerate(GRADE_FACTS, start=1)
        ],
    )


def periods_seed() -> str:
    return _csv(
        ["period", "label_vi", "sort_order", "deadline_month", "deadline_day", "deadline_year_offset"],
        [
            [p.code, PERIOD_LABELS[p.code], i, p.deadline_month, p.deadline_day, p.deadline_year_offset]
            for i, p in enumerate(PERIOD_FACTS, start=1)
        ],
    )


def report_fields_macro() -> str:
    """Per sheet kind (the pivoted ones; «Thông tin chung» goes to raw.files): its text
    fields (categories, text, dates) and its number fields, in the template's order."""
    fields = {
        sheet.kind: {
            "text": [f.name for f in sheet.fields if f.kind not in ("count", "number")],
            "number": [f.name for f in sheet.fields if f.kind in ("count", "number")],
        }
        for sheet in SHEETS
        if sheet.kind != "general"
    }
    return (
        HEADER
        + "{# The fields of each report sheet of template v1 (ingest/contract/template.py). #}\n"
        + "{% macro report_sheet_fields(sheet_kind) %}\n"
        + "    {%- set fields = "
        + json.dumps(fields, ensure_ascii=False)
        + " -%}\n"
        + "    {{ return(fields[sheet_kind]) }}\n"
        + "{% endmacro %}\n"
    )


def statuses_macro() -> str:
    def case(attribute: str, otherwise: str) -> str:
        whens = "".join(f"\n        when '{s.code}' then '{getattr(s, attribute)}'" for s in STATUSES[:-1])
        return f"case {{{{ status }}}}{whens}\n        else '{otherwise}'\n    end"

    last = STATUSES[-1]
    return (
        HEADER
        + "{# Status labels and colours (ingest/contract/calendar.py STATUSES). #}\n"
        + "{% macro status_label(status) -%}\n    "
        + case("label", last.label)
        + "\n{%- endmacro %}\n\n"
        + "{% macro status_colour(status) -%}\n    "
        + case("colour", last.colour)
        + "\n{%- endmacro %}\n"
    )


def rendered() -> dict[Path, str]:
    return {
        DBT / "seeds" / "grades.csv": grades_seed(),
        DBT / "seeds" / "periods.csv": periods_seed(),
        DBT / "macros" / "contract" / "report_sheet_fields.sql": report_fields_macro(),
        DBT / "macros" / "contract" / "status_label.sql": statuses_macro(),
    }


def main() -> None:
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            print(f"đã ghi {path.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
