"""A workload's client side: opens connections and keeps them open, so every scan sees them.

usage: client.py READY_FILE TARGET... [-- MARKER]

tcp:HOST:PORT   a TCP connection
udp:HOST:PORT   a connected UDP socket that has sent one datagram
dns:HOST:PORT   a DNS lookup over a connected UDP socket, answered before going on (the socket stays open)
tcpdns:HOST:PORT  the same lookup over TCP
HOST may be an IPv6 literal in brackets. READY_FILE is created once every connection is made (and every
lookup answered); the process then sleeps until killed.
"""
import socket
import struct
import sys
import time

QUERY = struct.pack('!HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + b'\x03api\x07example\x03com\x00' + struct.pack('!HH', 1, 1)


def split(target):
    kind, rest = target.split(':', 1)
    host, port = rest.rsplit(':', 1)
    return kind, host.strip('[]'), int(port)


def open_one(target):
    kind, host, port = split(target)
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    if kind == 'tcp':
        return socket.create_connection((host, port), timeout=5)
    if kind in ('udp', 'dns'):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.connect((host, port))
        s.send(QUERY if kind == 'dns' else b'hello')
        if kind == 'dns':
            s.settimeout(5)
            reply = s.recv(512)
            assert reply[:2] == QUERY[:2] and reply[7] == 1, 'no answer from the resolver'
        return s
    if kind == 'tcpdns':
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(struct.pack('!H', len(QUERY)) + QUERY)
        s.settimeout(5)
        assert len(s.recv(512)) > 2, 'no answer from the resolver over TCP'
        return s
    raise SystemExit('unknown target ' + target)


def main():
    args = sys.argv[1:]
    if '--' in args:
        args = args[:args.index('--')]
    ready, targets = args[0], args[1:]
    held = [open_one(t) for t in targets]
    open(ready, 'w').close()
    while True:
        time.sleep(3600)


if __name__ == '__main__':
    main()
