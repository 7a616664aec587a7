"""Stage 3 — checking: the Great Expectations suites, rules across reports and paths,
findings, and the Vietnamese feedback and quarantine for senders.
"""
