package dev.picket.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way Picket writes to the API server outside a quarantine's first attempt: Events, status updates and
 * pod-label retries wait here and are delivered in order by one thread, so nothing on the scan thread or the
 * HTTP threads ever waits for the API server.
 * <ul>
 * <li><b>Bounded.</b> At most {@code capacity} deliveries wait. When full, a new delivery is dropped, so what
 * was queued first is delivered first; a critical one (the quarantine label) is never dropped: it goes to the
 * front of the queue and, when full, takes the place of the newest non-critical one. Every drop is counted in
 * {@code picket_kube_dropped_total{reason}} and logged (at most one line per reason every 10 s, with the count).</li>
 * <li><b>Coalescing.</b> A delivery with the key of one already waiting replaces it in its place: the status of a
 * profile or the series of an Event is written once with its latest value, however often it changed.</li>
 * <li><b>Backoff.</b> When the head fails in a way worth retrying (unreachable, 408, 409, 429, 5xx) the thread
 * waits, from {@code retryInitial} doubling up to {@code retryMax}, and tries the same delivery again, so order
 * is kept and a down API server is probed, not hammered. Any other failure drops that delivery ({@code rejected}).</li>
 * </ul>
 */
final class KubeQueue {

    private static final Logger LOG = Logger.getLogger(KubeQueue.class);
    private static final long DROP_LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Something to write to the API server. */
    interface Delivery {
        /** Deliveries with the same non-null key coalesce: the newest replaces a waiting one. */
        String key();

        /** For logs: what is being delivered ("Event PicketViolation", "status of WorkloadProfile shop/web"). */
        String what();

        /** Never dropped for room: the quarantine label. */
        default boolean critical() {
            return false;
        }

        void deliver(KubernetesClient client) throws Exception;
    }

    enum DropReason {
        QUEUE_FULL, REJECTED, SHUTDOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final class Entry {
        Delivery delivery;

        Entry(Delivery d) {
            delivery = d;
        }
    }

    private final KubernetesClient client;
    private final int capacity;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final MeterRegistry registry;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    private final Map<DropReason, Long> dropsSinceLog = new EnumMap<>(DropReason.class);
    private long lastDropLog;
    private boolean running;
    private boolean delivering;
    private volatile boolean reachable = true;
    private Thread worker;

    KubeQueue(KubernetesClient client, int capacity, Duration retryInitial, Duration retryMax, MeterRegistry registry) {
        if (capacity < 1) {
            throw new IllegalArgumentException("picket.kube.queue-size must be at least 1, got " + capacity);
        }
        this.client = Objects.requireNonNull(client);
        this.capacity = capacity;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax.compareTo(retryInitial) < 0 ? retryInitial : retryMax;
        this.registry = registry;
        for (DropReason r : DropReason.values()) {
            counter(r);
        }
    }

    void start() {
        lock.lock();
        try {
            if (running) {
                return;
            }
            running = true;
            worker = Thread.ofPlatform().daemon().name("picket-kube-queue").start(this::run);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the worker; what still waits is counted as dropped ({@code shutdown}) and logged. */
    void stop() {
        Thread w;
        lock.lock();
        try {
            running = false;
            changed.signalAll();
            w = worker;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            if (!entries.isEmpty()) {
                LOG.warnf("stopping with %d deliveries to the API server not made (first: %s); counted as dropped",
                        entries.size(), entries.peekFirst().delivery.what());
                counter(DropReason.SHUTDOWN).increment(entries.size());
                entries.clear();
                byKey.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a delivery; false when it was dropped for room (counted and logged). Never blocks. */
    boolean offer(Delivery d) {
        lock.lock();
        try {
            String key = d.key();
            Entry existing = key == null ? null : byKey.get(key);
            if (existing != null) {
                existing.delivery = d;
                return true;
            }
            if (entries.size() >= capacity) {
                Entry victim = d.critical() ? newestDroppable() : null;
                if (victim == null) {
                    drop(DropReason.QUEUE_FULL, d.what(), 1);
                    return false;
                }
                remove(victim);
                drop(DropReason.QUEUE_FULL, victim.delivery.what(), 1);
            }
            Entry e = new Entry(d);
            if (d.critical()) {
                entries.addFirst(e); // the quarantine label goes before any Event
            } else {
                entries.addLast(e);
            }
            if (key != null) {
                byKey.put(key, e);
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the last attempt reached the API server (for the gauge and the status endpoint). */
    boolean reachable() {
        return reachable;
    }

    /** Waits until nothing is queued or being delivered; for tests and an orderly shutdown. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!entries.isEmpty() || delivering) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Duration backoff = retryInitial;
        boolean failing = false;
        while (true) {
            Entry head;
            Delivery d;
            lock.lock();
            try {
                while (running && entries.isEmpty()) {
                    changed.awaitUninterruptibly();
                }
                if (!running) {
                    return;
                }
                head = entries.peekFirst();
                d = head.delivery;
                delivering = true;
            } finally {
                lock.unlock();
            }
            Throwable failure = null;
            try {
                d.deliver(client);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
            } catch (Exception | LinkageError e) {
                failure = e;
            }
            boolean retry = failure != null && ApiFailures.retryable(failure);
            lock.lock();
            try {
                delivering = false;
                if (failure == null || !retry) {
                    if (head.delivery == d) {
                        remove(head);
                    }
                    if (failure != null) {
                        drop(DropReason.REJECTED, d.what() + " (" + ApiFailures.describe(failure) + ")", 1);
                    }
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (failure == null || !retry) {
                if (failing) {
                    LOG.infof("API server reachable again; %d deliveries waiting", depth());
                }
                failing = false;
                reachable = failure == null || ApiFailures.code(failure) > 0;
                backoff = retryInitial;
                continue;
            }
            reachable = ApiFailures.code(failure) > 0 && ApiFailures.code(failure) != 503;
            if (!failing) {
                LOG.warnf("%s failed: %s; retrying with backoff (%d deliveries waiting)", d.what(),
                        ApiFailures.describe(failure), depth());
            } else {
                LOG.debugf("%s failed again: %s; next try in %s", d.what(), ApiFailures.describe(failure), backoff);
            }
            failing = true;
            if (!pause(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
        }
    }

    /** Waits {@code d} unless stopped; false when stopped. */
    private boolean pause(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        lock.lock();
        try {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    return running;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Logs drops not logged yet because of the 10 s limit; called periodically so none stays unmentioned. */
    void flushDropLog() {
        lock.lock();
        try {
            for (Map.Entry<DropReason, Long> e : dropsSinceLog.entrySet()) {
                LOG.warnf("dropped %d more deliveries to the API server (%s)", e.getValue(), e.getKey().label());
            }
            if (!dropsSinceLog.isEmpty()) {
                lastDropLog = System.nanoTime();
            }
            dropsSinceLog.clear();
        } finally {
            lock.unlock();
        }
    }

    private Entry newestDroppable() {
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext();) {
            Entry e = it.next();
            if (!e.delivery.critical()) {
                return e;
            }
        }
        return null;
    }

    private void remove(Entry e) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext();) {
            if (it.next() == e) {
                it.remove();
                break;
            }
        }
        String key = e.delivery.key();
        if (key != null && byKey.get(key) == e) {
            byKey.remove(key);
        }
    }

    /** Counts and logs a drop; called with the lock held. */
    private void drop(DropReason reason, String what, long n) {
        counter(reason).increment(n);
        long now = System.nanoTime();
        long pending = dropsSinceLog.merge(reason, n, Long::sum);
        if (lastDropLog == 0 || now - lastDropLog >= DROP_LOG_EVERY_NANOS) {
            for (Map.Entry<DropReason, Long> e : dropsSinceLog.entrySet()) {
                LOG.warnf("dropped %d deliveries to the API server (%s); last: %s", e.getValue(), e.getKey().label(),
                        e.getKey() == reason ? what : "-");
            }
            dropsSinceLog.clear();
            lastDropLog = now;
        } else if (pending == n) {
            LOG.debugf("dropped (%s): %s", reason.label(), what);
        }
    }

    private io.micrometer.core.instrument.Counter counter(DropReason r) {
        return registry.counter("picket.kube.dropped", Tags.of("reason", r.label()));
    }
}
