package dev.picket.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.picket.config.PicketConfig;
import dev.picket.observe.Snapshot;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The pod's quarantine, persisted in {@code picket.state.dir/quarantine.json}. Writing it is the first
 * step of a quarantine, so a crash right after still leaves the pod quarantined on restart. Quarantine is
 * one-way from inside the pod: nothing here releases it except noticing that an operator removed the
 * record (locally the file; in a cluster the pod label, see the kube package).
 */
@ApplicationScoped
public class QuarantineState {

    static final String FILE = "quarantine.json";

    @Inject
    PicketConfig config;
    @Inject
    ObjectMapper json;
    @Inject
    Event<QuarantineChange> changes;
    @Inject
    QuarantinePublisher publisher;

    private volatile QuarantineRecord current;

    /** Told of every change, for Events and the pod label in a cluster. */
    public record QuarantineChange(QuarantineRecord record, boolean quarantined) {
    }

    void start(@Observes StartupEvent event) {
        try {
            StateDir.ensure(config.state().dir());
        } catch (IOException e) {
            Log.errorf("state dir %s is not usable: %s; a quarantine will not survive a restart",
                    config.state().dir(), e.getMessage());
        }
        read().ifPresent(r -> {
            current = r;
            Log.warnf("restored quarantine from %s: %s (since %s)", file(), r.reason(), r.time());
        });
    }

    public Optional<QuarantineRecord> current() {
        return Optional.ofNullable(current);
    }

    public boolean isQuarantined() {
        return current != null;
    }

    Path file() {
        return config.state().dir().resolve(FILE);
    }

    /**
     * Persists the quarantine (step 1: the state file, then the cluster record through the publisher),
     * then marks it in memory (readiness reads that: step 2). An already quarantined pod keeps its first
     * record. Returns false when the record could not be written; the pod is quarantined in memory anyway,
     * since failing open would be worse.
     */
    public synchronized boolean quarantine(QuarantineRecord record) {
        if (current != null) {
            return true;
        }
        boolean persisted = true;
        try {
            write(record);
        } catch (IOException e) {
            persisted = false;
            Log.errorf("could not persist the quarantine to %s: %s; quarantined until Picket restarts", file(),
                    e.getMessage());
        }
        Log.infof("quarantine record: %s", publisher.publish(record));
        current = record;
        Log.warnf("pod quarantined: %s", record.reason());
        changes.fire(new QuarantineChange(record, true));
        return persisted;
    }

    /** Each scan: an operator who removed the record has released the pod. */
    void onScan(@Observes Snapshot snapshot) {
        QuarantineRecord r = current;
        if (r != null && !Files.exists(file())) {
            release(r, "the quarantine record " + file() + " was removed");
        } else if (r == null && Files.exists(file())) {
            read().ifPresent(found -> {
                synchronized (this) {
                    current = found;
                }
                Log.warnf("quarantine record appeared in %s: %s", file(), found.reason());
                changes.fire(new QuarantineChange(found, true));
            });
        }
    }

    /** Releases when told from outside the pod (the label was removed); never from the control endpoint. */
    public synchronized void release(QuarantineRecord r, String why) {
        if (current == null) {
            return;
        }
        current = null;
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            Log.errorf("could not remove %s: %s", file(), e.getMessage());
        }
        Log.warnf("quarantine released: %s", why);
        changes.fire(new QuarantineChange(r, false));
    }

    private void write(QuarantineRecord record) throws IOException {
        Path dir = StateDir.ensure(config.state().dir());
        Path tmp = Files.createTempFile(dir, ".quarantine", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(json.writeValueAsBytes(record)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Optional<QuarantineRecord> read() {
        Path f = file();
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(f.toFile(), QuarantineRecord.class));
        } catch (IOException e) {
            // a damaged record still means someone quarantined this pod: fail closed
            Log.errorf("quarantine record %s is unreadable (%s): staying quarantined", f, e.getMessage());
            return Optional.of(new QuarantineRecord("unreadable quarantine record: " + e.getMessage(),
                    java.time.Instant.EPOCH, null, null, null));
        }
    }
}
