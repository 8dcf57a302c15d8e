"""A server that reloads by re-executing its own binary (the nginx/HAProxy/Go-graceful-restart shape):
the same pid execs the same program again every PERIOD seconds, handing the listening socket over.

usage: reexec.py READY_FILE [FD RELOADS]   (the port is written to READY_FILE once listening; FD and
RELOADS are what a reload passes to the next program image)
"""
import os
import socket
import sys
import time

PERIOD = 0.6


def main():
    ready = sys.argv[1]
    if len(sys.argv) > 2:
        listener = socket.socket(fileno=int(sys.argv[2]))
        reloads = int(sys.argv[3])
    else:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', 0))
        listener.listen(64)
        reloads = 0
        with open(ready + '.tmp', 'w') as f:
            f.write(str(listener.getsockname()[1]))
        os.rename(ready + '.tmp', ready)
    listener.set_inheritable(True)
    listener.settimeout(0.05)
    deadline = time.monotonic() + PERIOD
    while time.monotonic() < deadline:
        try:
            conn, _ = listener.accept()
            conn.close()
        except socket.timeout:
            pass
    os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), ready, str(listener.fileno()), str(reloads + 1)])


if __name__ == '__main__':
    main()
