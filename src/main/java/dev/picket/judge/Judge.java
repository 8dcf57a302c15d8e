package dev.picket.judge;

import dev.picket.observe.ProcessSample;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Mode;
import dev.picket.profile.Profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges each snapshot against the active profile and the built-in threat rules. Pure: no I/O, no clock
 * (time is the snapshot's), no Kubernetes. It remembers what it already reported so that a process,
 * connection or breach that lasts many scans raises one violation: a key is forgotten when the process
 * it belongs to is gone, or, for findings without a process, ten minutes after it was last seen.
 *
 * <p>In learn mode only threats are violations, so only threats are remembered and returned: what the
 * workload does while learning was never reported, and the profile enforced afterwards (often the learned
 * one with entries a reviewer removed) must judge what is still running as new.
 *
 * <p>Not thread-safe: called from the scan thread.
 */
public final class Judge {

    static final Duration ORPHAN_MEMORY = Duration.ofMinutes(10);
    static final int MAX_KEYS = 200_000;

    private final JudgeContext context;
    private final List<Rule> rules;
    private final ForkRate forkRate = new ForkRate();
    private final Map<String, Instant> lastSeen = new HashMap<>();
    private final Map<String, String> keyIdentity = new HashMap<>();
    private boolean judgedBefore;

    public Judge(JudgeContext context) {
        this.context = context;
        this.rules = List.of(new ProcessAllowlistRule(), new NetworkAllowlistRule(), new ResourceCeilingRule(),
                new ProgramImageThreats(), new ReverseShellRule(), new ConnectionThreats(), new ProcessStateThreats(),
                new RuntimeSocketRule(), new ForkBurstRule());
    }

    public JudgeContext context() {
        return context;
    }

    public Verdict judge(Snapshot snapshot, Profile profile) {
        Scene scene = new Scene(snapshot, context);
        // The first snapshot has no scan before it: in the local modes it counts every process of the tree as
        // new, which is the workload as found, not a fork rate (pod mode's counter starts at 0 anyway).
        forkRate.add(snapshot.time(), judgedBefore ? snapshot.forks().sinceLastScan() : 0);
        judgedBefore = true;
        scene.forksPerMinute = forkRate.perMinute(snapshot.time(), Duration.ofSeconds(60));
        scene.recentForksPerMinute = forkRate.perMinute(snapshot.time(), Duration.ofSeconds(10));
        List<Finding> all = new ArrayList<>();
        for (Rule rule : rules) {
            rule.evaluate(snapshot, profile, scene, all);
        }
        Instant now = snapshot.time();
        boolean learning = profile.mode() == Mode.LEARN;
        List<Finding> fresh = new ArrayList<>();
        Set<String> threatIdentities = new HashSet<>();
        Set<String> threatRemotes = new HashSet<>();
        for (Finding f : all) {
            if (f.threat() != null) {
                if (!profile.threatEnabled(f.threat()) || excepted(profile, f)) {
                    continue; // an excepted finding is normal for this workload: not raised, and learnable
                }
                if (f.identity() != null) {
                    threatIdentities.add(f.identity());
                }
                if (f.remote() != null) {
                    threatRemotes.add(f.remote());
                }
            }
            if (learning && f.threat() == null) {
                continue; // see the class comment: not a violation, and not to be remembered as reported
            }
            if (lastSeen.put(f.key(), now) == null) {
                fresh.add(f);
                if (f.identity() != null) {
                    keyIdentity.put(f.key(), f.identity());
                }
            }
        }
        forget(scene, now);
        return new Verdict(List.copyOf(fresh), threatIdentities, threatRemotes, scene.forksPerMinute);
    }

    /** Whether a {@code spec.threats.exceptions} entry covers this threat finding (its process, parent and remote). */
    private static boolean excepted(Profile profile, Finding f) {
        ProcessSample p = f.subject();
        return profile.threatExcepted(f.threat(), p != null && p.exe() != null ? p.exe().path() : null,
                p != null ? p.parentExe() : null, f.remote());
    }

    private void forget(Scene scene, Instant now) {
        Instant horizon = now.minus(ORPHAN_MEMORY);
        for (Iterator<Map.Entry<String, Instant>> it = lastSeen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instant> e = it.next();
            String identity = keyIdentity.get(e.getKey());
            boolean gone = identity != null ? !alive(identity, scene) : e.getValue().isBefore(horizon);
            if (gone) {
                it.remove();
                keyIdentity.remove(e.getKey());
            }
        }
        if (lastSeen.size() > MAX_KEYS) {
            // a flood of distinct findings: forget the oldest half rather than grow without bound
            List<Map.Entry<String, Instant>> entries = new ArrayList<>(lastSeen.entrySet());
            entries.sort(Map.Entry.comparingByValue());
            for (int i = 0; i < entries.size() / 2; i++) {
                lastSeen.remove(entries.get(i).getKey());
                keyIdentity.remove(entries.get(i).getKey());
            }
        }
    }

    /**
     * Forgets what was reported, so every standing condition is raised again at the next scan: called when
     * enforcing starts, so that what was only reported (or shadow-enforced) is now acted on.
     */
    public void forgetReported() {
        lastSeen.clear();
        keyIdentity.clear();
    }

    /**
     * Whether the process an identity ({@link Finding#identityOf}: "pid:startTicks") names is in the snapshot:
     * one lookup per remembered key, instead of the identity text of every process on every scan.
     */
    private static boolean alive(String identity, Scene scene) {
        int colon = identity.indexOf(':');
        try {
            ProcessSample p = scene.process(Integer.parseInt(identity, 0, colon, 10));
            return p != null && p.startTicks() == Long.parseLong(identity, colon + 1, identity.length(), 10);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Keys currently remembered; for tests of the memory bound. */
    int rememberedKeys() {
        return lastSeen.size();
    }
}
