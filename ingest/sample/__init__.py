"""Deterministic sample data: school workbooks, census, registry and targets."""
