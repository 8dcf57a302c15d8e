package dev.picket.verdict;

import dev.picket.judge.JudgeContext;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what the judge needs to know about the pod once, at start: the resolvers of /etc/resolv.conf
 * (the pod's DNS, shared by all its containers), the API server from KUBERNETES_SERVICE_HOST/PORT (the
 * same variables the workload gets) and the kernel's ephemeral port range.
 */
@ApplicationScoped
public class JudgeContextProducer {

    @Produces
    @Singleton
    JudgeContext context() {
        return read(Path.of("/etc/resolv.conf"), System.getenv("KUBERNETES_SERVICE_HOST"),
                System.getenv("KUBERNETES_SERVICE_PORT"), Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    }

    static JudgeContext read(Path resolvConf, String apiHost, String apiPort, Path portRange) {
        List<InetAddress> resolvers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    literal(f[1]).ifPresent(resolvers::add);
                }
            }
        } catch (IOException e) {
            Log.debugf("no resolvers from %s: %s", resolvConf, e.getMessage());
        }
        Optional<InetAddress> api = apiHost == null ? Optional.empty() : literal(apiHost);
        int port = 443;
        try {
            port = apiPort == null ? 443 : Integer.parseInt(apiPort.trim());
        } catch (NumberFormatException e) {
            Log.warnf("KUBERNETES_SERVICE_PORT is not a port: %s", apiPort);
        }
        int low = 32768;
        int high = 60999;
        try {
            // procfs reports size 0, and Files.readString trusts the size: read line by line instead
            String[] r = Files.readAllLines(portRange).getFirst().trim().split("\\s+");
            int l = Integer.parseInt(r[0]);
            int h = Integer.parseInt(r[1]);
            if (l > 0 && l <= h && h <= 65535) {
                low = l;
                high = h;
            }
        } catch (IOException | RuntimeException e) {
            Log.debugf("default ephemeral port range: %s", e.getMessage());
        }
        return new JudgeContext(List.copyOf(resolvers), api, port, low, high);
    }

    /** An IP literal only: a name here would need DNS, which the judge must not wait for. */
    private static Optional<InetAddress> literal(String text) {
        inet.ipaddr.IPAddress address = new inet.ipaddr.IPAddressString(text.replaceAll("%.*$", "")).getAddress();
        return address == null || address.isPrefixed() ? Optional.empty() : Optional.of(address.toInetAddress());
    }
}
