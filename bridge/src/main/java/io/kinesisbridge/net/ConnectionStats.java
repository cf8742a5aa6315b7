package io.kinesisbridge.net;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a listener that is not a {@link GuardedHttpServer} (the Kinesis endpoint, syslog over TCP) did with its
 * connections: how many are open, how many it refused because its maximum was open, and how many it closed because
 * a deadline passed, by reason (idle, a request head or body too slow). Thread-safe; read by {@link ListenerMetrics}.
 */
public final class ConnectionStats {

    private final String listener;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final Map<String, LongAdder> timedOut = new LinkedHashMap<>();

    /** @param timeoutReasons every reason {@link #timedOut(String)} will be given */
    public ConnectionStats(String listener, List<String> timeoutReasons) {
        this.listener = listener;
        for (String reason : timeoutReasons) {
            timedOut.put(reason, new LongAdder());
        }
    }

    /** The {@code listener} tag of the meters: {@code kinesis-endpoint}, {@code syslog-tcp}. */
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

    /** A connection taken by {@link #tryOpen} is gone, for whatever reason. */
    public void left() {
        open.decrementAndGet();
    }

    /** The listener closed a connection because a deadline passed; {@code reason} is one given at construction. */
    public void timedOut(String reason) {
        LongAdder counter = timedOut.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException("unknown reason " + reason + "; known: " + timedOut.keySet());
        }
        counter.increment();
    }

    public int open() {
        return open.get();
    }

    public long refused() {
        return refused.sum();
    }

    /** Connections closed for {@code reason} so far. */
    public long timedOutBy(String reason) {
        LongAdder counter = timedOut.get(reason);
        return counter == null ? 0 : counter.sum();
    }

    /** Connections closed because a deadline passed, whatever the reason. */
    public long timedOut() {
        return timedOut.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
