package dev.picket.observe;

import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the watched processes and their sockets from procfs, incrementally.
 *
 * <p>Every scan reads each process's stat through a handle kept open between scans (one pread, no
 * open/close). A process seen for the first time, or whose exec signature changed, gets a full read
 * (status, exe, cmdline, environment markers, namespaces, fds, I/O); a known one gets that deep read only
 * every {@link ScannerSettings#deepEvery()} scans. Socket tables are read once per network namespace,
 * and a socket's owner is searched for only when its inode is new.
 *
 * <p>Not thread-safe: one scan at a time.
 */
public final class ProcScanner implements AutoCloseable {

    /** USER_HZ: the unit of stat's CPU times; 100 on every Linux architecture Picket ships for. */
    static final long CLK_TCK = 100;
    private static final Path SELF_FD = Path.of("/proc/self/fd");
    private static final Path REAL_PROC = Path.of("/proc");

    private final ScannerSettings settings;
    private final Path root;
    private final Clock clock;
    private final Map<Integer, TrackedProcess> tracked = new HashMap<>();
    private final byte[] small = new byte[8192];
    private final byte[] argvBuf;
    private final byte[] scratch = new byte[64 << 10];
    private final GrowingBuffer table = new GrowingBuffer();
    private final Map<Long, SocketTables> tablesByNetns = new HashMap<>();
    private final Map<Long, Integer> inodeOwner = new HashMap<>();
    /** Local port and remote of Picket's own connections, to recognise their TIME_WAIT remnants. */
    private final Map<SelfEndpoint, Long> selfEndpoints = new HashMap<>();
    /** The pids in scope this scan, reused between scans. */
    private final BitSet scopePids = new BitSet();
    private static final long SELF_ENDPOINT_MEMORY_SCANS = 600;
    /** A socket no watched process owned is looked for again after this many scans (fds may have moved). */
    private static final long FOREIGN_RECHECK_SCANS = 16;
    private int lastRowCount;
    private final long pageSize;
    private final long bootMillis;
    private final long pidMax;
    private final int selfPid;
    private final List<String> effectiveCapabilities;
    private final ForkCount.Source forkSource;
    private final Namespaces selfNamespaces;
    private final Map<Long, List<RuntimeSocket>> runtimeSocketsByMnt = new HashMap<>();
    private final Map<Long, SystemPreload> preloadsByMnt = new HashMap<>();
    private long sequence;
    private long lastPidCounter = -1;
    private long forksTotal;
    private int handlesOpen;
    private int rootPid;
    private long rootStartTicks = -1;
    private long lastScanNanos;
    private long ownerNanos;
    /** TCP and unix tables of Picket's own network namespace by netlink; null where it cannot be used. */
    private final NetlinkSockets netlink = NetlinkSockets.open();
    private final NetlinkSockets.Backoff netlinkTcp = new NetlinkSockets.Backoff();
    private final NetlinkSockets.Backoff netlinkUnix = new NetlinkSockets.Backoff();
    /** The last scan that read the unix sockets of Picket's own namespace from procfs though netlink was expected. */
    private long unixFromProcScan = -1;
    /** Why netlink gave no unix table then. */
    private String unixFromProcWhy;

    public ProcScanner(ScannerSettings settings, Clock clock) {
        this.settings = settings;
        this.root = settings.procRoot();
        this.clock = clock;
        this.argvBuf = new byte[Math.max(256, settings.maxArgvBytes()) + 1];
        this.rootPid = settings.rootPid();
        this.pageSize = SelfInfo.pageSize();
        this.bootMillis = SelfInfo.bootMillis(root);
        this.pidMax = SelfInfo.pidMax(root);
        this.selfPid = SelfInfo.selfPidIn(root);
        this.effectiveCapabilities = SelfInfo.effectiveCapabilities();
        this.selfNamespaces = SelfInfo.namespaces();
        this.forkSource = settings.kind() == WatchScope.Kind.POD && selfPid > 0
                ? ForkCount.Source.PID_NAMESPACE : ForkCount.Source.OBSERVED;
    }

    /** The pid of the command in COMMAND mode, known only once it was started. */
    public void setRootPid(int pid) {
        this.rootPid = pid;
        this.rootStartTicks = -1;
    }

    public Snapshot scan() {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        sequence++;
        Map<Integer, TrackedProcess> alive = readAllStats(now);
        long tStats = System.nanoTime();
        WatchScope scope = scope(alive);
        Set<Integer> inScope = resolveScope(alive);
        int newInScope = 0;
        List<TrackedProcess> scoped = new ArrayList<>(inScope.size());
        for (TrackedProcess t : alive.values()) {
            boolean wasInScope = t.inScope;
            t.inScope = inScope.contains(t.pid);
            if (!t.inScope) {
                continue;
            }
            if (!wasInScope && !t.detailed) {
                newInScope++;
            }
            refreshDetails(t);
            updateCpu(t, t0);
            scoped.add(t);
        }
        scoped.sort(Comparator.comparingInt(t -> t.pid));
        long tDetails = System.nanoTime();
        ownerNanos = 0;
        long[] stdioInodes = new long[16];
        int stdioCount = 0;
        for (TrackedProcess t : scoped) {
            for (long inode : t.stdioInodes) {
                if (inode != 0) {
                    if (stdioCount == stdioInodes.length) {
                        stdioInodes = Arrays.copyOf(stdioInodes, stdioCount * 2);
                    }
                    stdioInodes[stdioCount++] = inode;
                }
            }
        }
        stdioInodes = Arrays.copyOf(stdioInodes, stdioCount);
        Arrays.sort(stdioInodes);
        SocketView sockets = readSockets(scoped, stdioInodes);
        long tSockets = System.nanoTime();
        List<RuntimeSocket> runtimeSockets = findRuntimeSockets(scoped);
        long forks = countForks(newInScope);
        List<ProcessSample> processes = new ArrayList<>(scoped.size());
        Map<String, Integer> unavailable = new TreeMap<>();
        int threads = 0;
        int fds = 0;
        double cpu = 0;
        long rss = 0;
        for (TrackedProcess t : scoped) {
            ProcessSample p = sample(t, sockets.byInode);
            processes.add(p);
            threads += Math.max(0, p.threads());
            fds += Math.max(0, p.openFds());
            cpu += p.cpuCores();
            rss += Math.max(0, p.rssBytes());
            for (Map.Entry<String, String> e : t.unavailable.entrySet()) {
                unavailable.merge(e.getKey() + ": " + e.getValue(), 1, Integer::sum);
            }
        }
        lastScanNanos = t0;
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        return new Snapshot(sequence, now, took, scope, List.copyOf(processes), sockets.listeners, sockets.outbound,
                sockets.inbound, sockets.raw, sockets.unix, runtimeSockets, List.copyOf(preloadsByMnt.values()),
                new Totals(processes.size(), threads, fds, round(cpu), rss),
                new ForkCount(forks, forksTotal, forkSource),
                new Visibility(effectiveCapabilities, unavailable, notes(unavailable)), selfNamespaces,
                new ScanTimings(ms(tStats - t0), ms(tDetails - tStats), ms(tSockets - tDetails - ownerNanos),
                        ms(ownerNanos)));
    }

    // ---- processes -------------------------------------------------------------------------------

    private Map<Integer, TrackedProcess> readAllStats(Instant now) {
        String[] names = root.toFile().list();
        Map<Integer, TrackedProcess> alive = new HashMap<>(names == null ? 16 : names.length * 2);
        if (names == null) {
            names = new String[0];
        }
        for (String name : names) {
            if (!ProcFiles.isPid(name)) {
                continue;
            }
            int pid = Integer.parseInt(name);
            TrackedProcess t = tracked.get(pid);
            StatFields st = null;
            if (t != null) {
                st = rereadStat(t);
                if (st == null || st.startTicks() != t.startTicks) {
                    // exited, or the pid now names another process: never carry state across
                    forget(t);
                    t = null;
                    st = null;
                }
            }
            if (t == null) {
                FileChannel channel = openStat(pid);
                st = channel != null ? preadStat(channel) : readStatOnce(pid);
                if (st == null) {
                    closeQuietly(channel);
                    continue;
                }
                t = new TrackedProcess(pid, st.startTicks(), now);
                t.statChannel = channel;
                if (channel != null) {
                    handlesOpen++;
                }
                t.execSignature = st.execSignature();
                tracked.put(pid, t);
            }
            t.stat = st;
            alive.put(pid, t);
        }
        for (Iterator<TrackedProcess> it = tracked.values().iterator(); it.hasNext(); ) {
            TrackedProcess t = it.next();
            if (!alive.containsKey(t.pid)) {
                it.remove();
                release(t);
            }
        }
        return alive;
    }

    private void forget(TrackedProcess t) {
        tracked.remove(t.pid);
        release(t);
    }

    private void release(TrackedProcess t) {
        for (long inode : t.socketInodes) {
            inodeOwner.remove(inode, t.pid);
        }
        if (t.statChannel != null) {
            handlesOpen--;
        }
        t.close();
    }

    private FileChannel openStat(int pid) {
        if (handlesOpen >= settings.maxHandles()) {
            return null;
        }
        try {
            return FileChannel.open(root.resolve(Integer.toString(pid)).resolve("stat"));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Re-reads a known process's stat. An idle process's stat does not change between scans (its CPU times,
     * memory and state stay the same), so when the bytes equal the last read the last parse is kept: no
     * parse, no allocation.
     */
    private StatFields rereadStat(TrackedProcess t) {
        int len;
        try {
            len = t.statChannel != null ? ProcFiles.pread(t.statChannel, small)
                    : ProcFiles.read(root.resolve(Integer.toString(t.pid)).resolve("stat"), small);
        } catch (ProcFiles.ReadFailure e) {
            return null;
        }
        if (len > 0 && t.stat != null && t.statBytes != null && Arrays.equals(small, 0, len, t.statBytes, 0, t.statBytes.length)) {
            return t.stat;
        }
        StatFields st = parseStat(len);
        t.statBytes = st != null ? Arrays.copyOf(small, len) : null;
        return st;
    }

    private StatFields preadStat(FileChannel channel) {
        try {
            return parseStat(ProcFiles.pread(channel, small));
        } catch (ProcFiles.ReadFailure e) {
            return null;
        }
    }

    private StatFields readStatOnce(int pid) {
        try {
            return parseStat(ProcFiles.read(root.resolve(Integer.toString(pid)).resolve("stat"), small));
        } catch (ProcFiles.ReadFailure e) {
            return null;
        }
    }

    private StatFields parseStat(int len) {
        try {
            return len > 0 ? StatParser.parse(small, len) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (java.io.IOException ignored) {
                // nothing was read through it
            }
        }
    }

    private WatchScope scope(Map<Integer, TrackedProcess> alive) {
        Integer self = selfPid > 0 ? selfPid : null;
        return switch (settings.kind()) {
            case POD -> {
                List<Integer> ancestors = ancestors(alive);
                yield new WatchScope(WatchScope.Kind.POD, null, null, self, ancestors,
                        self == null
                                ? "every process of the PID namespace under " + root + " (Picket is outside it)"
                                : "every process of Picket's PID namespace except Picket (pid " + self
                                        + "), its ancestors " + ancestors + " and its children");
            }
            case ROOT_PID -> new WatchScope(WatchScope.Kind.ROOT_PID, rootPid, null, self, null,
                    "process " + rootPid + " and its descendants");
            case COMMAND -> new WatchScope(WatchScope.Kind.COMMAND, rootPid > 0 ? rootPid : null, settings.command(),
                    self, null, "the command '" + settings.command() + "' (pid " + rootPid + ") and its descendants");
        };
    }

    private List<Integer> ancestors(Map<Integer, TrackedProcess> alive) {
        List<Integer> out = new ArrayList<>();
        if (selfPid <= 0) {
            return out;
        }
        TrackedProcess self = alive.get(selfPid);
        int guard = 0;
        while (self != null && self.stat.ppid() > 0 && guard++ < 4096) {
            out.add(self.stat.ppid());
            self = alive.get(self.stat.ppid());
        }
        return out;
    }

    private Set<Integer> resolveScope(Map<Integer, TrackedProcess> alive) {
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (TrackedProcess t : alive.values()) {
            children.computeIfAbsent(t.stat.ppid(), k -> new ArrayList<>(2)).add(t.pid);
        }
        Set<Integer> scope = new HashSet<>();
        if (settings.kind() == WatchScope.Kind.POD) {
            Set<Integer> excluded = new HashSet<>(ancestors(alive));
            if (selfPid > 0 && alive.containsKey(selfPid)) {
                excluded.addAll(descendants(List.of(selfPid), children, alive));
            }
            for (Integer pid : alive.keySet()) {
                if (!excluded.contains(pid)) {
                    scope.add(pid);
                }
            }
            return scope;
        }
        List<Integer> seeds = new ArrayList<>();
        TrackedProcess rootProcess = rootPid > 0 ? alive.get(rootPid) : null;
        if (rootProcess != null) {
            if (rootStartTicks < 0) {
                rootStartTicks = rootProcess.startTicks;
            }
            if (rootProcess.startTicks == rootStartTicks) {
                seeds.add(rootPid);
            }
        }
        // a process once in scope stays there when it is re-parented (a daemon's double fork)
        for (TrackedProcess t : alive.values()) {
            if (t.inScope && t.pid != selfPid) {
                seeds.add(t.pid);
            }
        }
        scope.addAll(descendants(seeds, children, alive));
        scope.remove(selfPid);
        return scope;
    }

    private static Set<Integer> descendants(List<Integer> seeds, Map<Integer, List<Integer>> children,
            Map<Integer, TrackedProcess> alive) {
        Set<Integer> out = new HashSet<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(seeds);
        while (!queue.isEmpty()) {
            Integer pid = queue.poll();
            if (!alive.containsKey(pid) || !out.add(pid)) {
                continue;
            }
            List<Integer> c = children.get(pid);
            if (c != null) {
                queue.addAll(c);
            }
        }
        return out;
    }

    private void refreshDetails(TrackedProcess t) {
        boolean exec = t.detailed && t.stat.execSignature() != t.execSignature;
        if (!t.detailed || exec) {
            if (exec) {
                t.execCount++;
                t.fdsDenied = false;
                t.fdDirDenied = false;
            }
            // an exec can land between the stat read and the others (comm of the old program, exe of the new):
            // read again until stat says the image did not change meanwhile, at most twice more
            for (int attempt = 0; attempt < 3; attempt++) {
                t.execSignature = t.stat.execSignature();
                t.unavailable.clear();
                readStatus(t);
                readExe(t);
                readArgv(t);
                readEnv(t);
                readNamespaces(t);
                readFds(t);
                readIo(t);
                StatFields after = rereadStat(t);
                if (after == null || after.startTicks() != t.startTicks || after.execSignature() == t.execSignature) {
                    break;
                }
                t.stat = after;
            }
            t.detailed = true;
            return;
        }
        int every = Math.max(1, settings.deepEvery());
        if ((sequence + t.pid) % every == 0) {
            readStatus(t);
            readNamespaces(t);
            countFds(t);
            readIo(t);
        }
    }

    private Path dir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    private void missing(TrackedProcess t, String field, ProcFiles.ReadFailure f) {
        t.unavailable.put(field, f.failure == ProcFiles.Failure.DENIED ? "permission"
                : f.failure == ProcFiles.Failure.VANISHED ? "vanished" : "unreadable");
    }

    private void readStatus(TrackedProcess t) {
        try {
            int n = ProcFiles.read(dir(t.pid).resolve("status"), small);
            t.status = StatusParser.parse(small, n);
            t.unavailable.remove("status");
        } catch (ProcFiles.ReadFailure e) {
            missing(t, "status", e);
        }
    }

    private void readExe(TrackedProcess t) {
        try {
            t.exe = Executable.of(ProcFiles.readLink(dir(t.pid).resolve("exe")));
        } catch (ProcFiles.ReadFailure e) {
            t.exe = null;
            missing(t, "exe", e);
        }
    }

    private void readArgv(TrackedProcess t) {
        try {
            int n = ProcFiles.read(dir(t.pid).resolve("cmdline"), argvBuf);
            int limit = argvBuf.length - 1;
            t.argv = Argv.parse(argvBuf, Math.min(n, limit), n > limit);
        } catch (ProcFiles.ReadFailure e) {
            t.argv = Argv.EMPTY;
            missing(t, "argv", e);
        }
    }

    private void readEnv(TrackedProcess t) {
        try {
            t.envMarkers = Set.copyOf(EnvMarkers.scan(dir(t.pid).resolve("environ"), scratch));
        } catch (ProcFiles.ReadFailure e) {
            t.envMarkers = Set.of();
            if (e.failure == ProcFiles.Failure.DENIED) {
                readEnvFromMemory(t, e);
            } else {
                missing(t, "environ", e);
            }
        }
    }

    // ---- where /proc/PID/environ and /proc/PID/fd are denied ---------------------------------------
    //
    // Both are mode 0400/0500 of the process's owner, and the kernel checks the mode before ptrace access: a
    // sidecar of another UID holding CAP_SYS_PTRACE (but not CAP_DAC_READ_SEARCH, which would also open the
    // "shocker" open_by_handle_at escape) cannot open them. The same facts are behind interfaces the kernel guards
    // with ptrace checks only: process_vm_readv for the environment block, /proc/PID/fdinfo (mode 0555) for fds.

    /** process_vm_readv for environments whose environ file is denied; null where it cannot be called. */
    private final ProcessMemory memory = ProcessMemory.open();
    /** The mnt_id of the kernel's one internal sockfs mount; 0 while it is not learned, -1 when it cannot be. */
    private long sockfsMnt;
    /** Why {@link #sockfsMnt} is not known, for the blind-spot note; null once it is. */
    private String sockfsUnknown;
    /** The scan from which learning {@link #sockfsMnt} is tried again after a failure, and the back-off after it. */
    private long sockfsRetryScan;
    private int sockfsBackoff = 1;
    private static final int SOCKFS_MAX_BACKOFF = 64;
    /** Picket's own fd directory, where sockfs is learned; a test points it elsewhere to make learning fail. */
    Path sockfsSelfFd = SELF_FD;
    private static final byte[] FDINFO_MNT_ID = {'m', 'n', 't', '_', 'i', 'd', ':'};
    private static final byte[] FDINFO_INO = {'i', 'n', 'o', ':'};

    /**
     * The environment markers read from the process's memory, between env_start and env_end of its stat (which the
     * kernel shows only with ptrace read access, 0 otherwise). Only through the real /proc: the pids of another
     * procfs (a fixture tree, a host's procfs of another PID namespace) are not the ones process_vm_readv takes, so
     * it would read another process. An environment read only in part, or from a process that exited or whose pid
     * was reused meanwhile (its start time changed), is reported missing rather than kept as if complete.
     */
    private void readEnvFromMemory(TrackedProcess t, ProcFiles.ReadFailure denied) {
        StatFields st = t.stat;
        long start = st.envStart();
        long end = st.envEnd();
        if (start == 0 && end == 0 && (st.state() == 'Z' || st.state() == 'X')) {
            return; // a zombie has no memory and so no environment, as its environ file would say
        }
        if (start > 0 && end == start) {
            return; // an empty environment (env -i): stat alone says so, and there are no markers
        }
        if (memory == null || !root.equals(REAL_PROC) || start <= 0 || end < start) {
            missing(t, "environ", denied); // no ptrace access shows the addresses as 0
            return;
        }
        EnvMarkers.Matcher matcher = new EnvMarkers.Matcher();
        ProcessMemory.Outcome o = readEnvBlock(memory, t.pid, start, Math.min(end, start + EnvMarkers.MAX_BYTES),
                scratch, matcher);
        if (o == ProcessMemory.Outcome.READ && startTicksNow(t) != t.startTicks) {
            o = ProcessMemory.Outcome.VANISHED; // exited, or the pid names another process now
        }
        if (o != ProcessMemory.Outcome.READ) {
            t.unavailable.put("environ", o == ProcessMemory.Outcome.DENIED ? "permission"
                    : o == ProcessMemory.Outcome.VANISHED ? "vanished" : "unreadable");
            return;
        }
        t.envMarkers = Set.copyOf(matcher.finish());
    }

    /**
     * Feeds {@code [start, end)} of process {@code pid}'s memory to {@code matcher} through {@code buf}: READ when
     * all of it was read, otherwise the outcome that cut it short (a short read followed by nothing is UNMAPPED).
     */
    static ProcessMemory.Outcome readEnvBlock(ProcessMemory memory, int pid, long start, long end, byte[] buf,
            EnvMarkers.Matcher matcher) {
        long at = start;
        while (at < end) {
            ProcessMemory.Outcome o = memory.read(pid, at, buf, 0, (int) Math.min(end - at, buf.length));
            if (o != ProcessMemory.Outcome.READ) {
                return o;
            }
            if (memory.count == 0) {
                return ProcessMemory.Outcome.UNMAPPED;
            }
            matcher.feed(buf, 0, memory.count);
            at += memory.count;
        }
        return ProcessMemory.Outcome.READ;
    }

    /** The start time stat gives now for the tracked pid, or -1 when it cannot be read (the process exited). */
    private long startTicksNow(TrackedProcess t) {
        int len;
        try {
            // the open stat handle belongs to the process it was opened for: it fails once that one is gone
            len = t.statChannel != null ? ProcFiles.pread(t.statChannel, small)
                    : ProcFiles.read(dir(t.pid).resolve("stat"), small);
        } catch (ProcFiles.ReadFailure e) {
            return -1;
        }
        StatFields st = parseStat(len);
        return st == null ? -1 : st.startTicks();
    }

    /**
     * The mnt_id that every socket's fdinfo shows: sockets live on the kernel's internal sockfs mount, one for the
     * whole system, so it is learned from a socket of Picket's own whose inode its fdinfo confirms: one it holds
     * anyway (netlink, the HTTP listener), else a probe socket opened for it. -1 while it is unknown: the fdinfo
     * fallback is then not used, since it could not tell sockets from other files. A failure that may pass (out of
     * fds, no socket at hand) is retried on a later scan, after a back-off that doubles up to
     * {@link #SOCKFS_MAX_BACKOFF} scans; a kernel whose fdinfo has no ino line is not asked again.
     */
    long sockfsMnt() {
        if (sockfsMnt != 0) {
            return sockfsMnt;
        }
        if (sequence < sockfsRetryScan) {
            return -1;
        }
        long mnt = learnSockfsMnt();
        if (mnt == 0) {
            sockfsRetryScan = sequence + sockfsBackoff;
            sockfsBackoff = (int) Math.min(SOCKFS_MAX_BACKOFF, sockfsBackoff * 2L);
            return -1;
        }
        sockfsMnt = mnt;
        sockfsUnknown = mnt > 0 ? null : "this kernel's /proc/PID/fdinfo shows no inode to tell sockets apart";
        return sockfsMnt;
    }

    /** mnt_id of sockfs (> 0), 0 when no socket of Picket's could be examined (sets {@link #sockfsUnknown}), -1 when fdinfo lacks the lines. */
    private long learnSockfsMnt() {
        long mnt = sockfsMntOfOwnSockets();
        if (mnt != 0) {
            return mnt;
        }
        try (java.nio.channels.SocketChannel probe = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            return sockfsMntOfOwnSockets();
        } catch (java.io.IOException | RuntimeException e) {
            // out of fds, or a sandbox refusing sockets
            sockfsUnknown = "Picket holds no socket to learn it from and could not open one (" + e + ")";
            return 0;
        }
    }

    /**
     * Looks through {@link #sockfsSelfFd} for a socket whose fdinfo confirms its inode: its mnt_id, 0 when there is
     * none (with the reason in {@link #sockfsUnknown}), -1 when a socket's fdinfo lacks the mnt_id or ino line.
     */
    private long sockfsMntOfOwnSockets() {
        Path selfInfo = sockfsSelfFd.resolveSibling("fdinfo");
        boolean lacksLines = false;
        try {
            for (String name : ProcFiles.list(sockfsSelfFd)) {
                try {
                    long inode = socketInode(ProcFiles.readLink(sockfsSelfFd.resolve(name)));
                    if (inode == 0) {
                        continue;
                    }
                    int n = ProcFiles.read(selfInfo.resolve(name), small);
                    long mnt = fdinfoField(small, n, FDINFO_MNT_ID);
                    long ino = fdinfoField(small, n, FDINFO_INO);
                    if (mnt > 0 && ino == inode) {
                        return mnt;
                    }
                    lacksLines |= mnt < 0 || ino < 0;
                } catch (ProcFiles.ReadFailure ignored) {
                    // an fd closed meanwhile
                }
            }
        } catch (ProcFiles.ReadFailure e) {
            sockfsUnknown = "Picket's own fds in " + sockfsSelfFd + " are unreadable (" + e.failure + ")";
            return 0;
        }
        if (lacksLines) {
            return -1;
        }
        sockfsUnknown = "Picket holds no socket to learn it from";
        return 0;
    }

    /**
     * The socket inode one /proc/PID/fdinfo/N text names: its ino when its mnt_id is sockfs's, 0 for any other file
     * (a regular file's inode number can equal a socket's), -1 when a line is missing.
     */
    static long fdinfoSocketInode(byte[] b, int len, long sockfsMnt) {
        long mnt = fdinfoField(b, len, FDINFO_MNT_ID);
        long ino = fdinfoField(b, len, FDINFO_INO);
        if (mnt < 0 || ino < 0) {
            return -1;
        }
        return mnt == sockfsMnt ? ino : 0;
    }

    /** The decimal value of the {@code key} line of an fdinfo text ({@code "key:\tvalue"}), or -1. */
    static long fdinfoField(byte[] b, int len, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= len; i++) {
            if (i > 0 && b[i - 1] != '\n') {
                continue;
            }
            for (int j = 0; j < key.length; j++) {
                if (b[i + j] != key[j]) {
                    continue outer;
                }
            }
            int p = i + key.length;
            while (p < len && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            if (p >= len || b[p] < '0' || b[p] > '9') {
                return -1;
            }
            return ProcFiles.parseLong(b, p, len);
        }
        return -1;
    }

    /** The socket inode of fd N through /proc/PID/fdinfo/N, 0 for another file; throws when it cannot be read. */
    private long fdinfoSocket(Path info) throws ProcFiles.ReadFailure {
        int n = ProcFiles.read(info, small);
        return Math.max(0, fdinfoSocketInode(small, n, sockfsMnt));
    }

    /**
     * {@link #readFds} through /proc/PID/fdinfo, for a process whose fd directory is denied: the same count, socket
     * inodes and stdio. One read of a small text per fd instead of one readlink. Records the fds missing when
     * fdinfo is denied too (no ptrace access: then not tried again until an exec), or while sockfs is unknown.
     */
    private boolean readFdinfo(TrackedProcess t) {
        if (sockfsMnt() < 0) {
            t.unavailable.put("fds", "permission"); // /proc/PID/fd was denied, and fdinfo cannot stand in
            return false;
        }
        Path infoDir = dir(t.pid).resolve("fdinfo");
        List<String> names;
        try {
            names = ProcFiles.list(infoDir);
        } catch (ProcFiles.ReadFailure e) {
            missing(t, "fds", e);
            t.fdsDenied = e.failure == ProcFiles.Failure.DENIED;
            return false;
        }
        return recordFds(t, infoDir, names, fdinfoLookup);
    }

    /**
     * {@link #countFds} through /proc/PID/fdinfo: stdio from fdinfo/0..2, the count from the size of /proc/PID/fd,
     * which a stat gives even where the directory cannot be read (Linux 6.2 and later); a listing of fdinfo before.
     */
    private void countFdinfo(TrackedProcess t) {
        if (sockfsMnt() < 0) {
            t.unavailable.put("fds", "permission");
            return;
        }
        Path pidDir = dir(t.pid);
        Path infoDir = pidDir.resolve("fdinfo");
        long[] stdio = {0, 0, 0};
        for (int fd = 0; fd < 3; fd++) {
            try {
                stdio[fd] = fdinfoSocket(infoDir.resolve(Integer.toString(fd)));
            } catch (ProcFiles.ReadFailure e) {
                if (e.failure == ProcFiles.Failure.DENIED) {
                    readFdinfo(t); // to record the denial, as a listing would have
                    return;
                }
                stdio[fd] = 0;
            }
        }
        if (!recordCount(t, stdio, infoDir)) {
            readFdinfo(t); // to learn why (denied or vanished), which list() cannot tell
        }
    }

    private void readNamespaces(TrackedProcess t) {
        Path ns = dir(t.pid).resolve("ns");
        try {
            t.namespaces = new Namespaces(
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("pid"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("net"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("mnt"))),
                    Namespaces.parse(ProcFiles.readLink(ns.resolve("user"))));
            t.unavailable.remove("namespaces");
        } catch (ProcFiles.ReadFailure e) {
            missing(t, "namespaces", e);
        }
    }

    /** Lists and resolves every fd: the count, the socket inodes and what fds 0-2 are. */
    private boolean readFds(TrackedProcess t) {
        if (t.fdsDenied) {
            return false;
        }
        if (t.fdDirDenied) {
            return readFdinfo(t); // known denied: no failed listing (and exception) first
        }
        Path fdDir = dir(t.pid).resolve("fd");
        List<String> names;
        try {
            names = ProcFiles.list(fdDir);
        } catch (ProcFiles.ReadFailure e) {
            if (e.failure == ProcFiles.Failure.DENIED) {
                t.fdDirDenied = true;
                return readFdinfo(t);
            }
            missing(t, "fds", e);
            return false;
        }
        return recordFds(t, fdDir, names, FD_LINK_LOOKUP);
    }

    /** The socket inode of one fd of a listed directory (/proc/PID/fd or fdinfo), 0 for any other file. */
    private interface FdLookup {
        long socketInode(Path dir, String name) throws ProcFiles.ReadFailure;
    }

    private static final FdLookup FD_LINK_LOOKUP = (dir, name) -> socketInode(ProcFiles.readLink(dir.resolve(name)));
    private final FdLookup fdinfoLookup = (dir, name) -> fdinfoSocket(dir.resolve(name));

    /** Resolves every listed fd and records the count, the socket inodes, what fds 0-2 are, and the owners. */
    private boolean recordFds(TrackedProcess t, Path dir, List<String> names, FdLookup lookup) {
        long[] inodes = new long[8];
        int count = 0;
        long[] stdio = {0, 0, 0};
        for (String name : names) {
            long inode;
            try {
                inode = lookup.socketInode(dir, name);
            } catch (ProcFiles.ReadFailure e) {
                if (e.failure == ProcFiles.Failure.DENIED) {
                    missing(t, "fds", e); // a part is not the whole: no count or socket set from it
                    return false;
                }
                continue; // closed between list and read
            }
            if (inode == 0) {
                continue;
            }
            if (count == inodes.length) {
                inodes = Arrays.copyOf(inodes, count * 2);
            }
            inodes[count++] = inode;
            if (name.length() == 1 && name.charAt(0) >= '0' && name.charAt(0) <= '2') {
                stdio[name.charAt(0) - '0'] = inode;
            }
            inodeOwner.putIfAbsent(inode, t.pid);
        }
        t.openFds = names.size();
        t.socketInodes = Arrays.copyOf(inodes, count);
        t.stdioInodes = stdio;
        t.fdsReadScan = sequence;
        t.unavailable.remove("fds");
        return true;
    }

    /**
     * The deep read's cheaper cousin: counts the fds and resolves only 0, 1 and 2. A process with ten
     * thousand sockets would otherwise cost ten thousand readlinks on every deep read; its socket owners
     * are known already and new ones are searched for when they appear. Since Linux 6.2 the size of
     * /proc/PID/fd is the number of open fds, which one stat gives without listing the directory (listing
     * makes the kernel build an entry per fd: milliseconds for a process holding thousands of sockets).
     */
    private void countFds(TrackedProcess t) {
        if (t.fdsDenied) {
            return;
        }
        if (t.fdDirDenied) {
            countFdinfo(t);
            return;
        }
        Path fdDir = dir(t.pid).resolve("fd");
        long[] stdio = {0, 0, 0};
        for (int fd = 0; fd < 3; fd++) {
            try {
                stdio[fd] = socketInode(ProcFiles.readLink(fdDir.resolve(Integer.toString(fd))));
            } catch (ProcFiles.ReadFailure e) {
                if (e.failure == ProcFiles.Failure.DENIED) {
                    t.fdDirDenied = true;
                    countFdinfo(t);
                    return;
                }
                stdio[fd] = 0;
            }
        }
        if (!recordCount(t, stdio, fdDir)) {
            readFds(t); // to learn why (denied or vanished), which list() cannot tell
        }
    }

    /**
     * Records what a count read found: the fd count from one stat of /proc/PID/fd (its size since Linux 6.2, given
     * even where the directory cannot be read), else from a listing of {@code listed} (fd or fdinfo), and the
     * stdio inodes. False when neither tells the count.
     */
    private boolean recordCount(TrackedProcess t, long[] stdio, Path listed) {
        int count = ProcFiles.directorySize(dir(t.pid).resolve("fd"));
        if (count <= 0) {
            String[] names = listed.toFile().list();
            if (names == null) {
                return false;
            }
            count = names.length;
        }
        for (long inode : stdio) {
            if (inode != 0) {
                inodeOwner.putIfAbsent(inode, t.pid);
            }
        }
        t.openFds = count;
        t.stdioInodes = stdio;
        t.unavailable.remove("fds");
        return true;
    }

    static long socketInode(String target) {
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return 0;
        }
        try {
            return Long.parseLong(target, 8, target.length() - 1, 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void readIo(TrackedProcess t) {
        try {
            int n = ProcFiles.read(dir(t.pid).resolve("io"), small);
            t.readBytes = field(small, n, "read_bytes:");
            t.writeBytes = field(small, n, "write_bytes:");
            t.unavailable.remove("io");
        } catch (ProcFiles.ReadFailure e) {
            missing(t, "io", e);
        }
    }

    private static long field(byte[] b, int len, String key) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + k.length <= len; i++) {
            if (i > 0 && b[i - 1] != '\n') {
                continue;
            }
            for (int j = 0; j < k.length; j++) {
                if (b[i + j] != k[j]) {
                    continue outer;
                }
            }
            int p = i + k.length;
            while (p < len && b[p] == ' ') {
                p++;
            }
            return ProcFiles.parseLong(b, p, len);
        }
        return -1;
    }

    private void updateCpu(TrackedProcess t, long nowNanos) {
        long ticks = t.stat.cpuTicks();
        if (t.lastCpuTicks >= 0 && nowNanos > t.lastCpuNanos) {
            double seconds = (nowNanos - t.lastCpuNanos) / 1e9;
            t.cpuCores = Math.max(0, (ticks - t.lastCpuTicks) / (double) CLK_TCK / seconds);
        } else if (bootMillis > 0) {
            // first sight: average since the process started
            double age = (clock.millis() - (bootMillis + t.startTicks * 1000 / CLK_TCK)) / 1000.0;
            t.cpuCores = age > 0.05 ? Math.max(0, ticks / (double) CLK_TCK / age) : 0;
        }
        t.lastCpuTicks = ticks;
        t.lastCpuNanos = nowNanos;
    }

    private long countForks(int newInScope) {
        long delta = newInScope;
        if (forkSource == ForkCount.Source.PID_NAMESPACE) {
            try {
                int n = ProcFiles.read(root.resolve("loadavg"), small);
                int slash = -1;
                for (int i = 0; i < n; i++) {
                    if (small[i] == '/') {
                        slash = i;
                    }
                }
                int space = slash;
                while (space < n && small[space] != ' ') {
                    space++;
                }
                long last = ProcFiles.parseLong(small, space + 1, n);
                delta = lastPidCounter < 0 ? 0 : last - lastPidCounter;
                if (delta < 0) {
                    delta += pidMax; // the counter wrapped at pid_max
                }
                lastPidCounter = last;
            } catch (ProcFiles.ReadFailure e) {
                delta = newInScope;
            }
        }
        forksTotal += delta;
        return delta;
    }

    /**
     * The process as this scan saw it. A steady process (same stat bytes, nothing re-read that changed)
     * gets the very sample of the last scan back instead of a new one.
     */
    private ProcessSample sample(TrackedProcess t, Map<Long, SocketSample> byInode) {
        StatFields s = t.stat;
        TrackedProcess parent = tracked.get(s.ppid());
        String parentExe = parent != null && parent.exe != null ? parent.exe.path() : null;
        ProcessSample last = t.lastSample;
        if (last != null && t.lastSampleStat == s && unchanged(last, t, parentExe, byInode)) {
            return last;
        }
        ProcessSample p = build(t, parentExe, byInode);
        t.lastSample = p;
        t.lastSampleStat = s;
        return p;
    }

    /** Whether every field of {@code last} not taken from the (identical) stat still holds. */
    private static boolean unchanged(ProcessSample last, TrackedProcess t, String parentExe,
            Map<Long, SocketSample> byInode) {
        StatusFields st = t.status;
        if (last.cpuCores() != round(t.cpuCores) || last.openFds() != t.openFds || last.readBytes() != t.readBytes
                || last.writeBytes() != t.writeBytes || last.execCount() != t.execCount
                || last.tracerPid() != (st != null ? st.tracerPid() : 0)
                || !java.util.Objects.equals(last.parentExe(), parentExe) || !java.util.Objects.equals(last.exe(), t.exe)
                || !java.util.Objects.equals(last.argv(), t.argv) || !java.util.Objects.equals(last.namespaces(), t.namespaces)
                || !java.util.Objects.equals(last.envMarkers(), t.envMarkers)
                || !last.uid().equals(st != null ? st.uid() : Ids.UNKNOWN)
                || !last.gid().equals(st != null ? st.gid() : Ids.UNKNOWN) || !last.unavailable().equals(t.unavailable)) {
            return false;
        }
        int k = 0;
        for (int fd = 0; fd < 3; fd++) {
            long inode = t.stdioInodes[fd];
            if (inode != 0) {
                if (k >= last.stdioSockets().size()) {
                    return false;
                }
                StdioSocket was = last.stdioSockets().get(k++);
                if (was.fd() != fd || was.inode() != inode || was.socket() != byInode.get(inode)) {
                    return false;
                }
            }
        }
        return k == last.stdioSockets().size();
    }

    private ProcessSample build(TrackedProcess t, String parentExe, Map<Long, SocketSample> byInode) {
        StatFields s = t.stat;
        List<StdioSocket> stdio = List.of();
        for (int fd = 0; fd < 3; fd++) {
            long inode = t.stdioInodes[fd];
            if (inode != 0) {
                if (stdio.isEmpty()) {
                    stdio = new ArrayList<>(3);
                }
                stdio.add(new StdioSocket(fd, inode, byInode.get(inode)));
            }
        }
        StatusFields st = t.status;
        Instant started = bootMillis > 0 ? Instant.ofEpochMilli(bootMillis + t.startTicks * 1000 / CLK_TCK) : null;
        return new ProcessSample(t.pid, s.ppid(), s.comm(), s.state(), started, t.startTicks,
                st != null ? st.uid() : Ids.UNKNOWN, st != null ? st.gid() : Ids.UNKNOWN, t.exe, parentExe, t.argv,
                st != null ? st.tracerPid() : 0, s.ttyNr(), s.threads(), t.openFds,
                stdio.isEmpty() ? List.of() : List.copyOf(stdio), t.namespaces, t.envMarkers, s.cpuTicks(),
                round(t.cpuCores), s.rssPages() * pageSize, t.readBytes, t.writeBytes, t.firstSeen, t.execCount,
                t.unavailable.isEmpty() ? Map.of() : Map.copyOf(t.unavailable));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * The blind spots of a scan in words, naming only what stayed unreadable. With CAP_SYS_PTRACE the fds and the
     * environment of another user's process are read through /proc/PID/fdinfo and process_vm_readv, so a note
     * here means no ptrace access, or a fallback this host cannot use (named).
     */
    private List<String> notes(Map<String, Integer> unavailable) {
        List<String> notes = new ArrayList<>();
        // with CAP_SYS_PTRACE held, a denial comes from elsewhere: Yama, seccomp, an LSM, another user namespace
        boolean ptrace = effectiveCapabilities.contains("CAP_SYS_PTRACE");
        String noAccess = ptrace ? "without ptrace access" : "without CAP_SYS_PTRACE";
        Integer fds = unavailable.get("fds: permission");
        if (fds != null) {
            notes.add("the fds of " + fds + " process(es) of another user are unreadable "
                    + (sockfsMnt <= 0 && sockfsUnknown != null && ptrace
                            ? "(/proc/PID/fd is denied, and the sockfs mount that tells sockets apart in"
                                    + " /proc/PID/fdinfo is unknown: " + sockfsUnknown + ")"
                            : noAccess)
                    + ": their sockets have no owner and their standard streams are unknown");
        }
        Integer exe = unavailable.get("exe: permission");
        if (exe != null) {
            notes.add("the executable of " + exe + " process(es) is unreadable " + noAccess + ":"
                    + " allowlists fall back to nothing for them");
        }
        Integer env = unavailable.get("environ: permission");
        if (env != null) {
            notes.add("the environment of " + env + " process(es) is unreadable "
                    + (memory == null ? "(process_vm_readv cannot be called: " + ProcessMemory.UNAVAILABLE + ")"
                            : ptrace && !root.equals(REAL_PROC)
                                    ? "(its memory is read only through the real /proc, not " + root + ")"
                                    : noAccess)
                    + ": LD_PRELOAD injection is not seen");
        }
        netlinkNote(notes);
        return notes;
    }

    /**
     * Looks for container runtime sockets in each watched mount namespace: when a namespace is first
     * seen, then at the deep-read cadence, since a mount can appear later only through a privileged act.
     */
    private List<RuntimeSocket> findRuntimeSockets(List<TrackedProcess> scoped) {
        Map<Long, Integer> reps = new LinkedHashMap<>();
        for (TrackedProcess t : scoped) {
            if (t.namespaces.mnt() != 0) {
                reps.putIfAbsent(t.namespaces.mnt(), t.pid);
            }
        }
        runtimeSocketsByMnt.keySet().retainAll(reps.keySet());
        boolean due = sequence % Math.max(1, settings.deepEvery()) == 0;
        List<RuntimeSocket> found = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : reps.entrySet()) {
            List<RuntimeSocket> known = runtimeSocketsByMnt.get(e.getKey());
            if (known == null || due) {
                known = new ArrayList<>();
                Path rootDir = dir(e.getValue()).resolve("root");
                for (String path : RuntimeSocket.KNOWN_PATHS) {
                    if (RootedPath.exists(rootDir, path)) {
                        known.add(new RuntimeSocket(path, e.getKey(), e.getValue()));
                    }
                }
                known = List.copyOf(known);
                runtimeSocketsByMnt.put(e.getKey(), known);
                SystemPreload preload = readPreload(rootDir, e.getKey(), e.getValue());
                if (preload != null) {
                    preloadsByMnt.put(e.getKey(), preload);
                } else {
                    preloadsByMnt.remove(e.getKey());
                }
            }
            found.addAll(known);
        }
        preloadsByMnt.keySet().retainAll(reps.keySet());
        return List.copyOf(found);
    }

    /** /etc/ld.so.preload of a mount namespace, when it names anything. */
    private SystemPreload readPreload(Path rootDir, long mnt, int pid) {
        Path file = RootedPath.resolve(rootDir, "/etc/ld.so.preload");
        if (file == null) {
            return null;
        }
        try {
            int n = ProcFiles.read(file, small);
            List<String> libs = new ArrayList<>();
            for (String entry : SafeText.decode(small, 0, n).split("[\\s:]+|\\\\x0a")) {
                if (!entry.isBlank() && !entry.startsWith("#") && libs.size() < 8) {
                    libs.add(entry);
                }
            }
            return libs.isEmpty() ? null : new SystemPreload(mnt, pid, List.copyOf(libs));
        } catch (ProcFiles.ReadFailure e) {
            return null;
        }
    }

    // ---- sockets ---------------------------------------------------------------------------------

    /** Socket lists of one scan. */
    private record SocketView(List<SocketSample> listeners, List<SocketSample> outbound, List<SocketSample> inbound,
            List<SocketSample> raw, List<SocketSample> unix, Map<Long, SocketSample> byInode) {
    }

    private SocketView readSockets(List<TrackedProcess> scoped, long[] stdioInodes) {
        Map<Long, List<Integer>> byNetns = new LinkedHashMap<>();
        for (TrackedProcess t : scoped) {
            byNetns.computeIfAbsent(t.namespaces.net(), k -> new ArrayList<>()).add(t.pid);
        }
        List<SocketTables.Row> rows = new ArrayList<>(lastRowCount + 16);
        Set<Long> seenNetns = new HashSet<>();
        for (Map.Entry<Long, List<Integer>> e : byNetns.entrySet()) {
            long netns = e.getKey();
            if (netns == 0) {
                continue; // namespace unreadable: its sockets cannot be attributed either
            }
            seenNetns.add(netns);
            SocketTables tables = tablesByNetns.computeIfAbsent(netns, SocketTables::new);
            tables.begin();
            int netlinkDone = netns == selfNamespaces.net() ? dumpNetlink(tables, rows) : 0;
            for (Integer pid : e.getValue()) {
                if (readTables(tables, dir(pid).resolve("net"), rows, netlinkDone)) {
                    break;
                }
            }
        }
        tablesByNetns.keySet().retainAll(seenNetns);
        lastRowCount = rows.size();
        if (sequence % 16 == 0) {
            // forget owners of sockets that are gone; done now and then, a stale entry is harmless
            inodeOwner.keySet().removeIf(inode -> !present(inode));
        }
        scopePids.clear();
        for (TrackedProcess t : scoped) {
            scopePids.set(t.pid);
        }
        resolveOwners(rows, scoped, scopePids);

        Ports tcpListen = new Ports();
        Ports udpBound = new Ports();
        BitSet selfPorts = new BitSet();
        for (SocketTables.Row r : rows) {
            if (r.transport == Transport.TCP && r.stateCode == SocketTables.TCP_LISTEN) {
                if (r.origin == SocketTables.Row.SELF) {
                    selfPorts.set(r.localPort);
                } else {
                    tcpListen.of(r.netns).set(r.localPort);
                }
            } else if (r.transport == Transport.UDP && isUdpBound(r)) {
                udpBound.of(r.netns).set(r.localPort);
            }
        }
        boolean pod = settings.kind() == WatchScope.Kind.POD;
        List<SocketSample> listeners = new ArrayList<>();
        List<SocketSample> outbound = new ArrayList<>();
        List<SocketSample> inbound = new ArrayList<>();
        List<SocketSample> raw = new ArrayList<>();
        List<SocketSample> unix = new ArrayList<>();
        Map<Long, SocketSample> byInode = new HashMap<>();
        for (SocketTables.Row r : rows) {
            if (r.origin == SocketTables.Row.SELF) {
                SocketSample s = r.sample();
                if (s.remote() != null && !s.remote().isAny()) {
                    selfEndpoints.put(new SelfEndpoint(s.local().port(), s.remote()), sequence);
                }
                continue;
            }
            int ownerPid = r.origin == SocketTables.Row.OWNED ? r.owner : 0;
            if (!pod && ownerPid == 0) {
                continue; // outside a pod the namespace is shared with unwatched processes
            }
            if (r.inode == 0 && r.localPort >= 0 && (selfPorts.get(r.localPort)
                    || selfEndpoints.containsKey(new SelfEndpoint(r.localPort, r.sample().remote())))) {
                continue; // what is left of a connection Picket itself made or accepted
            }
            Direction d = direction(r, tcpListen, udpBound);
            SocketSample out = r.resolved;
            if (out == null || r.resolvedOwner != ownerPid || r.resolvedDirection != d) {
                out = r.sample().withOwner(ownerPid, d);
                r.resolved = out;
                r.resolvedOwner = ownerPid;
                r.resolvedDirection = d;
            }
            if (r.inode != 0 && stdioInodes.length > 0 && Arrays.binarySearch(stdioInodes, r.inode) >= 0) {
                byInode.put(r.inode, out);
            }
            switch (r.transport) {
                case RAW, PACKET -> raw.add(out);
                case UNIX -> unix.add(out);
                default -> {
                    switch (d) {
                        case LISTEN -> listeners.add(out);
                        case INBOUND -> inbound.add(out);
                        case OUTBOUND -> outbound.add(out);
                        default -> raw.add(out);
                    }
                }
            }
        }
        if (sequence % 16 == 0) {
            selfEndpoints.values().removeIf(seen -> sequence - seen > SELF_ENDPOINT_MEMORY_SCANS);
        }
        return new SocketView(List.copyOf(listeners), List.copyOf(outbound), List.copyOf(inbound), List.copyOf(raw),
                List.copyOf(unix), byInode);
    }

    /** A connection of Picket's own: its local port and remote, to recognise its TIME_WAIT remnant. */
    private record SelfEndpoint(int localPort, Endpoint remote) {
    }

    /** Ports per network namespace, as bit sets; rows come grouped by namespace, so the last one is kept at hand. */
    private static final class Ports {
        private final Map<Long, BitSet> byNetns = new HashMap<>();
        private long lastNetns;
        private BitSet last;

        BitSet of(long netns) {
            if (last != null && lastNetns == netns) {
                return last;
            }
            lastNetns = netns;
            last = byNetns.computeIfAbsent(netns, k -> new BitSet(65536));
            return last;
        }

        boolean has(long netns, int port) {
            if (last == null || lastNetns != netns) {
                BitSet b = byNetns.get(netns);
                if (b == null) {
                    return false;
                }
                lastNetns = netns;
                last = b;
            }
            return last.get(port);
        }
    }

    private boolean present(long inode) {
        for (SocketTables t : tablesByNetns.values()) {
            if (t.contains(inode)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUdpBound(SocketTables.Row r) {
        return r.stateCode() == SocketTables.TCP_CLOSE && r.sample().remote().isAny() && r.sample().remote().port() == 0
                && r.sample().local().port() != 0;
    }

    private static Direction direction(SocketTables.Row r, Ports tcpListen, Ports udpBound) {
        return switch (r.transport) {
            case TCP -> {
                if (r.stateCode == SocketTables.TCP_LISTEN) {
                    yield Direction.LISTEN;
                }
                yield tcpListen.has(r.netns, r.localPort) ? Direction.INBOUND : Direction.OUTBOUND;
            }
            case UDP -> {
                if (isUdpBound(r)) {
                    yield Direction.LISTEN;
                }
                if (r.stateCode() != 1) {
                    yield Direction.NONE;
                }
                yield udpBound.has(r.netns, r.localPort) ? Direction.INBOUND : Direction.OUTBOUND;
            }
            case UNIX -> r.sample().direction();
            default -> Direction.NONE;
        };
    }

    private static final int TCP4_DONE = 1;
    private static final int TCP6_DONE = 2;
    private static final int UNIX_DONE = 4;

    /**
     * TCP and unix sockets of Picket's own network namespace through netlink, each table on its own; returns
     * which it read (TCP4_DONE, TCP6_DONE, UNIX_DONE), so the caller reads the others from /proc/PID/net. Only
     * for the real procfs: a scanner pointed at another tree must not mix in the host's sockets.
     */
    private int dumpNetlink(SocketTables tables, List<SocketTables.Row> rows) {
        if (selfNamespaces.net() == 0 || !root.equals(REAL_PROC)) {
            return 0;
        }
        if (netlink == null) {
            if (!NetlinkSockets.CONFIGURED_OFF) {
                unixFromProc("netlink cannot be used in this JVM: " + NetlinkSockets.UNAVAILABLE);
            }
            return 0; // off by configuration: procfs is what was asked for
        }
        int done = 0;
        if (netlinkTcp.due(sequence)) {
            for (int family : INET_FAMILIES) {
                int before = rows.size();
                try {
                    netlink.dumpTcp(family, (b, len, seq) -> tables.parseDiag(b, len, seq, Transport.TCP, rows));
                    done |= family == NetlinkSockets.AF_INET ? TCP4_DONE : TCP6_DONE;
                } catch (NetlinkSockets.DumpFailed e) {
                    rows.subList(before, rows.size()).clear();
                }
            }
            if (done != 0) {
                netlinkTcp.succeeded();
            } else {
                netlinkTcp.failed(sequence); // seccomp, a sandbox, a kernel without inet_diag: back off
            }
        }
        if (netlinkUnix.due(sequence)) {
            int before = rows.size();
            try {
                // /proc/net/unix lets a socket's name forge rows (F4); the dump's names are length-delimited
                netlink.dumpUnix((b, len, seq) -> tables.parseDiag(b, len, seq, Transport.UNIX, rows));
                done |= UNIX_DONE;
                netlinkUnix.succeeded();
            } catch (NetlinkSockets.DumpFailed e) {
                rows.subList(before, rows.size()).clear();
                netlinkUnix.failed(sequence); // a kernel without unix_diag, or a flood of foreign datagrams
                unixFromProc(e.getMessage());
            }
        } else {
            unixFromProc(unixFromProcWhy); // backing off after failures: still the last failure's reason
        }
        return done;
    }

    private static final int[] INET_FAMILIES = {NetlinkSockets.AF_INET, NetlinkSockets.AF_INET6};

    /** Records that this scan takes Picket's own unix sockets from procfs, for {@link #netlinkNote}. */
    private void unixFromProc(String why) {
        unixFromProcScan = sequence;
        unixFromProcWhy = why;
    }

    /**
     * The blind spot of a scan that read Picket's own unix sockets from /proc/net/unix although netlink was
     * expected: not when netlink is off by configuration, nor for another namespace (always procfs).
     */
    private void netlinkNote(List<String> notes) {
        if (unixFromProcScan == sequence) {
            notes.add("the unix sockets of Picket's own network namespace were read from /proc/net/unix, not netlink ("
                    + unixFromProcWhy + (netlinkUnix.failures() >= NetlinkSockets.Backoff.FAILURES
                            ? "; retried every " + NetlinkSockets.Backoff.RETRY_SCANS + " scans" : "")
                    + "): meanwhile a socket name with a newline can forge rows there");
        }
    }

    /** The netlink dumper of this scanner, null where it cannot be used; for tests. */
    NetlinkSockets netlink() {
        return netlink;
    }

    private boolean readTables(SocketTables tables, Path net, List<SocketTables.Row> rows, int netlinkDone) {
        int before = rows.size();
        boolean tcp4 = (netlinkDone & TCP4_DONE) == 0;
        try {
            // the first table must be readable, or this process exited: try another of the namespace
            table.readAll(net.resolve(tcp4 ? "tcp" : "udp"));
            tables.parseInet(table.bytes, table.length, tcp4 ? Transport.TCP : Transport.UDP, 4, rows);
        } catch (ProcFiles.ReadFailure e) {
            rows.subList(before, rows.size()).clear();
            return false;
        }
        if ((netlinkDone & TCP6_DONE) == 0) {
            readOptional(net.resolve("tcp6"), b -> tables.parseInet(table.bytes, table.length, Transport.TCP, 6, rows));
        }
        if (tcp4) {
            readOptional(net.resolve("udp"), b -> tables.parseInet(table.bytes, table.length, Transport.UDP, 4, rows));
        }
        readOptional(net.resolve("udp6"), b -> tables.parseInet(table.bytes, table.length, Transport.UDP, 6, rows));
        readOptional(net.resolve("raw"), b -> tables.parseInet(table.bytes, table.length, Transport.RAW, 4, rows));
        readOptional(net.resolve("raw6"), b -> tables.parseInet(table.bytes, table.length, Transport.RAW, 6, rows));
        readOptional(net.resolve("packet"), b -> tables.parsePacket(table.bytes, table.length, rows));
        if ((netlinkDone & UNIX_DONE) == 0) {
            readOptional(net.resolve("unix"), b -> tables.parseUnix(table.bytes, table.length, rows));
        }
        return true;
    }

    private void readOptional(Path path, java.util.function.Consumer<GrowingBuffer> parse) {
        try {
            table.readAll(path);
            parse.accept(table);
        } catch (ProcFiles.ReadFailure e) {
            // IPv6 or raw sockets may be absent from the kernel; nothing to report
        }
    }

    /**
     * Gives each row its owner. A row already resolved keeps its answer while the owner stays in scope;
     * a new one takes the owner found in fd tables already read; only the rest trigger a search.
     */
    private void resolveOwners(List<SocketTables.Row> rows, List<TrackedProcess> scoped, BitSet scopePids) {
        List<SocketTables.Row> unresolved = null;
        for (SocketTables.Row r : rows) {
            long inode = r.inode;
            if (inode == 0 || r.origin == SocketTables.Row.SELF) {
                continue;
            }
            if (r.origin == SocketTables.Row.OWNED && scopePids.get(r.owner)) {
                continue;
            }
            Integer o = inodeOwner.get(inode);
            if (o != null && scopePids.get(o)) {
                r.origin = SocketTables.Row.OWNED;
                r.owner = o;
            } else if (r.origin != SocketTables.Row.FOREIGN || sequence - r.foreignSince >= FOREIGN_RECHECK_SCANS) {
                // never seen, or its owner left the scope: a child may have inherited it
                r.origin = SocketTables.Row.UNRESOLVED;
                r.owner = 0;
                if (unresolved == null) {
                    unresolved = new ArrayList<>();
                }
                unresolved.add(r);
            }
        }
        if (unresolved == null) {
            return;
        }
        Set<Long> unknown = new HashSet<>(unresolved.size() * 2);
        for (SocketTables.Row r : unresolved) {
            unknown.add(r.sample().inode());
        }
        long start = System.nanoTime();
        Set<Long> self;
        try {
            self = searchOwners(unknown, scoped);
        } finally {
            ownerNanos += System.nanoTime() - start;
        }
        for (SocketTables.Row r : unresolved) {
            long inode = r.sample().inode();
            Integer o = inodeOwner.get(inode);
            if (self.contains(inode)) {
                r.origin = SocketTables.Row.SELF;
            } else if (o != null && scopePids.get(o)) {
                r.origin = SocketTables.Row.OWNED;
                r.owner = o;
            } else {
                r.origin = SocketTables.Row.FOREIGN;
                r.foreignSince = sequence;
            }
        }
    }

    /** Reads fd tables until every unknown inode is found; returns the inodes that are Picket's own. */
    private Set<Long> searchOwners(Set<Long> unknown, List<TrackedProcess> scoped) {
        Set<Long> self = refreshSelfInodes(unknown);
        if (unknown.isEmpty()) {
            return self;
        }
        List<TrackedProcess> candidates = new ArrayList<>(scoped);
        // processes that owned sockets recently are the likeliest owners of new ones
        candidates.sort(Comparator.comparingLong((TrackedProcess t) -> t.lastSocketFoundScan).reversed());
        for (TrackedProcess t : candidates) {
            // even a process read moments ago: it may have opened the socket since
            if (!readFds(t)) {
                continue;
            }
            boolean found = false;
            for (long inode : t.socketInodes) {
                if (unknown.remove(inode)) {
                    found = true;
                }
            }
            if (found) {
                t.lastSocketFoundScan = sequence;
            }
            if (unknown.isEmpty()) {
                break;
            }
        }
        return self;
    }

    private Set<Long> refreshSelfInodes(Set<Long> unknown) {
        Set<Long> self = new HashSet<>();
        try {
            for (String name : ProcFiles.list(SELF_FD)) {
                try {
                    long inode = socketInode(ProcFiles.readLink(SELF_FD.resolve(name)));
                    if (inode != 0 && unknown.remove(inode)) {
                        self.add(inode);
                    }
                } catch (ProcFiles.ReadFailure ignored) {
                    // an fd Picket closed meanwhile
                }
            }
        } catch (ProcFiles.ReadFailure ignored) {
            // without /proc/self Picket's own sockets simply stay unattributed
        }
        return self;
    }

    public int trackedCount() {
        return tracked.size();
    }

    @Override
    public void close() {
        for (TrackedProcess t : tracked.values()) {
            t.close();
        }
        tracked.clear();
        handlesOpen = 0;
    }
}
