package io.kinesisbridge.listener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one listener did with its connections: how many are open, how many it refused because its cap was reached,
 * and how many it closed, by reason (idle, a timeout). Thread-safe; read by {@link ListenerMetrics}.
 */
public final class ConnectionStats {

    private final String listener;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final Map<String, LongAdder> closed = new LinkedHashMap<>();

    /** @param closeReasons every reason {@link #closedBy} will be given, so that each has a meter from the start */
    public ConnectionStats(String listener, List<String> closeReasons) {
        this.listener = listener;
        for (String reason : closeReasons) {
            closed.put(reason, new LongAdder());
        }
    }

    public String listener() {
        return listener;
    }

    /** Counts a new connection in, unless {@code max} are open already: then it is counted as refused. */
    public boolean tryOpen(int max) {
        while (true) {
            int now = open.get();
            if (now >= max) {
                refused.increment();
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A connection taken by {@link #tryOpen} is gone (for whatever reason). */
    public void left() {
        open.decrementAndGet();
    }

    /** The listener closed a connection for {@code reason}, one of those given at construction. */
    public void closedBy(String reason) {
        LongAdder counter = closed.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("unknown close reason " + reason + "; known: " + closed.keySet());
        }
        counter.increment();
    }

    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.sum();
    }

    /** Connections the listener closed for {@code reason} so far. */
    public long closed(String reason) {
        LongAdder counter = closed.get(reason);
        return counter == null ? 0 : counter.sum();
    }

    public List<String> closeReasons() {
        return List.copyOf(closed.keySet());
    }
}
