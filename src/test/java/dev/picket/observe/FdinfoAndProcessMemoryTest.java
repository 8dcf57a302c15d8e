package dev.picket.observe;

import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pieces of the fallbacks for a process of another UID whose /proc/PID/fd and environ are denied: fdinfo
 * parsing with the sockfs mnt_id rule, the environment scan of a byte range, and process_vm_readv.
 */
class FdinfoAndProcessMemoryTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static long socketInode(String fdinfo, long sockfsMnt) {
        byte[] b = ascii(fdinfo);
        return ProcScanner.fdinfoSocketInode(b, b.length, sockfsMnt);
    }

    @Test
    void anFdinfoEntryIsASocketOnlyOnTheSockfsMount() {
        String socket = "pos:\t0\nflags:\t02000002\nmnt_id:\t9\nino:\t4711\n";
        // a regular file whose inode number equals the socket's, on another mount
        String file = "pos:\t12\nflags:\t0100000\nmnt_id:\t31\nino:\t4711\n";
        assertThat(socketInode(socket, 9)).isEqualTo(4711);
        assertThat(socketInode(file, 9)).as("same inode number, another mount: not a socket").isZero();
        assertThat(socketInode(socket, 31)).isZero();
        // an epoll fd: more lines after ino, and a tfd line whose own "ino:" is not at a line start
        String epoll = "pos:\t0\nflags:\t02\nmnt_id:\t16\nino:\t1057\ntfd:        5 events:       19 data:  5  pos:0 ino:4711 sdev:8\n";
        assertThat(socketInode(epoll, 16)).isEqualTo(1057);
        // a kernel without the ino line cannot tell sockets apart
        assertThat(socketInode("pos:\t0\nflags:\t02\nmnt_id:\t9\n", 9)).isEqualTo(-1);
        assertThat(socketInode("", 9)).isEqualTo(-1);
        assertThat(socketInode("pos:\t0\nflags:\t02\nmnt_id:\t\nino:\t4711\n", 9)).isEqualTo(-1);
        // keys are matched at line starts only
        assertThat(ProcScanner.fdinfoField(ascii("xino:\t5\nino:\t6\n"), 15, new byte[] {'i', 'n', 'o', ':'})).isEqualTo(6);
    }

    @Test
    void realFdinfoOfASocketAndARegularFile() throws Exception {
        Host.requireLinux();
        try (SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
                FileInputStream file = new FileInputStream("/proc/self/status")) {
            long sockfs = -1;
            long socketInode = 0;
            byte[] fileInfo = null;
            Path fd = Path.of("/proc/self/fd");
            byte[] buf = new byte[8192];
            try (var names = Files.list(fd)) {
                for (Path link : (Iterable<Path>) names::iterator) {
                    String target;
                    int n;
                    try {
                        target = Files.readSymbolicLink(link).toString();
                        n = ProcFiles.read(Path.of("/proc/self/fdinfo").resolve(link.getFileName()), buf);
                    } catch (java.io.IOException | ProcFiles.ReadFailure e) {
                        continue; // the listing's own fd
                    }
                    long inode = ProcScanner.socketInode(target);
                    long mnt = ProcScanner.fdinfoField(buf, n, new byte[] {'m', 'n', 't', '_', 'i', 'd', ':'});
                    long ino = ProcScanner.fdinfoField(buf, n, new byte[] {'i', 'n', 'o', ':'});
                    if (inode != 0) {
                        assertThat(ino).as("fdinfo's ino of %s", target).isEqualTo(inode);
                        assertThat(sockfs == -1 || sockfs == mnt).as("one sockfs mount for every socket").isTrue();
                        sockfs = mnt;
                        socketInode = inode;
                    } else if (target.equals("/proc/" + ProcessHandle.current().pid() + "/status")) {
                        fileInfo = Arrays.copyOf(buf, n);
                    }
                }
            }
            assertThat(socketInode).isPositive();
            assertThat(fileInfo).as("fdinfo of the open regular file").isNotNull();
            long fileMnt = ProcScanner.fdinfoField(fileInfo, fileInfo.length, new byte[] {'m', 'n', 't', '_', 'i', 'd', ':'});
            assertThat(fileMnt).isPositive().isNotEqualTo(sockfs);
            assertThat(ProcScanner.fdinfoSocketInode(fileInfo, fileInfo.length, sockfs))
                    .as("a regular file is no socket under the real sockfs mnt_id").isZero();
            // what the scanner learns is that same mount
            try (ProcScanner scanner = Scans.rootPid(ProcessHandle.current().pid())) {
                assertThat(scanner.sockfsMnt()).isEqualTo(sockfs);
            }
        }
    }

    @Test
    void aFailureToLearnTheSockfsMountIsRetriedOnALaterScan() throws Exception {
        Host.requireLinux();
        long self = ProcessHandle.current().pid();
        try (ProcScanner scanner = Scans.rootPid(self); ProcScanner reference = Scans.rootPid(self)) {
            long sockfs = reference.sockfsMnt();
            assertThat(sockfs).isPositive();
            scanner.scan();
            scanner.sockfsSelfFd = Path.of("/nonexistent/fd"); // as if Picket's own fds could not be read
            assertThat(scanner.sockfsMnt()).isEqualTo(-1);
            scanner.sockfsSelfFd = Path.of("/proc/self/fd");
            assertThat(scanner.sockfsMnt()).as("backs off within the scan").isEqualTo(-1);
            scanner.scan();
            assertThat(scanner.sockfsMnt()).as("learned on a later scan").isEqualTo(sockfs);
        }
    }

    @Test
    void anEnvironmentReadOnlyInPartIsNotComplete() throws Exception {
        Host.requireLinux();
        ProcessMemory memory = ProcessMemory.open();
        assertThat(memory).isNotNull();
        int self = (int) ProcessHandle.current().pid();
        byte[] statBytes = Files.readAllBytes(Path.of("/proc/self/stat"));
        StatFields stat = StatParser.parse(statBytes, statBytes.length);
        // the end of the mapping that holds the environment (the initial stack), and that nothing follows it
        long mappingEnd = -1;
        long next = Long.MAX_VALUE;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long from = Long.parseUnsignedLong(range[0], 16);
            long to = Long.parseUnsignedLong(range[1], 16);
            if (from <= stat.envStart() && stat.envStart() < to) {
                mappingEnd = to;
            } else if (mappingEnd > 0 && from >= mappingEnd) {
                next = Math.min(next, from);
            }
        }
        assertThat(mappingEnd).isGreaterThan(stat.envEnd());
        long end = mappingEnd + 2 * ProcessMemory.CHUNK;
        org.junit.jupiter.api.Assumptions.assumeTrue(next >= end, "a mapping right after the stack");
        byte[] buf = new byte[ProcessMemory.CHUNK];

        EnvMarkers.Matcher whole = new EnvMarkers.Matcher();
        assertThat(ProcScanner.readEnvBlock(memory, self, stat.envStart(), stat.envEnd(), buf, whole))
                .isEqualTo(ProcessMemory.Outcome.READ);
        // the same start, an end past the mapping: the first read copies up to its end, the next one faults
        assertThat(ProcScanner.readEnvBlock(memory, self, stat.envStart(), end, buf, new EnvMarkers.Matcher()))
                .isEqualTo(ProcessMemory.Outcome.UNMAPPED);
        int pidMax = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip());
        assertThat(ProcScanner.readEnvBlock(memory, pidMax + 1, stat.envStart(), stat.envEnd(), buf,
                new EnvMarkers.Matcher())).isEqualTo(ProcessMemory.Outcome.VANISHED);
    }

    @Test
    void theEnvironmentScanOfAByteRangeFindsWhatTheFileScanFinds() throws Exception {
        byte[] env = ascii("PATH=/usr/bin\0HOME=/root\0X=LD_PRELOAD=/not/a/marker.so\0LD_PRELOAD=/x.so\0"
                + "GLIBC_TUNABLES=glibc.malloc.check=3\0LD_AUDIT");
        // LD_AUDIT without '=' at the very end is not the variable
        Set<EnvMarkers.Marker> whole = EnvMarkers.scan(env, 0, env.length);
        assertThat(whole).containsExactlyInAnyOrder(EnvMarkers.Marker.LD_PRELOAD, EnvMarkers.Marker.GLIBC_TUNABLES);
        // in pieces of every size: a name split across two reads is still matched
        for (int piece = 1; piece <= env.length; piece++) {
            EnvMarkers.Matcher m = new EnvMarkers.Matcher();
            for (int at = 0; at < env.length; at += piece) {
                m.feed(env, at, Math.min(env.length, at + piece));
            }
            assertThat(m.finish()).as("pieces of %d", piece).isEqualTo(whole);
        }
        // a range inside a larger buffer
        byte[] padded = new byte[env.length + 20];
        Arrays.fill(padded, (byte) 'L');
        System.arraycopy(env, 0, padded, 10, env.length);
        padded[9] = 0;
        assertThat(EnvMarkers.scan(padded, 10, 10 + env.length)).isEqualTo(whole);
        // the file scan agrees
        Path file = Files.createTempFile("environ", "");
        try {
            Files.write(file, env);
            assertThat(EnvMarkers.scan(file, new byte[7])).isEqualTo(whole);
        } finally {
            Files.delete(file);
        }
        assertThat(EnvMarkers.scan(new byte[0], 0, 0)).isEqualTo(EnumSet.noneOf(EnvMarkers.Marker.class));
    }

    @Test
    void processVmReadvReadsTheEnvironmentBlockStatPointsAt() throws Exception {
        Host.requireLinux();
        ProcessMemory memory = ProcessMemory.open();
        assertThat(memory).as("process_vm_readv through FFM: %s", ProcessMemory.UNAVAILABLE).isNotNull();
        int self = (int) ProcessHandle.current().pid();
        byte[] statBytes = Files.readAllBytes(Path.of("/proc/self/stat"));
        StatFields stat = StatParser.parse(statBytes, statBytes.length);
        assertThat(stat.envStart()).isPositive();
        assertThat(stat.envEnd()).isGreaterThan(stat.envStart());
        byte[] expected = Files.readAllBytes(Path.of("/proc/self/environ"));
        int len = (int) (stat.envEnd() - stat.envStart());
        byte[] got = new byte[len];
        int total = 0;
        while (total < len) {
            assertThat(memory.read(self, stat.envStart() + total, got, total, len - total))
                    .isEqualTo(ProcessMemory.Outcome.READ);
            assertThat(memory.count).isPositive();
            total += memory.count;
        }
        assertThat(got).isEqualTo(expected);

        // nothing mapped at address 0; a pid no process has
        assertThat(memory.read(self, 0, got, 0, 16)).isEqualTo(ProcessMemory.Outcome.UNMAPPED);
        int pidMax = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip());
        assertThat(memory.read(pidMax + 1, stat.envStart(), got, 0, 16)).isEqualTo(ProcessMemory.Outcome.VANISHED);
    }
}
