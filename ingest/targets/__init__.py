"""Targets as departments write them: comparators and values, and targets extracted from
the plans' text.
"""
