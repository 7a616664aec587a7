"""What is wrong with a submission, as data: code, severity, place, Vietnamese message, hint.

Every problem the pipeline finds — from the archive check, the reader, a GX expectation
or a reference lookup — becomes a `Finding`. The CLI summary, the quarantine feedback
file and the warehouse table `raw.findings` all render the same records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str  # Vietnamese, for the school clerk
    hint: str = ""  # Vietnamese: what to do
    sheet: str | None = None  # sheet name as in the file
    row: int | None = None  # Excel row number, 1-based
    column: str | None = None  # Excel column letter
    field: str | None = None  # canonical field name
    value: str | None = None  # the offending value as typed

    @property
    def place(self) -> str:
        """'sheet Học sinh, ô D7' — where a person should look."""
        parts = []
        if self.sheet:
            parts.append(f"sheet «{self.sheet}»")
        if self.row and self.column:
            parts.append(f"ô {self.column}{self.row}")
        elif self.row:
            parts.append(f"dòng {self.row}")
        elif self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def render(self) -> str:
        level = "LỖI" if self.severity == "error" else "CẢNH BÁO"
        where = f" [{self.place}]" if self.place else ""
        hint = f" → {self.hint}" if self.hint else ""
        return f"{level}{where}: {self.message}{hint}"

    def as_record(self) -> dict:
        return asdict(self)


def error(code: str, message: str, hint: str = "", **where) -> Finding:
    return Finding(code, "error", message, hint, **where)


def warning(code: str, message: str, hint: str = "", **where) -> Finding:
    return Finding(code, "warning", message, hint, **where)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
