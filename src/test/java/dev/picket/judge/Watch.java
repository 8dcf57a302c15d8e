package dev.picket.judge;

import dev.picket.observe.ProcScanner;
import dev.picket.observe.ProcessSample;
import dev.picket.observe.ScannerSettings;
import dev.picket.observe.Snapshot;
import dev.picket.profile.Profile;
import dev.picket.profile.ProfileCompiler;
import dev.picket.profile.ProfileRenderer;
import dev.picket.profile.learn.Learner;
import dev.picket.profile.ViolationKind;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real scanner and a judge over one process tree (root-pid mode), driven by the test: every scan is
 * judged at once, and every fresh finding is kept in order, as the sidecar's scan loop would turn them
 * into violations.
 */
final class Watch implements AutoCloseable {

    /** Time between scans the test drives; the sidecar's default is 1 s, tests go faster. */
    static final Duration STEP = Duration.ofMillis(100);

    private final ProcScanner scanner;
    private final Judge judge;
    private Profile profile;
    private final List<Finding> findings = new ArrayList<>();
    private Snapshot last;
    private Verdict lastVerdict;
    private int scans;
    private final SteppingClock stepping;
    private boolean learning;
    private final java.util.Set<Integer> seenPids = new java.util.TreeSet<>();

    Watch(ScannerSettings settings, Clock clock, Profile profile, JudgeContext context) {
        this.scanner = new ProcScanner(settings, clock);
        this.judge = new Judge(context);
        this.profile = profile;
        this.stepping = clock instanceof SteppingClock c ? c : null;
    }

    static Watch tree(long rootPid, Profile profile) {
        return tree(rootPid, profile, JudgeContext.NONE);
    }

    static Watch tree(long rootPid, Profile profile, JudgeContext context) {
        return new Watch(ScannerSettings.rootPid(Path.of("/proc"), (int) rootPid), Clock.systemUTC(), profile, context);
    }

    /**
     * A watch whose scans are {@code perScan} apart in the judge's time, whatever the wall-clock pace: the
     * test scans every {@link #STEP} but the judge sees the sidecar's pace, so minute-long windows are
     * replayed in seconds. Only the time is compressed; processes and the fork counts are real.
     */
    static Watch stepping(long rootPid, Profile profile, Duration perScan) {
        return stepping(rootPid, profile, perScan, JudgeContext.NONE);
    }

    static Watch stepping(long rootPid, Profile profile, Duration perScan, JudgeContext context) {
        return new Watch(ScannerSettings.rootPid(Path.of("/proc"), (int) rootPid), new SteppingClock(perScan), profile,
                context);
    }

    void profile(Profile p) {
        this.profile = p;
    }

    /** One scan, judged; its fresh findings are added to {@link #findings()}. */
    Verdict scan() {
        if (stepping != null) {
            stepping.step();
        }
        last = scanner.scan();
        last.processes().forEach(p -> seenPids.add(p.pid()));
        lastVerdict = judge.judge(last, profile);
        for (Finding f : lastVerdict.fresh()) {
            if (!learning || f.kind() == ViolationKind.THREAT) {
                findings.add(f); // learning: only threats are violations, as in VerdictService
            }
        }
        scans++;
        return lastVerdict;
    }

    /** Scans every {@link #STEP} until {@code done} holds, or fails after {@code timeout} saying what was seen. */
    Watch until(Duration timeout, String what, Predicate<Watch> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            scan();
            if (done.test(this)) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n" + report());
            }
            pause();
        }
    }

    /** Scans every {@link #STEP} until a finding of {@code rule} is there, and returns the first. */
    Finding await(String rule, Duration timeout) {
        until(timeout, "a finding of " + rule, w -> !w.of(rule).isEmpty());
        return of(rule).getFirst();
    }

    Finding await(String rule) {
        return await(rule, Duration.ofSeconds(10));
    }

    /**
     * Learns the tree for {@code d} as the sidecar does with no profile configured (the embedded default,
     * learn mode; the learner fed with every scan and its verdict, as VerdictService feeds it), then returns
     * what {@code GET /v1/profile/learned} would: the learned profile, rendered with {@code mode: enforce}.
     */
    String learn(Duration d) {
        Learner learner = new Learner(1.5, (kind, time) -> { });
        Profile before = profile;
        profile = ProfileCompiler.embeddedDefault();
        learning = true;
        long end = System.nanoTime() + d.toNanos();
        do {
            Verdict v = scan();
            learner.observe(last, v, judge.context(), v.forksPerMinute());
            pause();
        } while (System.nanoTime() < end);
        learning = false;
        profile = before;
        return ProfileRenderer.renderLearned("learned", learner.spec());
    }

    /** Scans every {@link #STEP} for {@code d}: lets a condition persist over many scans. */
    Watch scanFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        do {
            scan();
            pause();
        } while (System.nanoTime() < end);
        return this;
    }

    /** Scans until a process whose argv contains {@code marker} is seen with its executable, and returns it. */
    ProcessSample awaitProcess(String marker, Duration timeout) {
        until(timeout, "a process with argument " + marker, w -> w.process(marker) != null);
        return process(marker);
    }

    ProcessSample process(String marker) {
        if (last == null) {
            return null;
        }
        return last.processes().stream()
                .filter(p -> p.exe() != null && p.argv().args().contains(marker))
                .findFirst().orElse(null);
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    List<Finding> of(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    List<Finding> of(ViolationKind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** Every pid seen by any scan of this watch. */
    java.util.Set<Integer> seenPids() {
        return java.util.Collections.unmodifiableSet(seenPids);
    }

    Snapshot last() {
        return last;
    }

    Verdict lastVerdict() {
        return lastVerdict;
    }

    int scans() {
        return scans;
    }

    Judge judge() {
        return judge;
    }

    /** Everything seen so far, for failure messages. */
    String report() {
        String fs = findings.stream().map(Watch::describe).collect(Collectors.joining("\n  "));
        String ps = last == null ? "" : last.processes().stream()
                .map(p -> p.pid() + " " + (p.exe() != null ? p.exe().raw() : p.comm()) + " " + p.argv().args())
                .collect(Collectors.joining("\n  "));
        return scans + " scans; findings:\n  " + fs + "\nlast processes:\n  " + ps
                + (last == null ? "" : "\nlast outbound: " + last.outbound() + "\nlast listeners: " + last.listeners()
                        + "\nlast raw: " + last.raw() + "\nlast totals: " + last.totals() + ", forks: " + last.forks());
    }

    static String describe(Finding f) {
        return f.kind() + " " + f.rule() + " " + f.severity() + " remote=" + f.remote() + " | " + f.detail();
    }

    private static void pause() {
        try {
            Thread.sleep(STEP.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        scanner.close();
    }

    /** Starts at the real time and moves only when the watch scans. */
    static final class SteppingClock extends Clock {

        private final Duration perScan;
        private volatile java.time.Instant now = java.time.Instant.now();

        SteppingClock(Duration perScan) {
            this.perScan = perScan;
        }

        void step() {
            now = now.plus(perScan);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }
}
