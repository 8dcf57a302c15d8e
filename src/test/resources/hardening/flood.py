"""A neighbour flooding /proc: PROCS sleeping processes, SOCKETS sockets (TCP connections over loopback and UDP
sockets), then it waits for its stop file and cleans up. Prints "ready" once everything is open.

usage: flood.py PROCS SOCKETS STOP_FILE
"""
import os
import resource
import socket
import subprocess
import sys
import time

procs, sockets, stop = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
children = [subprocess.Popen(["sleep", "600.125"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, close_fds=True) for _ in range(procs)]
held = []
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(4096)
held.append(server)
pairs = sockets // 3
for _ in range(pairs):
    c = socket.create_connection(server.getsockname())
    s, _ = server.accept()
    held += [c, s]
while len(held) < sockets:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    held.append(u)
print("ready", len(children), len(held), flush=True)
while not os.path.exists(stop):
    time.sleep(0.1)
for c in children:
    c.kill()
for c in children:
    c.wait()
