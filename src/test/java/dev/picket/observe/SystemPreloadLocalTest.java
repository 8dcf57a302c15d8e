package dev.picket.observe;

import dev.picket.judge.Finding;
import dev.picket.judge.Judge;
import dev.picket.judge.JudgeContext;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ThreatRule;
import dev.picket.testing.Children;
import dev.picket.testing.Host;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /etc/ld.so.preload inside the neighbour's own mount namespace (a private tmpfs on /etc, so the host is
 * untouched) is seen through /proc/PID/root and judged as preload injection, with no variable to show for it.
 */
class SystemPreloadLocalTest {

    @Test
    void aPreloadFileInTheNeighboursFilesystemIsAThreat() throws Exception {
        Host.requireRoot();
        Host.requireCommand("unshare");
        try (Children children = new Children()) {
            Process p = children.start("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                    "mount -t tmpfs none /etc && echo '/opt/evil/libhook.so' > /etc/ld.so.preload && exec sleep 611.5");
            try (ProcScanner scanner = Scans.rootPid(p.pid())) {
                Snapshot s = Scans.until(scanner, Duration.ofSeconds(10), x -> !x.systemPreloads().isEmpty()
                        && Scans.byArg(x, "611.5") != null);
                SystemPreload preload = s.systemPreloads().getFirst();
                assertThat(preload.libraries()).containsExactly("/opt/evil/libhook.so");
                ProcessSample sleep = Scans.byArg(s, "611.5");
                assertThat(preload.mntNamespace()).isEqualTo(sleep.namespaces().mnt());

                var profile = ProfileCompiler.fromYaml("""
                        apiVersion: picket.dev/v1alpha1
                        kind: WorkloadProfile
                        metadata: {name: t}
                        spec:
                          mode: monitor
                          processes: {allowRoot: true, allow: [{exe: "/**"}]}
                        """.getBytes(StandardCharsets.UTF_8), "test", 1).orElseThrow();
                Judge judge = new Judge(JudgeContext.NONE);
                List<Finding> found = new ArrayList<>(judge.judge(s, profile).fresh());
                found.addAll(judge.judge(scanner.scan(), profile).fresh());
                List<Finding> preloads = found.stream().filter(f -> f.threat() == ThreatRule.PRELOAD_INJECTION).toList();
                assertThat(preloads).hasSize(1);
                assertThat(preloads.getFirst().detail()).contains("/etc/ld.so.preload").contains("/opt/evil/libhook.so");
            }
        }
    }
}
