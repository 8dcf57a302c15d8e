package dev.picket.profile.learn;

import dev.picket.judge.Judge;
import dev.picket.judge.JudgeContext;
import dev.picket.judge.Verdict;
import dev.picket.observe.ProcScanner;
import dev.picket.observe.ScannerSettings;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileRenderer;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sidecar's learning inside a pod-like sandbox, without Quarkus: a pod-mode scanner, the judge under the embedded
 * default (learn mode) and the learner fed as VerdictService feeds it. It writes {@code ready} after its first scan,
 * scans until the workload has written {@code workload-ready} and five scans more, then writes the learned profile
 * ({@code learned.yaml}, as {@code GET /v1/profile/learned} renders it) and ends.
 *
 * <p>Arguments: the directory, the scan interval in milliseconds, the resolvers (comma-separated IPs).
 */
public final class LearnInSandboxMain {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long interval = Long.parseLong(args[1]);
        List<InetAddress> resolvers = new ArrayList<>();
        for (String r : args[2].split(",")) {
            resolvers.add(InetAddress.getByName(r));
        }
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim()
                .split("\\s+");
        JudgeContext context = new JudgeContext(List.copyOf(resolvers), Optional.empty(), 0, Integer.parseInt(range[0]),
                Integer.parseInt(range[1]));
        Judge judge = new Judge(context);
        Learner learner = new Learner(1.5, (kind, time) -> { });
        Profile profile = ProfileCompiler.embeddedDefault();
        try (ProcScanner scanner = new ProcScanner(ScannerSettings.pod(Path.of("/proc")), Clock.systemUTC())) {
            int settled = -1;
            for (int i = 0; i < 1200 && settled < 5; i++) {
                Snapshot s = scanner.scan();
                Verdict verdict = judge.judge(s, profile);
                learner.observe(s, verdict, context, verdict.forksPerMinute());
                if (!Files.exists(dir.resolve("ready"))) {
                    Files.writeString(dir.resolve("ready"), "");
                }
                if (Files.exists(dir.resolve("workload-ready"))) {
                    settled++;
                }
                Thread.sleep(interval);
            }
        }
        Path tmp = dir.resolve("learned.yaml.tmp");
        Files.writeString(tmp, ProfileRenderer.renderLearned("shop", learner.spec()));
        Files.move(tmp, dir.resolve("learned.yaml"), StandardCopyOption.ATOMIC_MOVE);
    }
}
