package dev.picket.profile.learn;

import dev.picket.judge.Finding;
import dev.picket.judge.JudgeContext;
import dev.picket.judge.Verdict;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.SocketSample;
import dev.picket.observe.Snapshot;
import dev.picket.observe.Transport;
import dev.picket.profile.EgressRuleSpec;
import dev.picket.profile.ListenRuleSpec;
import dev.picket.profile.NetworkSpec;
import dev.picket.profile.ProcessRuleSpec;
import dev.picket.profile.ProcessesSpec;
import dev.picket.profile.Protocol;
import dev.picket.profile.ResourcesSpec;
import dev.picket.profile.WorkloadProfileSpec;
import io.fabric8.kubernetes.api.model.Quantity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Records what a workload does in learn mode and turns it into a profile: executables with their
 * parents, egress destinations and ports, listen ports, and resource peaks with headroom. What the judge
 * currently sees as a threat is never learned. Pure apart from its own memory; thread-safe, because the
 * scan thread writes while the REST layer reads.
 */
public final class Learner {

    /** What kinds of item are learned; the label of {@code picket_learned_items_total}. */
    public enum ItemKind {
        PROCESS, EGRESS, LISTEN, ROOT
    }

    private static final String NO_PARENT = "";

    private final double headroom;
    private final BiConsumer<ItemKind, Instant> onNewItem;
    private final TreeMap<String, TreeSet<String>> processes = new TreeMap<>();
    private final TreeMap<String, TreeSet<Integer>> egress = new TreeMap<>();
    private final TreeSet<String> listen = new TreeSet<>();
    private final Map<ItemKind, Long> counts = new EnumMap<>(ItemKind.class);
    private boolean rootSeen;
    private double peakCpu;
    private long peakMemory;
    private int peakProcesses;
    private int peakThreads;
    private int peakOpenFiles;
    private double peakForksPerMinute;
    /** Whether the fork rate was ever known while learning (it is not for the first 12 s of scans). */
    private boolean forkRateKnown;
    private Instant since;
    private Instant lastNewItem;
    private long scans;

    /**
     * @param headroom  factor applied to resource peaks (1.5 = 50 % above the highest value seen)
     * @param onNewItem told of every item learned for the first time (metrics)
     */
    public Learner(double headroom, BiConsumer<ItemKind, Instant> onNewItem) {
        if (headroom < 1) {
            throw new IllegalArgumentException("headroom must be at least 1: " + headroom);
        }
        this.headroom = headroom;
        this.onNewItem = onNewItem;
    }

    public synchronized void observe(Snapshot s, Verdict verdict, JudgeContext context, double forksPerMinute) {
        Instant now = s.time();
        if (since == null) {
            since = now;
        }
        scans++;
        Map<Integer, ProcessSample> byPid = new java.util.HashMap<>();
        for (ProcessSample p : s.processes()) {
            byPid.put(p.pid(), p);
            if (p.exe() == null || p.state() == 'Z' || verdict.threatIdentities().contains(Finding.identityOf(p))) {
                continue;
            }
            String parent = p.parentExe() == null ? NO_PARENT : p.parentExe();
            if (processes.computeIfAbsent(p.exe().path(), k -> new TreeSet<>()).add(parent)) {
                learned(ItemKind.PROCESS, now);
            }
            if (p.uid().effective() == 0 && !rootSeen) {
                rootSeen = true;
                learned(ItemKind.ROOT, now);
            }
        }
        for (SocketSample c : s.outbound()) {
            if (!countsAsEgress(c, context) || verdict.threatRemotes().contains(c.remoteSpec())) {
                continue;
            }
            ProcessSample owner = byPid.get(c.ownerPid());
            if (owner != null && verdict.threatIdentities().contains(Finding.identityOf(owner))) {
                continue;
            }
            String key = c.remote().ip() + "|" + c.transport().lower();
            if (egress.computeIfAbsent(key, k -> new TreeSet<>()).add(c.remote().port())) {
                learned(ItemKind.EGRESS, now);
            }
        }
        for (SocketSample l : s.listeners()) {
            if (l.transport() == Transport.UDP && context.isEphemeral(l.local().port())) {
                continue;
            }
            if (listen.add(String.format("%05d|%s", l.local().port(), l.transport().lower()))) {
                learned(ItemKind.LISTEN, now);
            }
        }
        peakCpu = Math.max(peakCpu, s.totals().cpuCores());
        peakMemory = Math.max(peakMemory, s.totals().rssBytes());
        peakProcesses = Math.max(peakProcesses, s.totals().processes());
        peakThreads = Math.max(peakThreads, s.totals().threads());
        peakOpenFiles = Math.max(peakOpenFiles, s.totals().openFds());
        if (!Double.isNaN(forksPerMinute)) {
            peakForksPerMinute = Math.max(peakForksPerMinute, forksPerMinute);
            forkRateKnown = true;
        }
    }

    private static boolean countsAsEgress(SocketSample c, JudgeContext context) {
        if (c.remote() == null || c.remote().isAny() || c.remote().address().isLoopbackAddress()) {
            return false;
        }
        return !(c.remote().port() == 53 && context.isResolver(c.remote().address()));
    }

    private void learned(ItemKind kind, Instant now) {
        counts.merge(kind, 1L, Long::sum);
        lastNewItem = now;
        onNewItem.accept(kind, now);
    }

    /**
     * The learned profile: allowlists of everything seen, ceilings at the peaks times the headroom;
     * {@code forksPerMinute} only when the fork rate was measured while learning.
     */
    public synchronized WorkloadProfileSpec spec() {
        WorkloadProfileSpec spec = new WorkloadProfileSpec();
        List<ProcessRuleSpec> allow = new ArrayList<>();
        processes.forEach((exe, parents) -> parents.forEach(parent -> allow.add(
                new ProcessRuleSpec(literal(exe), parent.isEmpty() ? null : literal(parent)))));
        spec.setProcesses(new ProcessesSpec(allow, rootSeen));
        List<EgressRuleSpec> out = new ArrayList<>();
        egress.forEach((key, ports) -> {
            String[] ipProto = key.split("\\|");
            String cidr = ipProto[0] + (ipProto[0].contains(":") ? "/128" : "/32");
            out.add(new EgressRuleSpec(cidr, List.copyOf(ports), Protocol.fromWire(ipProto[1])));
        });
        List<ListenRuleSpec> in = new ArrayList<>();
        for (String l : listen) {
            String[] portProto = l.split("\\|");
            in.add(new ListenRuleSpec(Integer.parseInt(portProto[0]), Protocol.fromWire(portProto[1])));
        }
        spec.setNetwork(new NetworkSpec(out, in));
        if (scans > 0) {
            ResourcesSpec r = new ResourcesSpec();
            r.setCpuCores(Math.ceil(Math.max(peakCpu * headroom, peakCpu + 0.1) * 100) / 100);
            long mem = (long) Math.max(peakMemory * headroom, peakMemory + (16L << 20));
            r.setMemory(new Quantity(Long.toString((mem + (1 << 20) - 1) >> 20), "Mi"));
            r.setProcesses((int) Math.ceil(Math.max(peakProcesses * headroom, peakProcesses + 2)));
            r.setThreads((int) Math.ceil(Math.max(peakThreads * headroom, peakThreads + 8)));
            r.setOpenFiles((int) Math.ceil(Math.max(peakOpenFiles * headroom, peakOpenFiles + 16)));
            if (forkRateKnown) {
                // never measured is not zero: without a ceiling fork-burst keeps its default threshold
                r.setForksPerMinute((int) Math.ceil(Math.max(peakForksPerMinute * headroom, peakForksPerMinute + 30)));
            }
            spec.setResources(r);
        }
        return spec;
    }

    /** Escapes glob metacharacters so a learned path matches only itself. */
    static String literal(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if ("\\*?[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    public synchronized Map<ItemKind, Long> counts() {
        Map<ItemKind, Long> out = new EnumMap<>(ItemKind.class);
        for (ItemKind k : ItemKind.values()) {
            out.put(k, counts.getOrDefault(k, 0L));
        }
        return out;
    }

    public synchronized Optional<Instant> lastNewItem() {
        return Optional.ofNullable(lastNewItem);
    }

    public synchronized Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    public synchronized long scans() {
        return scans;
    }

}
