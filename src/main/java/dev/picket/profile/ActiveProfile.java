package dev.picket.profile;

import dev.picket.config.PicketConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The profile in force, and where it comes from. Loads {@code picket.profile.path} at start (the embedded
 * default when none is configured, or when the configured one cannot be used yet), and re-checks the file
 * on every scan interval: a Kubernetes ConfigMap mount replaces the file by swapping a {@code ..data}
 * symlink, which file watches miss, so the check compares the resolved file's identity, time and size, and
 * then the content's hash.
 * <p>
 * A changed file is read, validated and compiled; only a valid profile replaces the active one, atomically,
 * and only a profile that differs increments the generation. A broken, unreadable or removed file keeps the
 * last good profile and records a {@link ProfileError}, logged once per distinct error.
 * <p>
 * A mode override (from {@code picket.mode}, {@code PUT /v1/mode} or the learn-mode switch) replaces the
 * profile's mode until cleared, across profile changes.
 */
@ApplicationScoped
@Startup
public class ActiveProfile {

    private static final Logger LOG = Logger.getLogger(ActiveProfile.class);

    private final Optional<Path> path;
    private final Clock clock;
    private final Object lock = new Object();

    /** Everything readers see, swapped as one. */
    private volatile State state;

    // file polling state, guarded by lock
    private FileStamp lastStamp;
    private byte[] lastHash;
    private String lastLogged;
    /** True while the constructor loads the file: its profile replaces the embedded default as generation 1. */
    private boolean startingUp;

    private record State(Profile base, Optional<Mode> override, Profile effective, Instant loadedAt,
            Optional<ProfileError> error) {
    }

    private record FileStamp(Object fileKey, FileTime modified, long size) {
    }

    @Inject
    public ActiveProfile(PicketConfig config, Clock clock) {
        this(config.profile().path(), config.mode(), clock);
    }

    /**
     * @param path         the profile file; empty for the embedded default
     * @param modeOverride {@code learn}, {@code monitor} or {@code enforce} to override the profile's mode
     * @throws IllegalArgumentException when {@code modeOverride} is not a mode: a configuration error
     */
    @SuppressWarnings("this-escape")
    public ActiveProfile(Optional<Path> path, Optional<String> modeOverride, Clock clock) {
        this.path = Objects.requireNonNull(path);
        this.clock = Objects.requireNonNull(clock);
        Optional<Mode> override = modeOverride.map(m -> Mode.parse(m).orElseThrow(() -> new IllegalArgumentException(
                "picket.mode: " + Text.quote(m) + " is not one of " + Wire.names(Mode.class))));
        Profile initial = ProfileCompiler.embeddedDefault();
        this.state = new State(initial, override, apply(initial, override), clock.instant(), Optional.empty());
        synchronized (lock) {
            if (path.isPresent()) {
                startingUp = true;
                try {
                    loadFile(path.get());
                } finally {
                    startingUp = false;
                }
            } else {
                LOG.infof("no profile configured (picket.profile.path): using the %s, mode %s",
                        ProfileCompiler.EMBEDDED_SOURCE, state.effective().mode().wire());
            }
        }
    }

    /** The profile in force, with any mode override applied. Cheap: read it on every scan. */
    public Profile current() {
        return state.effective();
    }

    public long generation() {
        return state.base().generation();
    }

    /** Where the active profile came from; see {@link Profile#source()}. */
    public String source() {
        return state.base().source();
    }

    /** Why the last change failed, until a later load succeeds. */
    public Optional<ProfileError> lastError() {
        return state.error();
    }

    /** When the active profile was loaded. */
    public Instant lastLoadTime() {
        return state.loadedAt();
    }

    /** The configured profile file, if any. */
    public Optional<Path> path() {
        return path;
    }

    public Optional<Mode> modeOverride() {
        return state.override();
    }

    /** Overrides the profile's mode until {@link #clearModeOverride()}; the generation does not change. */
    public void setModeOverride(Mode mode) {
        Objects.requireNonNull(mode, "mode");
        synchronized (lock) {
            State s = state;
            state = new State(s.base(), Optional.of(mode), apply(s.base(), Optional.of(mode)), s.loadedAt(), s.error());
        }
        LOG.infof("mode override set: %s", mode.wire());
    }

    public void clearModeOverride() {
        synchronized (lock) {
            State s = state;
            state = new State(s.base(), Optional.empty(), s.base(), s.loadedAt(), s.error());
        }
        LOG.info("mode override cleared");
    }

    /**
     * Installs a profile from a {@code WorkloadProfile} (the custom-resource source of #5), through the same
     * validation as a file. On problems the active profile stays and the error is recorded; the answer lists
     * the problems either way.
     */
    public Validated<Profile> install(WorkloadProfile resource) {
        synchronized (lock) {
            String source = resource == null ? WorkloadProfile.KIND + " (none)" : ProfileCompiler.sourceOf(resource);
            Validated<Profile> compiled = ProfileCompiler.fromResource(resource, nextGeneration());
            if (compiled.isValid()) {
                swap(compiled.value());
            } else {
                fail(source, "profile from " + source + " rejected; keeping " + keeping(), compiled.problems());
            }
            return compiled.isValid() ? Validated.valid(current()) : compiled;
        }
    }

    /**
     * Re-checks the profile file; call it freely (it runs on its own at the scan interval). Returns true when
     * a new profile became active.
     */
    public boolean refresh() {
        if (path.isEmpty()) {
            return false;
        }
        synchronized (lock) {
            try {
                return loadFile(path.get());
            } catch (RuntimeException e) {
                fail(fileSource(path.get()), "checking " + fileSource(path.get()) + " failed: "
                        + Text.oneLine(String.valueOf(e)), List.of());
                return false;
            }
        }
    }

    @Scheduled(every = "${picket.scan.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "picket-profile-refresh")
    void scheduledRefresh() {
        refresh();
    }

    // ---- internals, called with the lock held ----

    private boolean loadFile(Path file) {
        String source = fileSource(file);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return missing(source);
        } catch (IOException e) {
            lastStamp = null;
            lastHash = null;
            fail(source, source + " cannot be read (" + Text.oneLine(String.valueOf(e)) + "); keeping " + keeping(),
                    List.of());
            return false;
        }
        if (!attrs.isRegularFile()) {
            lastStamp = null;
            lastHash = null;
            fail(source, source + " is not a regular file; keeping " + keeping(), List.of());
            return false;
        }
        FileStamp stamp = new FileStamp(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size());
        if (stamp.equals(lastStamp)) {
            return false;
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(ProfileLimits.MAX_DOCUMENT_BYTES + 1);
        } catch (NoSuchFileException e) {
            return missing(source);
        } catch (IOException e) {
            fail(source, source + " cannot be read (" + Text.oneLine(String.valueOf(e)) + "); keeping " + keeping(),
                    List.of());
            return false;
        }
        lastStamp = stamp;
        byte[] hash = sha256(bytes);
        if (Arrays.equals(hash, lastHash)) {
            return false;
        }
        lastHash = hash;
        Validated<Profile> compiled = ProfileCompiler.fromYaml(bytes, source, nextGeneration());
        if (!compiled.isValid()) {
            fail(source, "profile in " + source + " rejected; keeping " + keeping(), compiled.problems());
            return false;
        }
        return swap(compiled.value());
    }

    private boolean missing(String source) {
        lastStamp = null;
        lastHash = null;
        String what = state.base().source().equals(source) ? " was removed" : " does not exist";
        fail(source, source + what + "; keeping " + keeping(), List.of());
        return false;
    }

    /** Makes {@code candidate} active unless it equals the active one; clears any error either way. */
    private boolean swap(Profile candidate) {
        State s = state;
        Instant now = clock.instant();
        boolean same = !startingUp && candidate.withGeneration(s.base().generation()).equals(s.base());
        Profile base = same ? s.base() : candidate;
        state = new State(base, s.override(), apply(base, s.override()), same ? s.loadedAt() : now, Optional.empty());
        if (s.error().isPresent() || !same) {
            LOG.infof("profile %s from %s is active (generation %d, mode %s)%s", base.name(), base.source(),
                    base.generation(), state.effective().mode().wire(), same ? ", unchanged" : "");
        }
        if (!same) {
            // exceptions silence threat findings: each is logged with its reason, so the log shows what is excepted
            for (ThreatException e : base.threatExceptions().entries()) {
                LOG.infof("profile %s generation %d excepts %s", base.name(), base.generation(), e.describe());
            }
        }
        lastLogged = null;
        return !same;
    }

    private long nextGeneration() {
        return startingUp ? 1 : generation() + 1;
    }

    /** Records a failure; the same failure again keeps its first time (and is not logged again). */
    private void fail(String source, String message, List<ValidationProblem> problems) {
        State s = state;
        String full = problems.isEmpty() ? message
                : message + ": " + problems.stream().map(ValidationProblem::toString).collect(Collectors.joining("; "));
        if (s.error().isPresent() && s.error().get().message().equals(full)) {
            return;
        }
        ProfileError error = new ProfileError(source, full, problems, clock.instant());
        state = new State(s.base(), s.override(), s.effective(), s.loadedAt(), Optional.of(error));
        if (!full.equals(lastLogged)) {
            LOG.warn(full);
            lastLogged = full;
        }
    }

    private String keeping() {
        Profile p = state.base();
        return "the last good profile (" + p.source() + ", generation " + p.generation() + ")";
    }

    private static Profile apply(Profile base, Optional<Mode> override) {
        return override.map(base::withMode).orElse(base);
    }

    private static String fileSource(Path file) {
        return "file " + file;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
