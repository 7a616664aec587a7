"""Feedback for the school, in Vietnamese: what is wrong, where, and what to do.

Rendered from the same findings the warehouse stores, as plain text (phan_hoi.txt) and as
a print-friendly HTML page (phan_hoi.html) a clerk can open next to the workbook.
"""

from __future__ import annotations

from html import escape

from ingest.findings import Finding

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


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda x: (x.severity != "error", x.sheet or "", x.row or 0, x.column or ""))


def render_text(landing_path: str, findings: list[Finding], school: str | None = None) -> str:
    errors = [x for x in findings if x.severity == "error"]
    warnings = [x for x in findings if x.severity == "warning"]
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
        lines += [f"{i}. {x.render()}" for i, x in enumerate(_sorted(errors), 1)]
    else:
        lines += ["", "Tệp đã được tiếp nhận, nhưng có điểm cần kiểm tra lại:"]
    if warnings:
        lines += ["", "Cảnh báo (không chặn việc tiếp nhận):"]
        lines += [f"- {x.render()}" for x in _sorted(warnings)]
    return "\n".join(lines) + "\n"


def render_html(landing_path: str, findings: list[Finding], school: str | None = None) -> str:
    errors = [x for x in findings if x.severity == "error"]
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
    for i, x in enumerate(_sorted(findings), 1):
        cell = f"{x.column or ''}{x.row or ''}" if (x.column or x.row) else ""
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
