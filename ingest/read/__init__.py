"""Stage 2 — reading: archive checks, workbook and reference-file readers, typed cells,
Vietnamese text as clerks type it.
"""
