package dev.picket.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.picket.observe.ProcScanner;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.ScannerSettings;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Mode;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.Validated;
import dev.picket.profile.ViolationKind;
import dev.picket.profile.learn.Learner;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The sidecar's pipeline inside a pod-like sandbox, without Quarkus: a pod-mode scanner (Picket's own
 * PID namespace, the last-pid fork counter), the judge, and the learner fed as VerdictService feeds it;
 * in learn mode only THREAT findings count. It talks to the test through files in a directory:
 *
 * <ul>
 * <li>{@code profile.yaml} (read when it changes; the last good one stays), {@code profile-error}</li>
 * <li>{@code findings.jsonl}: one line per fresh finding that would become a violation</li>
 * <li>{@code state.json}: the last scan (sequence, generation, mode, forks, processes)</li>
 * <li>{@code render} asks for {@code learned.yaml} (ProfileRenderer.renderLearned); {@code stop} ends it</li>
 * </ul>
 *
 * <p>Arguments: the directory, the scan interval in milliseconds, the resolvers (comma-separated IPs, or -).
 */
public final class PodJudgeMain {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long interval = Long.parseLong(args[1]);
        List<InetAddress> resolvers = new ArrayList<>();
        if (!args[2].equals("-")) {
            for (String r : args[2].split(",")) {
                resolvers.add(InetAddress.getByName(r));
            }
        }
        // readAllLines, not readString: a sysctl read at a non-zero offset is empty, and readString of a
        // procfs file reads one byte first, so it returns "3" for "32768 60999"
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).getFirst().trim()
                .split("\\s+");
        JudgeContext context = new JudgeContext(List.copyOf(resolvers), Optional.empty(), 0, Integer.parseInt(range[0]),
                Integer.parseInt(range[1]));
        Judge judge = new Judge(context);
        Learner learner = new Learner(1.5, (kind, time) -> { });
        Path findings = dir.resolve("findings.jsonl");
        Files.writeString(findings, "");
        byte[] lastYaml = null;
        Profile profile = null;
        long generation = 0;
        try (ProcScanner scanner = new ProcScanner(ScannerSettings.pod(Path.of("/proc")), Clock.systemUTC())) {
            while (!Files.exists(dir.resolve("stop"))) {
                long started = System.nanoTime();
                byte[] yaml = Files.readAllBytes(dir.resolve("profile.yaml"));
                if (!Arrays.equals(yaml, lastYaml)) {
                    lastYaml = yaml;
                    Validated<Profile> v = ProfileCompiler.fromYaml(yaml, "file profile.yaml", generation + 1);
                    if (v.isValid()) {
                        profile = v.value();
                        generation++;
                        Files.deleteIfExists(dir.resolve("profile-error"));
                    } else {
                        Files.writeString(dir.resolve("profile-error"), v.describe());
                    }
                }
                if (profile == null) {
                    Thread.sleep(interval);
                    continue;
                }
                Snapshot s = scanner.scan();
                Verdict verdict = judge.judge(s, profile);
                if (profile.mode() == Mode.LEARN) {
                    learner.observe(s, verdict, context, verdict.forksPerMinute());
                }
                StringBuilder lines = new StringBuilder();
                for (Finding f : verdict.fresh()) {
                    if (profile.mode() == Mode.LEARN && f.kind() != ViolationKind.THREAT) {
                        continue;
                    }
                    lines.append(JSON.writeValueAsString(line(s, profile, f))).append('\n');
                }
                if (!lines.isEmpty()) {
                    Files.writeString(findings, lines, StandardOpenOption.APPEND);
                }
                writeAtomically(dir.resolve("state.json"), JSON.writeValueAsString(state(s, profile, verdict)));
                if (Files.exists(dir.resolve("render"))) {
                    writeAtomically(dir.resolve("learned.yaml"), ProfileRenderer.renderLearned("learned", learner.spec()));
                    Files.delete(dir.resolve("render"));
                }
                if (!Files.exists(dir.resolve("ready"))) {
                    Files.writeString(dir.resolve("ready"), "");
                }
                long left = interval - (System.nanoTime() - started) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        }
    }

    private static ObjectNode line(Snapshot s, Profile profile, Finding f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", s.sequence());
        o.put("time", s.time().toString());
        o.put("generation", profile.generation());
        o.put("mode", profile.mode().wire());
        o.put("kind", f.kind().name());
        o.put("rule", f.rule());
        o.put("severity", f.severity().name());
        o.put("key", f.key());
        ProcessSample p = f.subject();
        if (p != null) {
            o.put("pid", p.pid());
            o.put("ppid", p.ppid());
            o.put("exe", p.exe() != null ? p.exe().raw() : null);
            o.put("parentExe", p.parentExe());
            ArrayNode argv = o.putArray("argv");
            p.argv().args().forEach(argv::add);
            o.put("uid", p.uid().effective());
        }
        o.put("remote", f.remote());
        o.put("detail", f.detail());
        return o;
    }

    private static ObjectNode state(Snapshot s, Profile profile, Verdict verdict) {
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", s.sequence());
        o.put("time", s.time().toString());
        o.put("generation", profile.generation());
        o.put("mode", profile.mode().wire());
        o.put("forkSource", s.forks().source().name());
        o.put("forks", s.forks().sinceLastScan());
        o.put("forksPerMinute", Double.isNaN(verdict.forksPerMinute()) ? -1 : verdict.forksPerMinute());
        ArrayNode processes = o.putArray("processes");
        for (ProcessSample p : s.processes()) {
            ObjectNode n = processes.addObject();
            n.put("pid", p.pid());
            n.put("ppid", p.ppid());
            n.put("exe", p.exe() != null ? p.exe().raw() : null);
            ArrayNode argv = n.putArray("argv");
            p.argv().args().forEach(argv::add);
        }
        o.put("outbound", s.outbound().size());
        o.put("listeners", s.listeners().size());
        return o;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
