"""What a neighbour (another UID, no capabilities) tries against Picket. Prints one JSON object:
for each attempt, "ok" if it worked, else the errno name it failed with.

usage: tamper.py PICKET_PID STATE_DIR JAR [--signal-0-only]

With --signal-0-only (root with the runtimes' default capabilities, CAP_KILL and CAP_DAC_OVERRIDE among them)
no real signal is sent: kill(pid, 0) checks the permission without harming Picket. Such an attacker is also not
sent at the state directory and the jar by their own paths: in a pod they are in Picket's container, another
mount namespace, while the test sandbox shares one, where root's CAP_DAC_OVERRIDE would really overwrite the jar
every later test starts. It tries them through /proc/PID/root, the only way into Picket's files from a pod.
"""
import ctypes
import errno
import json
import os
import signal
import sys

pid, state, jar = int(sys.argv[1]), sys.argv[2], sys.argv[3]
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
out = {}


def attempt(name, fn):
    try:
        fn()
        out[name] = "ok"
    except OSError as e:
        out[name] = errno.errorcode.get(e.errno, str(e.errno))


def ptrace(request):
    def call():
        if libc.ptrace(request, pid, None, None) == -1:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
    return call


def read(path):
    return lambda: open(path, "rb").read(1)


def open_for_writing(path):
    """The permission check alone: the file is opened for appending and closed unchanged, never damaged."""
    return lambda: open(path, "ab").close()


def write(path):
    def call():
        with open(path, "ab") as f:
            f.write(b"{}")
    return call


out["uid"] = os.getuid()
out["capEff"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]
if "--signal-0-only" in sys.argv:
    attempt("kill 0", lambda: os.kill(pid, 0))
else:
    for sig in ("SIGKILL", "SIGSTOP", "SIGTERM", "SIGINT", "SIGQUIT"):
        attempt("kill " + sig, lambda s=sig: os.kill(pid, getattr(signal, s)))
attempt("ptrace attach", ptrace(PTRACE_ATTACH))
attempt("ptrace seize", ptrace(PTRACE_SEIZE))
attempt("read /proc/pid/mem", read("/proc/%d/mem" % pid))
attempt("read /proc/pid/environ", read("/proc/%d/environ" % pid))
attempt("list /proc/pid/fd", lambda: os.listdir("/proc/%d/fd" % pid))
attempt("read token via /proc/pid/root", read("/proc/%d/root%s/control-token" % (pid, state)))
if "--signal-0-only" in sys.argv:
    attempt("write the jar via /proc/pid/root", open_for_writing("/proc/%d/root%s" % (pid, jar)))
    attempt("list state dir via /proc/pid/root", lambda: os.listdir("/proc/%d/root%s" % (pid, state)))
    print(json.dumps(out))
    sys.exit(0)
attempt("read token", read(state + "/control-token"))
attempt("list state dir", lambda: os.listdir(state))
attempt("write quarantine.json", write(state + "/quarantine.json"))
attempt("create a file in the state dir", write(state + "/planted"))
attempt("replace the token", lambda: os.rename("/tmp/.picket-tamper-" + str(os.getpid()), state + "/control-token"))
attempt("remove the state dir", lambda: os.rmdir(state))
attempt("write the jar", open_for_writing(jar))
attempt("write the jar's directory", write(os.path.join(os.path.dirname(jar), "planted.jar")))
print(json.dumps(out))
