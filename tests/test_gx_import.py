"""GX is imported without executing scipy.stats and altair (ingest/validate/gx_import.py)."""

import subprocess
import sys

CHECK = """
import sys
from ingest.validate.suites import _gx
context, definitions = _gx()
assert len(definitions) >= 9, definitions
print("scipy.stats._continuous_distns" in sys.modules, "altair.vegalite" in sys.modules)
import scipy.stats
import altair
print(scipy.stats.norm.cdf(0.0), "altair.vegalite" in sys.modules and bool(altair.Chart))
"""


def test_gx_context_is_built_without_scipy_stats_and_altair_which_still_work_when_used():
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    deferred, used = done.stdout.splitlines()[-2:]
    assert deferred == "False False"  # neither executed while GX was imported and set up
    assert used == "0.5 True"  # executed, and right, at their first use
