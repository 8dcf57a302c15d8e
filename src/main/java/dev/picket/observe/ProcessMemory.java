package dev.picket.observe;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Reads another process's memory with libc's {@code process_vm_readv(2)}, which the kernel allows under
 * PTRACE_MODE_ATTACH alone: CAP_SYS_PTRACE is enough for a process of another UID. The scanner uses it for the
 * environment block (between {@code env_start} and {@code env_end} of /proc/PID/stat) when /proc/PID/environ is
 * denied: that file is mode 0400 of the process's owner, and the kernel checks the mode before ptrace access, so
 * a sidecar of another UID with CAP_SYS_PTRACE (and without CAP_DAC_READ_SEARCH) could not open it.
 *
 * <p>The JDK has no such call, so this goes through the Foreign Function and Memory API. Where that is unavailable
 * (a JVM without native access, a seccomp profile refusing the call), {@link #UNAVAILABLE} says why and the
 * environment of such a process stays unread, reported as before.
 *
 * <p>Not thread-safe; one instance per scanner.
 */
final class ProcessMemory {

    static final int EPERM = 1;
    static final int ESRCH = 3;
    static final int EFAULT = 14;
    /** Bytes copied per call, the size of the native buffer. */
    static final int CHUNK = 64 << 10;

    private static final MethodHandle PROCESS_VM_READV;
    private static final StructLayout CAPTURE;
    private static final VarHandle ERRNO;
    /** Why process_vm_readv cannot be called in this JVM, or null when it can. */
    static final String UNAVAILABLE;

    static {
        MethodHandle readv = null;
        StructLayout capture = null;
        VarHandle errno = null;
        String why = null;
        try {
            Linker linker = Linker.nativeLinker();
            // ssize_t process_vm_readv(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
            //                          const struct iovec *remote_iov, unsigned long riovcnt, unsigned long flags)
            readv = linker.downcallHandle(linker.defaultLookup().find("process_vm_readv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.captureCallState("errno"));
            capture = Linker.Option.captureStateLayout();
            errno = capture.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        } catch (Throwable t) {
            why = String.valueOf(t);
            readv = null;
        }
        PROCESS_VM_READV = readv;
        CAPTURE = capture;
        ERRNO = errno;
        UNAVAILABLE = why;
    }

    /** The outcome of one read: bytes copied, or why none were. */
    enum Outcome {
        /** Some or all bytes were copied (a short count is the end of what is mapped). */
        READ,
        /** EPERM: no ptrace attach access (no CAP_SYS_PTRACE, another user namespace, Yama). */
        DENIED,
        /** ESRCH: the process exited. */
        VANISHED,
        /** EFAULT or another error: the range is not (or no longer, after an exec) mapped. */
        UNMAPPED
    }

    private final MemorySegment buffer;
    /** struct iovec local, then struct iovec remote: {base, len} each. */
    private final MemorySegment iovecs;
    private final MemorySegment remote;
    private final MemorySegment state;
    /** Bytes the last {@link #read} copied. */
    int count;

    private ProcessMemory() {
        Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(CHUNK, 8);
        this.iovecs = arena.allocate(32, 8);
        this.remote = iovecs.asSlice(16);
        this.state = arena.allocate(CAPTURE);
    }

    /** A reader, or null when process_vm_readv cannot be called in this JVM. */
    static ProcessMemory open() {
        return UNAVAILABLE == null ? new ProcessMemory() : null;
    }

    /**
     * Copies up to {@code len} (at most {@link #CHUNK}) bytes at {@code address} of process {@code pid} into
     * {@code dst[off..]}; on READ, {@link #count} says how many (possibly fewer than asked, and 0 when nothing was
     * mapped there).
     */
    Outcome read(int pid, long address, byte[] dst, int off, int len) {
        int want = Math.min(len, CHUNK);
        count = 0;
        iovecs.set(ValueLayout.ADDRESS, 0, buffer);
        iovecs.set(ValueLayout.JAVA_LONG, 8, want);
        iovecs.set(ValueLayout.ADDRESS, 16, MemorySegment.ofAddress(address));
        iovecs.set(ValueLayout.JAVA_LONG, 24, want);
        long n;
        try {
            n = (long) PROCESS_VM_READV.invokeExact(state, pid, iovecs, 1L, remote, 1L, 0L);
        } catch (Throwable t) {
            return Outcome.UNMAPPED;
        }
        if (n < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            return errno == EPERM ? Outcome.DENIED : errno == ESRCH ? Outcome.VANISHED : Outcome.UNMAPPED;
        }
        int got = (int) Math.min(n, want);
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, dst, off, got);
        count = got;
        return Outcome.READ;
    }
}
