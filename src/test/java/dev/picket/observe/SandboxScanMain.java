package dev.picket.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Runs the scanner in pod mode from inside a sandbox, as the sidecar runs inside a pod: scans once,
 * writes {@code ready}, waits for {@code go}, scans again and writes both snapshots as JSON. It holds a
 * listening socket of its own, which the scan must not report as the neighbour's.
 */
public final class SandboxScanMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ObjectMapper json = JsonMapper.builder().findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        try (ServerSocket own = new ServerSocket(7788, 50, InetAddress.getByName("127.0.0.1"));
                ProcScanner scanner = new ProcScanner(ScannerSettings.pod(Path.of("/proc")), Clock.systemUTC())) {
            Snapshot first = scanner.scan();
            Files.writeString(dir.resolve("first.json"), json.writeValueAsString(first));
            Files.writeString(dir.resolve("ready"), "");
            while (!Files.exists(dir.resolve("go"))) {
                Thread.sleep(20);
            }
            Snapshot second = scanner.scan();
            Files.writeString(dir.resolve("second.json.tmp"), json.writeValueAsString(second));
            Files.move(dir.resolve("second.json.tmp"), dir.resolve("second.json"));
        }
    }
}
