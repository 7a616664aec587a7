"""Sample reports saved by LibreOffice (.xls, .ods); see __main__.py for how they are made."""

from pathlib import Path

HERE = Path(__file__).parent
