package io.kinesisbridge.net;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counts one kind of event a client can cause at will (an aborted request, a refused connection) and logs at most
 * one line about it per interval: the first event at once, the ones after it summed up. A flood of them thus costs a
 * line a minute, not a line each.
 */
public final class EventSummary {

    private final String what;
    private final Duration interval;
    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private final AtomicLong total = new AtomicLong();
    private long unlogged;
    private String lastDetail;
    private long lastLogged;
    private boolean logged;

    /**
     * @param what     the events, plural, as the line names them: "HTTP requests aborted by their clients"
     * @param interval the shortest time between two lines
     * @param log      where a line goes (a logger's warn, say)
     */
    public EventSummary(String what, Duration interval, Consumer<String> log) {
        this(what, interval, log, System::nanoTime);
    }

    EventSummary(String what, Duration interval, Consumer<String> log, LongSupplier nanoTime) {
        this.what = what;
        this.interval = interval;
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** Counts an event; logs now if no line was logged within the interval. */
    public void record() {
        record(null);
    }

    /** Counts an event that the line names by {@code detail} (the last one's, when several are summed up). */
    public void record(String detail) {
        total.incrementAndGet();
        synchronized (this) {
            unlogged++;
            if (detail != null) {
                lastDetail = detail;
            }
            logIfDue();
        }
    }

    /** Logs the events counted since the last line, if any and the interval has passed: call it periodically. */
    public synchronized void flush() {
        if (unlogged > 0) {
            logIfDue();
        }
    }

    public long total() {
        return total.get();
    }

    private void logIfDue() {
        long now = nanoTime.getAsLong();
        if (logged && now - lastLogged < interval.toNanos()) {
            return;
        }
        String line = !logged && unlogged == 1
                ? what + ": 1 (further ones are summed up at most once every " + interval.toSeconds() + " s)"
                : what + ": " + unlogged + " in the last " + (logged ? seconds(now - lastLogged) : "moments") + ", "
                        + total.get() + " in all";
        if (lastDetail != null) {
            line += (unlogged == 1 ? "; " : "; the last: ") + lastDetail;
        }
        logged = true;
        lastLogged = now;
        unlogged = 0;
        lastDetail = null;
        log.accept(line);
    }

    private static String seconds(long nanos) {
        return Math.max(1, Math.round(nanos / 1e9)) + " s";
    }
}
