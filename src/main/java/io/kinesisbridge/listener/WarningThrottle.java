package io.kinesisbridge.listener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Turns many events into at most one warning per interval: each event is counted, and when the interval since the
 * last warning has passed, the next event hands the count since then to the logger. An attacker opening thousands
 * of connections thus costs one log line per interval, not one per connection.
 */
public final class WarningThrottle {

    private final long intervalNanos;
    private final AtomicLong nextWarning = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder pending = new LongAdder();

    public WarningThrottle(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Counts one event; calls {@code warn} with the events counted since the last warning when one is due. */
    public void event(LongConsumer warn) {
        pending.increment();
        long now = System.nanoTime();
        long next = nextWarning.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextWarning.compareAndSet(next, now + intervalNanos)) {
            warn.accept(pending.sumThenReset());
        }
    }
}
