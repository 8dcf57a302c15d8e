"""Servers inside a test network namespace, standing in for the hosts a workload talks to.

usage: servers.py READY_FILE [tcp:PORT | dns:PORT ...]

tcp:PORT  accepts TCP on every address (IPv4 and IPv6) and keeps each connection open
dns:PORT  a DNS stub on UDP and TCP: answers every A query with 10.1.2.3
READY_FILE is created once every socket is bound.
"""
import os
import selectors
import socket
import struct
import sys


def listener(kind, port):
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('::', port))
    if kind == socket.SOCK_STREAM:
        s.listen(64)
    s.setblocking(False)
    return s


def answer(query):
    """A response to a standard query: the question, then one A record pointing back at it."""
    if len(query) < 12:
        return None
    ident, _flags, qd = struct.unpack('!HHH', query[:6])
    end = 12
    while end < len(query) and query[end] != 0:
        end += query[end] + 1
    question = query[12:end + 5]
    header = struct.pack('!HHHHHH', ident, 0x8180, qd, 1, 0, 0)
    record = struct.pack('!HHHLH', 0xC00C, 1, 1, 60, 4) + socket.inet_aton('10.1.2.3')
    return header + question + record


def main():
    ready = sys.argv[1]
    sel = selectors.DefaultSelector()
    held = []
    for spec in sys.argv[2:]:
        kind, port = spec.split(':')
        port = int(port)
        if kind == 'tcp':
            sel.register(listener(socket.SOCK_STREAM, port), selectors.EVENT_READ, 'accept')
        elif kind == 'dns':
            sel.register(listener(socket.SOCK_DGRAM, port), selectors.EVENT_READ, 'dns-udp')
            sel.register(listener(socket.SOCK_STREAM, port), selectors.EVENT_READ, 'accept-dns')
    open(ready, 'w').close()
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if key.data in ('accept', 'accept-dns'):
                try:
                    c, _ = s.accept()
                except BlockingIOError:
                    continue
                c.setblocking(False)
                held.append(c)
                sel.register(c, selectors.EVENT_READ, 'dns-tcp' if key.data == 'accept-dns' else 'drain')
            elif key.data == 'dns-udp':
                data, peer = s.recvfrom(4096)
                reply = answer(data)
                if reply:
                    s.sendto(reply, peer)
            else:
                try:
                    data = s.recv(4096)
                except (BlockingIOError, ConnectionError):
                    continue
                if not data:
                    sel.unregister(s)
                    s.close()
                    held.remove(s)
                elif key.data == 'dns-tcp' and len(data) > 2:
                    reply = answer(data[2:])
                    if reply:
                        s.sendall(struct.pack('!H', len(reply)) + reply)


if __name__ == '__main__':
    main()
