"""A benign service for the learn -> enforce round trip, running inside a pod sandbox.

It holds a connection to 10.1.2.3:8443 and a connected UDP socket to the resolver 10.1.2.53:53, listens
on 8000, and every half second makes a short request to 10.1.2.3:8443, a DNS lookup with a fresh
socket, and runs a helper process (sleep 0.4), as services run tools. When a trigger file appears it
does one forbidden thing, once:

usage: roundtrip_app.py EXEC_TRIGGER EGRESS_TRIGGER
EXEC_TRIGGER    runs tail -f /dev/null, an executable it never ran while learning
EGRESS_TRIGGER  connects to 10.1.2.4:8443, an address it never talked to while learning
"""
import os
import socket
import struct
import subprocess
import sys
import time

QUERY = struct.pack('!HHHHHH', 0x4242, 0x0100, 1, 0, 0, 0) + b'\x03api\x07example\x03com\x00' + struct.pack('!HH', 1, 1)


def lookup(sock):
    sock.send(QUERY)
    sock.recv(512)


def main():
    exec_trigger, egress_trigger = sys.argv[1], sys.argv[2]
    held = socket.create_connection(('10.1.2.3', 8443), timeout=5)
    resolver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    resolver.settimeout(2)
    resolver.connect(('10.1.2.53', 53))
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('0.0.0.0', 8000))
    listener.listen(16)
    helpers = []
    forbidden = []
    while True:
        with socket.create_connection(('10.1.2.3', 8443), timeout=2) as c:
            c.sendall(b'ping')
        lookup(resolver)
        fresh = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        fresh.settimeout(2)
        fresh.connect(('10.1.2.53', 53))
        lookup(fresh)
        fresh.close()
        helpers = [h for h in helpers if h.poll() is None]
        helpers.append(subprocess.Popen(['sleep', '0.4']))
        if os.path.exists(exec_trigger) and not any(f == 'exec' for f, _ in forbidden):
            forbidden.append(('exec', subprocess.Popen(['tail', '-f', '/dev/null'])))
        if os.path.exists(egress_trigger) and not any(f == 'egress' for f, _ in forbidden):
            forbidden.append(('egress', socket.create_connection(('10.1.2.4', 8443), timeout=5)))
        time.sleep(0.5)


if __name__ == '__main__':
    main()
