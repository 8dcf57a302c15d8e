"""A busy neighbour: PROCS idle processes, and RATE new short-lived processes per second while STOP_FILE does not
exist. Arrivals follow a fixed schedule, so the rate holds when spawning is slow. Prints "ready" once the idle
processes exist, and "done SPAWNED" at the end.

usage: load.py PROCS RATE STOP_FILE
"""
import os
import random
import resource
import sys
import time

procs, rate, stop = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
SLEEP = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"
idle = [os.posix_spawn(SLEEP, ["sleep", "3600.5"], os.environ) for _ in range(procs)]
print("ready", len(idle), flush=True)
rng = random.Random(9)
period = 1.0 / rate
next_at = time.monotonic()
spawned = 0
while not os.path.exists(stop):
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
    now = time.monotonic()
    if now < next_at:
        time.sleep(min(next_at - now, 0.02))
        continue
    os.posix_spawn(SLEEP, ["sleep", "%.3f" % rng.uniform(0.1, 0.9)], os.environ)
    spawned += 1
    next_at += period
    if now - next_at > 1.0:
        next_at = now
for pid in idle:
    os.kill(pid, 9)
print("done", spawned, flush=True)
