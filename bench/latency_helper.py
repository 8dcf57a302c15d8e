"""The connecting side of the detection-latency benchmark, run inside the sandbox as an allowed program.

    python3 latency_helper.py ADDRESS FIRST_PORT COUNT

Listens on ADDRESS:FIRST_PORT .. FIRST_PORT+COUNT-1 (ADDRESS is a non-loopback address on the sandbox's
loopback device, so a connection to it is egress to Picket), prints "ready", then for each line
"connect PORT" on stdin opens a connection to ADDRESS:PORT, keeps it open and prints "ok". Every trial
uses its own port, so every trial is a new connection and a new violation.
"""
import socket
import sys

address = sys.argv[1]
first = int(sys.argv[2])
count = int(sys.argv[3])

listeners = []
for port in range(first, first + count):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((address, port))
    l.listen(8)
    listeners.append(l)
print("ready", flush=True)

held = []
for line in sys.stdin:
    words = line.split()
    if len(words) == 2 and words[0] == "connect":
        c = socket.create_connection((address, int(words[1])))
        held.append(c)
        print("ok", flush=True)
