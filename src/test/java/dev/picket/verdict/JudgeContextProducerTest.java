package dev.picket.verdict;

import dev.picket.judge.JudgeContext;
import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeContextProducerTest {

    @Test
    void theRealEphemeralRangeIsReadWhole() throws Exception {
        Host.requireLinux();
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        String[] expected = Files.readAllLines(range).getFirst().trim().split("\\s+");
        JudgeContext c = JudgeContextProducer.read(Path.of("/nonexistent"), null, null, range);
        assertThat(c.ephemeralLow()).isEqualTo(Integer.parseInt(expected[0])).isGreaterThan(1023);
        assertThat(c.ephemeralHigh()).isEqualTo(Integer.parseInt(expected[1]));
    }

    @Test
    void resolversAndApiServerAreIpLiteralsOnly(@TempDir Path dir) throws Exception {
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "search svc.cluster.local\nnameserver 10.96.0.10\nnameserver fd00::a%eth0\nnameserver dns.example\n");
        Path range = dir.resolve("range");
        Files.writeString(range, "garbage\n");
        JudgeContext c = JudgeContextProducer.read(resolv, "10.96.0.1", "443", range);
        assertThat(c.resolvers()).containsExactly(InetAddress.getByName("10.96.0.10"), InetAddress.getByName("fd00::a"));
        assertThat(c.kubeApiHost()).contains(InetAddress.getByName("10.96.0.1"));
        assertThat(c.kubeApiPort()).isEqualTo(443);
        assertThat(c.ephemeralLow()).isEqualTo(32768);
        JudgeContext named = JudgeContextProducer.read(resolv, "kubernetes.default", "x", range);
        assertThat(named.kubeApiHost()).isEmpty();
        assertThat(named.kubeApiPort()).isEqualTo(443);
    }
}
