"""The root of a watched workload: starts what the test asks for, as its own children.

Reads one JSON object per line on stdin: {"argv": [...], "env": {...} (optional, replaces the
environment)}, starts it with fork and exec, and answers with the child's pid on a line of its own.
Children are reaped as they exit, so a finished one does not linger as a zombie.
"""
import json
import os
import signal
import subprocess
import sys

children = []


def reap(*_):
    # may run again inside itself when children exit close together
    for p in list(children):
        try:
            if p.poll() is not None and p in children:
                children.remove(p)
        except (ValueError, ChildProcessError):
            pass


signal.signal(signal.SIGCHLD, reap)


for line in sys.stdin:
    request = json.loads(line)
    p = subprocess.Popen(request['argv'], env=request.get('env'), stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    children.append(p)
    print(p.pid, flush=True)
