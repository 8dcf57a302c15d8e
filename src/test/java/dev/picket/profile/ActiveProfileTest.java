package dev.picket.profile;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile holder with real files: reloads, broken files, removal, ConfigMap-style symlink swaps, overrides. */
class ActiveProfileTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final String MONITOR = Docs.withSpec("mode: monitor");
    private static final String ENFORCE = Docs.withSpec("mode: enforce");
    private static final String BROKEN = Docs.withSpec("mode: enforce\nnetwork: {egress: [{cidr: 10.0.0.0/33}]}");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("profile.yaml");
    }

    private ActiveProfile holder() {
        return new ActiveProfile(Optional.of(file), Optional.empty(), clock);
    }

    @Test
    void withoutAProfileFileItUsesTheEmbeddedDefault() {
        ActiveProfile active = new ActiveProfile(Optional.empty(), Optional.empty(), clock);

        assertEquals(Mode.LEARN, active.current().mode());
        assertEquals("embedded default", active.source());
        assertEquals(1, active.generation());
        assertEquals(Optional.empty(), active.lastError());
        assertEquals(T0, active.lastLoadTime());
        assertFalse(active.refresh());
    }

    @Test
    void loadsTheFileAtStartAsGenerationOne() {
        Docs.write(file, ENFORCE);

        ActiveProfile active = holder();

        assertEquals(Mode.ENFORCE, active.current().mode());
        assertEquals("file " + file, active.source());
        assertEquals("file " + file, active.current().source());
        assertEquals(1, active.generation());
        assertEquals(Optional.empty(), active.lastError());
        assertFalse(active.refresh());
        assertEquals(1, active.generation());
    }

    @Test
    void aBrokenFileAtStartLeavesTheEmbeddedDefaultAndSaysWhy() {
        Docs.write(file, BROKEN);

        ActiveProfile active = holder();

        assertEquals("embedded default", active.source());
        assertEquals(Mode.LEARN, active.current().mode());
        ProfileError error = active.lastError().orElseThrow();
        assertEquals("file " + file, error.source());
        assertEquals("profile in file " + file + " rejected; keeping the last good profile (embedded default, "
                + "generation 1): spec.network.egress[0].cidr: \"10.0.0.0/33\" is not a valid CIDR: the network "
                + "prefix bit-length is negative or exceeds the address bit-length", error.message());
        assertEquals(List.of(new ValidationProblem("spec.network.egress[0].cidr", "\"10.0.0.0/33\" is not a valid "
                + "CIDR: the network prefix bit-length is negative or exceeds the address bit-length")), error.problems());
        assertEquals(T0, error.time());

        clock.advance(Duration.ofSeconds(3));
        Docs.write(file, ENFORCE);
        assertTrue(active.refresh());
        assertEquals(2, active.generation());
        assertEquals(Mode.ENFORCE, active.current().mode());
        assertEquals(Optional.empty(), active.lastError());
        assertEquals(T0.plusSeconds(3), active.lastLoadTime());
    }

    @Test
    void aMissingFileAtStartIsReportedAndPickedUpWhenItAppears() {
        ActiveProfile active = holder();

        assertEquals("embedded default", active.source());
        assertEquals("file " + file + " does not exist; keeping the last good profile (embedded default, generation 1)",
                active.lastError().orElseThrow().message());

        Docs.write(file, MONITOR);
        assertTrue(active.refresh());
        assertEquals(Mode.MONITOR, active.current().mode());
        assertEquals(2, active.generation());
        assertEquals(Optional.empty(), active.lastError());
    }

    @Test
    void aBrokenReloadKeepsTheLastGoodProfileAndTheFirstErrorTime() throws IOException {
        Docs.write(file, MONITOR);
        ActiveProfile active = holder();
        Profile good = active.current();

        clock.advance(Duration.ofSeconds(10));
        rewrite(BROKEN);
        assertFalse(active.refresh());

        assertSame(good, active.current());
        assertEquals(1, active.generation());
        ProfileError error = active.lastError().orElseThrow();
        assertEquals("profile in file " + file + " rejected; keeping the last good profile (file " + file
                + ", generation 1): spec.network.egress[0].cidr: \"10.0.0.0/33\" is not a valid CIDR: the network "
                + "prefix bit-length is negative or exceeds the address bit-length", error.message());
        assertEquals(T0.plusSeconds(10), error.time());

        clock.advance(Duration.ofSeconds(10));
        assertFalse(active.refresh());
        assertEquals(T0.plusSeconds(10), active.lastError().orElseThrow().time());

        clock.advance(Duration.ofSeconds(10));
        rewrite(ENFORCE);
        assertTrue(active.refresh());
        assertEquals(2, active.generation());
        assertEquals(Mode.ENFORCE, active.current().mode());
        assertEquals(Optional.empty(), active.lastError());
        assertEquals(T0.plusSeconds(30), active.lastLoadTime());
    }

    @Test
    void logsEachDistinctErrorOnce() throws IOException {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(ActiveProfile.class.getName());
        logger.addHandler(capture);
        try {
            Docs.write(file, MONITOR);
            ActiveProfile active = holder();
            rewrite(BROKEN);
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(1));
                active.refresh();
            }
            assertEquals(1, warnings.size());
            rewrite(BROKEN.replace("10.0.0.0/33", "10.0.0.0/34"));
            active.refresh();
            active.refresh();
            assertEquals(2, warnings.size());
            assertTrue(warnings.get(1).endsWith("spec.network.egress[0].cidr: \"10.0.0.0/34\" is not a valid CIDR: the "
                    + "network prefix bit-length is negative or exceeds the address bit-length"), warnings.get(1));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void fixingBackToTheSameProfileClearsTheErrorWithoutANewGeneration() throws IOException {
        Docs.write(file, MONITOR);
        ActiveProfile active = holder();
        Profile good = active.current();

        rewrite(BROKEN);
        active.refresh();
        rewrite(MONITOR + "# a comment changes the bytes, not the profile\n");

        assertFalse(active.refresh());
        assertSame(good, active.current());
        assertEquals(1, active.generation());
        assertEquals(Optional.empty(), active.lastError());
        assertEquals(T0, active.lastLoadTime());
    }

    @Test
    void theGenerationCountsOnlySuccessfulChanges() throws IOException {
        Docs.write(file, MONITOR);
        ActiveProfile active = holder();
        List<String> sequence = List.of(ENFORCE, ENFORCE + "\n", BROKEN, MONITOR, Docs.withSpec("mode: learn"),
                BROKEN, BROKEN + "\n", Docs.withSpec("mode: learn"));
        List<Long> generations = new java.util.ArrayList<>();
        for (String content : sequence) {
            rewrite(content);
            active.refresh();
            generations.add(active.generation());
        }
        assertEquals(List.of(2L, 2L, 2L, 3L, 4L, 4L, 4L, 4L), generations);
    }

    @Test
    void aRemovedFileKeepsTheProfileUntilItIsBack() throws IOException {
        Docs.write(file, ENFORCE);
        ActiveProfile active = holder();
        Profile good = active.current();

        clock.advance(Duration.ofSeconds(5));
        Files.delete(file);
        assertFalse(active.refresh());
        assertSame(good, active.current());
        ProfileError error = active.lastError().orElseThrow();
        assertEquals("file " + file + " was removed; keeping the last good profile (file " + file + ", generation 1)",
                error.message());
        assertEquals(List.of(), error.problems());
        assertEquals(T0.plusSeconds(5), error.time());
        assertFalse(active.refresh());

        Docs.write(file, ENFORCE);
        assertFalse(active.refresh());
        assertSame(good, active.current());
        assertEquals(Optional.empty(), active.lastError());

        Files.delete(file);
        active.refresh();
        Docs.write(file, MONITOR);
        assertTrue(active.refresh());
        assertEquals(2, active.generation());
        assertEquals(Mode.MONITOR, active.current().mode());
    }

    @Test
    void followsAConfigMapStyleSymlinkSwap() throws IOException {
        Path mount = Files.createDirectory(dir.resolve("mount"));
        Path v1 = Files.createDirectory(mount.resolve("..2026_11_28_10_00_00.1"));
        Docs.write(v1.resolve("profile.yaml"), MONITOR);
        Files.createSymbolicLink(mount.resolve("..data"), v1.getFileName());
        Path linked = mount.resolve("profile.yaml");
        Files.createSymbolicLink(linked, Path.of("..data/profile.yaml"));
        ActiveProfile active = new ActiveProfile(Optional.of(linked), Optional.empty(), clock);
        assertEquals(Mode.MONITOR, active.current().mode());

        Path v2 = Files.createDirectory(mount.resolve("..2026_11_28_10_05_00.2"));
        Docs.write(v2.resolve("profile.yaml"), ENFORCE);
        Path tmp = mount.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, v2.getFileName());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(v1);

        assertTrue(active.refresh());
        assertEquals(Mode.ENFORCE, active.current().mode());
        assertEquals(2, active.generation());
        assertEquals("file " + linked, active.source());
        assertFalse(active.refresh());
    }

    @Test
    void refusesAFileOverOneMebibyteAndADirectory() throws IOException {
        Docs.write(file, MONITOR);
        ActiveProfile active = holder();

        rewrite(MONITOR + "#" + "x".repeat(ProfileLimits.MAX_DOCUMENT_BYTES) + "\n");
        assertFalse(active.refresh());
        assertEquals("profile in file " + file + " rejected; keeping the last good profile (file " + file
                + ", generation 1): <document>: the profile has more than 1048576 bytes",
                active.lastError().orElseThrow().message());

        Files.delete(file);
        Files.createDirectory(file);
        assertFalse(active.refresh());
        assertEquals("file " + file + " is not a regular file; keeping the last good profile (file " + file
                + ", generation 1)", active.lastError().orElseThrow().message());
        assertEquals(Mode.MONITOR, active.current().mode());
    }

    @Test
    void aModeOverrideWinsOverTheProfileUntilCleared() throws IOException {
        Docs.write(file, MONITOR);
        ActiveProfile active = new ActiveProfile(Optional.of(file), Optional.of("enforce"), clock);

        assertEquals(Mode.ENFORCE, active.current().mode());
        assertEquals(Optional.of(Mode.ENFORCE), active.modeOverride());

        rewrite(Docs.withSpec("mode: learn\nprocesses: {allowRoot: true}"));
        assertTrue(active.refresh());
        assertEquals(Mode.ENFORCE, active.current().mode());
        assertTrue(active.current().rootAllowed());

        active.setModeOverride(Mode.MONITOR);
        assertEquals(Mode.MONITOR, active.current().mode());
        assertEquals(2, active.generation());

        active.clearModeOverride();
        assertEquals(Mode.LEARN, active.current().mode());
        assertEquals(Optional.empty(), active.modeOverride());
    }

    @Test
    void anInvalidConfiguredModeIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ActiveProfile(Optional.empty(), Optional.of("Enforce"), clock));
        assertEquals("picket.mode: \"Enforce\" is not one of learn, monitor, enforce", e.getMessage());
    }

    @Test
    void installsAWorkloadProfileThroughTheSameValidation() {
        ActiveProfile active = new ActiveProfile(Optional.empty(), Optional.empty(), clock);
        WorkloadProfile wp = ProfileReader.read(Docs.resource("issue-example.yaml")).orElseThrow();
        wp.getMetadata().setNamespace("shop");

        Validated<Profile> installed = active.install(wp);

        assertTrue(installed.isValid());
        assertEquals(2, active.generation());
        assertEquals("WorkloadProfile shop/checkout", active.source());
        assertEquals(Mode.ENFORCE, active.current().mode());

        WorkloadProfile bad = WorkloadProfile.of("checkout", new WorkloadProfileSpec());
        bad.getMetadata().setNamespace("shop");
        bad.getSpec().setProcesses(new ProcessesSpec(List.of(new ProcessRuleSpec("python3", null)), null));
        Validated<Profile> refused = active.install(bad);

        assertFalse(refused.isValid());
        assertEquals("spec.processes.allow[0].exe: \"python3\" is not an absolute path: executables are matched by "
                + "their full path, so start with / (or with ** to match in any directory)", refused.describe());
        assertEquals(2, active.generation());
        assertEquals(Mode.ENFORCE, active.current().mode());
        ProfileError error = active.lastError().orElseThrow();
        assertEquals("WorkloadProfile shop/checkout", error.source());
        assertEquals("profile from WorkloadProfile shop/checkout rejected; keeping the last good profile (WorkloadProfile "
                + "shop/checkout, generation 2): spec.processes.allow[0].exe: \"python3\" is not an absolute path: "
                + "executables are matched by their full path, so start with / (or with ** to match in any directory)",
                error.message());

        assertFalse(active.install(null).isValid());
        WorkloadProfile nameless = new WorkloadProfile();
        nameless.setMetadata(new ObjectMeta());
        assertEquals("metadata.name: is required", active.install(nameless).describe());
    }

    /** Replaces the file's content the way an editor or kubectl cp would, with a new mtime for sure. */
    private void rewrite(String content) throws IOException {
        Path tmp = dir.resolve("profile.yaml.tmp");
        Docs.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
