"""A benchmark neighbour: N idle processes and M established loopback TCP connections plus listeners.

Run inside the benchmark sandbox:

    python3 workload.py N M READY_FILE [CHURN_FILE RATE]

The client ends are spread over holder processes of at most 4 000 connections each (so no process needs
more descriptors than common limits allow); this process keeps the listeners and the accepted ends.
Writes the ready file once everything exists, then holds it all.

With CHURN_FILE and RATE, a churn process (forked first, so it holds none of the sockets) starts RATE
short-lived processes per second while CHURN_FILE exists: each is `sleep` for a random 0.2-1.8 s, so at
a 1 s scan interval a scan sees about RATE processes it has never seen before, and the PID namespace's
fork counter moves by RATE per second. Arrivals follow a fixed schedule (not "sleep after each spawn"),
so the rate holds even when spawning is slow.
"""
import os
import random
import resource
import socket
import sys
import time

processes = int(sys.argv[1])
connections = int(sys.argv[2])
ready = sys.argv[3]
churn_file = sys.argv[4] if len(sys.argv) > 5 else None
churn_rate = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
PER_HOLDER = 4000
SLEEP = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"


def churn():
    """Runs in its own process: RATE spawns per second while the churn file exists, reaping as it goes."""
    rng = random.Random(8)
    period = 1.0 / churn_rate
    next_at = time.monotonic()
    while True:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if not os.path.exists(churn_file):
            time.sleep(0.05)
            next_at = time.monotonic()
            continue
        now = time.monotonic()
        if now < next_at:
            time.sleep(min(next_at - now, 0.05))
            continue
        life = "%.3f" % rng.uniform(0.2, 1.8)
        os.posix_spawn(SLEEP, ["sleep", life], os.environ)
        next_at += period
        if now - next_at > 1.0:
            next_at = now  # fell more than a second behind: do not burst to catch up


spawned = 1
if churn_file:
    if os.fork() == 0:
        churn()
    spawned += 1

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
want = connections + PER_HOLDER + 1024
if soft != resource.RLIM_INFINITY and soft < want:
    if hard != resource.RLIM_INFINITY and hard < want:
        sys.exit("need %d open files, the hard limit is %d: raise it (ulimit -Hn)" % (want, hard))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

listeners = []
for port in (8000, 8443, 9090):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("127.0.0.1", port))
    l.listen(4096)
    listeners.append(l)
server = listeners[0]

accepted = []
remaining = connections
while remaining > 0:
    batch = min(PER_HOLDER, remaining)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        # the accepted ends belong to this server process, not to the holders
        for s in accepted + listeners:
            s.close()
        held = []
        for i in range(batch):
            c = socket.socket()
            c.connect(("127.0.0.1", 8000))
            held.append(c)
        os.write(w, b"x")
        while True:
            time.sleep(3600)
    os.close(w)
    for i in range(batch):
        a, _ = server.accept()
        accepted.append(a)
    os.read(r, 1)
    os.close(r)
    spawned += 1
    remaining -= batch

for i in range(max(0, processes - spawned)):
    if os.fork() == 0:
        os.execv(SLEEP, ["sleep", "100000"])

with open(ready + ".tmp", "w") as f:
    f.write("%d %d\n" % (processes, connections))
os.rename(ready + ".tmp", ready)
while True:
    time.sleep(3600)
