package dev.picket.verdict;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The most recent violations in memory, newest first; older ones are dropped past the bound (and counted). */
@ApplicationScoped
public class ViolationStore {

    static final int CAPACITY = 10_000;

    private final ArrayDeque<Violation> newestFirst = new ArrayDeque<>();
    private long total;
    private long dropped;

    public synchronized void add(Violation v) {
        newestFirst.addFirst(v);
        total++;
        if (newestFirst.size() > CAPACITY) {
            newestFirst.removeLast();
            dropped++;
        }
    }

    /** Newest first, only those after {@code since} (exclusive) when given, at most {@code limit}. */
    public synchronized List<Violation> list(Instant since, int limit) {
        List<Violation> out = new ArrayList<>(Math.min(limit, newestFirst.size()));
        for (Iterator<Violation> it = newestFirst.iterator(); it.hasNext() && out.size() < limit; ) {
            Violation v = it.next();
            if (since != null && !v.time().isAfter(since)) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    public synchronized long total() {
        return total;
    }

    public synchronized long dropped() {
        return dropped;
    }
}
