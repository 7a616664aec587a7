"""Sample reports as LibreOffice saved them (.xls, .ods): files made by a real office suite,
kept in the repository so the tests that need them run where LibreOffice is not installed.

Made again with LibreOffice installed (`apt-get install libreoffice-calc-nogui`):

    python -m ingest.sample.office

which writes the two base reports of the broken-file set (ingest/sample/broken.py) and
converts them with `soffice --headless --convert-to`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = {
    "general.xls": ("general", "xls"),
    "general.ods": ("general", "ods"),
    "preschool.xls": ("preschool", "xls"),
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(sources: list[Path], fmt: str, out: Path) -> list[Path]:
    """Convert workbooks with LibreOffice (headless) into `out`; returns the new files."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return [out / f"{s.stem}.{fmt}" for s in sources]


def main() -> None:
    from ingest.sample.generate import base_reports
    from ingest.sample.xlsx import write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        for name, (base, fmt) in FIXTURES.items():
            source = Path(tmp) / f"{base}.xlsx"
            write_xlsx(source, base_reports()[base])
            (made,) = convert([source], fmt, Path(tmp) / fmt)
            shutil.copy(made, HERE / name)
            print(f"{HERE / name}: {made.stat().st_size} bytes")


if __name__ == "__main__":
    main()
