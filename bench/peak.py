"""Run a command; print its wall time and the peak memory of its largest process as JSON.

``ru_maxrss`` of RUSAGE_CHILDREN is the largest resident set of any process this one has waited
for, worker processes of the command included, since each parent reaps its own children.
"""

import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "exit": done.returncode}))
