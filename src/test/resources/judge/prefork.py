"""A pre-forking server (the gunicorn/Apache prefork shape): a master keeps WORKERS forked workers on
one listening socket; each serves MAX_REQUESTS requests and exits, and the master forks a replacement.
No exec: every worker is the master's program image.

usage: prefork.py READY_FILE   (the port is written to READY_FILE once listening)
"""
import os
import socket
import sys

WORKERS = 3
MAX_REQUESTS = 4


def serve(listener):
    for _ in range(MAX_REQUESTS):
        conn, _ = listener.accept()
        conn.recv(1024)
        conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok')
        conn.close()
    os._exit(0)


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', 0))
    listener.listen(64)
    with open(sys.argv[1] + '.tmp', 'w') as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(sys.argv[1] + '.tmp', sys.argv[1])
    workers = set()
    while True:
        while len(workers) < WORKERS:
            pid = os.fork()
            if pid == 0:
                serve(listener)
            workers.add(pid)
        pid, _ = os.wait()
        workers.discard(pid)


if __name__ == '__main__':
    main()
