"""Run a command; print its wall time, the peak memory of its largest process and its exit code as JSON.

``ru_maxrss`` of RUSAGE_CHILDREN is the largest resident set of any process this one has waited
for, worker processes of the command included, since each parent reaps its own children. The
command is started from this small process rather than from the benchmark itself because Linux
carries a parent's resident size at fork over into the child's ``ru_maxrss``: a large parent
(polars and a million-row table loaded) would set every child's "peak".
"""

import json
import resource
import subprocess
import sys
import tempfile
import time

with tempfile.TemporaryFile() as errors:
    start = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                          check=False)
    seconds = time.perf_counter() - start
    errors.seek(0)
    tail = errors.read().decode("utf-8", "replace").strip().splitlines()[:3]
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "exit": done.returncode, "stderr": tail}))
