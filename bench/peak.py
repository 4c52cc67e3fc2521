"""Run a command and write its peak resident memory (kB) to a file: `peak.py OUT COMMAND...`.

A process started straight from the benchmark would be charged the benchmark's own memory: the
kernel counts what a child held between fork and exec. Started from this small process instead,
and measured by it, a command's figure is its own.
"""

import os
import sys

out, command = sys.argv[1], sys.argv[2:]
child = os.fork()
if child == 0:
    try:
        os.execvp(command[0], command)  # noqa: S606 - the benchmark's own command line
    finally:
        os._exit(127)
_, status, usage = os.wait4(child, 0)
with open(out, "w", encoding="utf-8") as report:  # noqa: PTH123 - kept free of pathlib, to stay small
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
