"""Feedback for the school, in Vietnamese: what is wrong, where, and what to do.

Rendered from the same findings the warehouse stores, as plain text (phan_hoi.txt) and as
a print-friendly HTML page (phan_hoi.html) a clerk can open next to the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from ingest.validate.findings import Finding

_CSS = """
body { font-family: "Times New Roman", serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
.status { padding: 0.6em 1em; border-radius: 4px; margin: 1em 0; font-weight: bold; }
.rejected { background: #fde2e1; border-left: 6px solid #c0392b; }
.flagged { background: #fff4d6; border-left: 6px solid #d68910; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
td.error { color: #c0392b; font-weight: bold; }
td.warning { color: #b9770e; font-weight: bold; }
@media print { body { margin: 0.5cm; } .status { border: 1px solid #000; } }
"""


@dataclass
class Problem:
    """One problem for the clerk: findings that say the same thing about the same sheet
    (a rule broken on each level row of one grade, say) with every cell they name."""

    finding: Finding
    cells: list[tuple[str, int]] = field(default_factory=list)  # (column, row)
    rows: list[int] = field(default_factory=list)  # rows named without a column

    @property
    def where(self) -> str:
        """'ô D2:D5', 'ô D7, F7', 'dòng 9' — the cells to fix."""
        if self.cells:
            return "ô " + ", ".join(_ranges(self.cells))
        if self.rows:
            return ("dòng " if len(self.rows) == 1 else "các dòng ") + ", ".join(map(str, self.rows))
        return ""

    def render(self) -> str:
        x = self.finding
        level = "LỖI" if x.severity == "error" else "CẢNH BÁO"
        place = ", ".join(p for p in (f"sheet «{x.sheet}»" if x.sheet else "", self.where) if p)
        where = f" [{place}]" if place else ""
        hint = f" → {x.hint}" if x.hint else ""
        return f"{level}{where}: {x.message}{hint}"


def _ranges(cells: list[tuple[str, int]]) -> list[str]:
    """Cells of one column in consecutive rows become a range (D2:D5)."""
    out: list[str] = []
    by_column: dict[str, list[int]] = {}
    for column, row in cells:
        by_column.setdefault(column, []).append(row)
    for column, rows in by_column.items():
        rows = sorted(set(rows))
        start = prev = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            out.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
            if row is not None:
                start = prev = row
    return out


def _sheet_order(sheet: str | None) -> int:
    from ingest.contract.template import SHEETS

    return next((i for i, s in enumerate(SHEETS) if sheet and s.matches(sheet)), len(SHEETS))


def problems(findings: list[Finding]) -> list[Problem]:
    """Findings grouped into problems, errors first, then by sheet (in the template's
    order) and row."""
    grouped: dict[tuple, Problem] = {}
    for x in findings:
        key = (x.severity, x.code, x.sheet, x.message, x.hint)
        problem = grouped.setdefault(key, Problem(x))
        if x.column and x.row:
            problem.cells.append((x.column, x.row))
        elif x.row:
            problem.rows.append(x.row)

    def order(p: Problem):
        first = min([r for _, r in p.cells] + p.rows, default=0)
        return (p.finding.severity != "error", _sheet_order(p.finding.sheet), p.finding.sheet or "", first)

    return sorted(grouped.values(), key=order)


def render_text(landing_path: str, findings: list[Finding], school: str | None = None) -> str:
    grouped = problems(findings)
    errors = [p for p in grouped if p.finding.severity == "error"]
    warnings = [p for p in grouped if p.finding.severity == "warning"]
    lines = [f"PHẢN HỒI VỀ TỆP BÁO CÁO: {landing_path}"]
    if school:
        lines.append(f"Trường: {school}")
    if errors:
        lines += [
            "",
            f"Tệp KHÔNG được tiếp nhận: có {len(errors)} lỗi cần sửa.",
            "Sau khi sửa, gửi lại toàn bộ tệp; báo cáo đã được tiếp nhận trước đó (nếu có) "
            "vẫn được giữ nguyên cho đến khi tệp sửa được tiếp nhận.",
            "",
        ]
        lines += [f"{i}. {p.render()}" for i, p in enumerate(errors, 1)]
    else:
        lines += ["", "Tệp đã được tiếp nhận, nhưng có điểm cần kiểm tra lại:"]
    if warnings:
        lines += ["", "Cảnh báo (không chặn việc tiếp nhận):"]
        lines += [f"- {p.render()}" for p in warnings]
    return "\n".join(lines) + "\n"


def render_html(landing_path: str, findings: list[Finding], school: str | None = None) -> str:
    grouped = problems(findings)
    errors = [p for p in grouped if p.finding.severity == "error"]
    if errors:
        status = (
            '<div class="status rejected">Tệp KHÔNG được tiếp nhận: có '
            f"{len(errors)} lỗi cần sửa. Sửa các ô dưới đây rồi gửi lại toàn bộ tệp. Báo cáo "
            "đã được tiếp nhận trước đó (nếu có) vẫn được giữ cho đến khi tệp sửa được "
            "tiếp nhận.</div>"
        )
    else:
        status = (
            '<div class="status flagged">Tệp ĐÃ được tiếp nhận. Các điểm dưới đây cần '
            "kiểm tra lại; nếu số liệu đúng, không cần gửi lại.</div>"
        )
    rows = []
    for i, problem in enumerate(grouped, 1):
        x, cell = problem.finding, problem.where.removeprefix("ô ")
        level = "Lỗi" if x.severity == "error" else "Cảnh báo"
        rows.append(
            f'<tr><td>{i}</td><td class="{x.severity}">{level}</td>'
            f"<td>{escape(x.sheet or '')}</td><td>{escape(cell)}</td>"
            f"<td>{escape(x.message)}</td><td>{escape(x.hint)}</td>"
            f"<td>{escape(x.value or '')}</td></tr>"
        )
    school_line = f"<p>Trường: <b>{escape(school)}</b></p>" if school else ""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>Phản hồi báo cáo — {escape(school or landing_path)}</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>PHẢN HỒI VỀ TỆP BÁO CÁO THỐNG KÊ</h1>"
        f"<p>Tệp: <code>{escape(landing_path)}</code></p>{school_line}{status}"
        "<table><thead><tr><th>STT</th><th>Mức độ</th><th>Sheet</th><th>Ô</th>"
        "<th>Nội dung</th><th>Cách sửa</th><th>Giá trị đang ghi</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></body></html>\n"
    )
