#!/bin/bash
# Records the /proc samples the parser tests read. Run as root on Linux from this directory;
# the files are kept as captured so the tests see what a kernel really writes.
set -euo pipefail
out=$(pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; pkill -f "sleep 600"; rm -rf "$work"' EXIT

# a comm with spaces and parentheses (15 bytes is the kernel's limit)
cp /bin/sleep "$work/a) (b c) d"
"$work/a) (b c) d" 600 &
hostile=$!
# non-UTF-8 bytes and a control character in argv
python3 -c 'import os; os.execv("/bin/sh", [b"sh", b"-c", b"sleep 600; true", b"\xff\xfe-bad", b"line\nbreak"])' &
nonutf=$!
# an argv of 200 000 bytes
python3 -c 'import os; os.execv("/bin/sh", ["sh", "-c", "sleep 600; true"] + ["x" * 999] * 200)' &
huge=$!
sleep 0.5
cat /proc/$hostile/stat > stat-hostile-comm
cat /proc/$hostile/status > status-hostile-comm
cat /proc/$nonutf/cmdline > cmdline-non-utf8
cat /proc/$huge/cmdline > cmdline-huge
cat /proc/self/stat > stat-self
cat /proc/self/status > status-self

# socket tables of a namespace with known sockets
unshare --net python3 - "$out" <<'PY'
import os, socket, subprocess, sys, time
out = sys.argv[1]
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
subprocess.run(["ip", "addr", "add", "fd00::1/64", "dev", "lo"], check=True)
l4 = socket.socket(); l4.bind(("127.0.0.1", 8000)); l4.listen()
l6 = socket.socket(socket.AF_INET6); l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); l6.bind(("::", 9000)); l6.listen()
c4 = socket.create_connection(("127.0.0.1", 8000), source_address=("127.0.0.1", 40000)); a4, _ = l4.accept()
c6 = socket.create_connection(("::ffff:127.0.0.1", 9000)); a6, _ = l6.accept()
c66 = socket.create_connection(("fd00::1", 9000)); a66, _ = l6.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5353))
uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); uc.connect(("127.0.0.1", 53))
us = socket.socket(socket.AF_UNIX); us.bind("/tmp/picket-sample.sock"); us.listen()
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
pkt = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
time.sleep(0.2)
for name in ["tcp", "tcp6", "udp", "udp6", "raw", "packet", "unix"]:
    with open(f"/proc/self/net/{name}", "rb") as src, open(f"{out}/net-{name}", "wb") as dst:
        dst.write(src.read())
os.unlink("/tmp/picket-sample.sock")
PY
echo captured
