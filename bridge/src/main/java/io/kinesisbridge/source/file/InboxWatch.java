package io.kinesisbridge.source.file;

import io.kinesisbridge.health.BridgeHealth;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Service;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-inbox consumer's poll strategy ({@code pollStrategy=#inboxWatch}), which notes when each poll begins,
 * and a watch on it: Camel stops scheduling a polling consumer for good when an {@link Error} escapes a poll, and
 * nothing else would tell. Once the consumer has not been polling for {@code stalledAfter}, readiness is DOWN
 * (part {@value FileLines#HEALTH_PART}) with the reason; it is UP again when polls resume.
 */
public final class InboxWatch implements PollingConsumerPollStrategy, Service {

    private static final Logger LOG = LoggerFactory.getLogger(InboxWatch.class);
    private static final String PART = FileLines.HEALTH_PART + "-consumer";

    private final BridgeHealth health;
    private final Duration stalledAfter;
    private volatile ScheduledPollConsumer consumer;
    private volatile long lastBeginNanos;
    private volatile boolean down;
    private ScheduledExecutorService timer;

    public InboxWatch(BridgeHealth health, Duration stalledAfter) {
        this.health = health;
        this.stalledAfter = stalledAfter;
    }

    @Override
    public boolean begin(Consumer polling, Endpoint endpoint) {
        if (polling instanceof ScheduledPollConsumer scheduled) {
            consumer = scheduled;
        }
        lastBeginNanos = System.nanoTime();
        return true;
    }

    @Override
    public void commit(Consumer polling, Endpoint endpoint, int polledMessages) {}

    @Override
    public boolean rollback(Consumer polling, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warn("File inbox: a poll of {} failed: {}; trying again at the next poll", endpoint, cause.toString());
        return false;
    }

    /** Looks once: DOWN when the consumer should be polling and has not begun a poll for too long. */
    void check() {
        ScheduledPollConsumer c = consumer;
        boolean stalled = c != null
                && c.isRunAllowed()
                && !c.isSuspended()
                && !c.isPolling()
                && System.nanoTime() - lastBeginNanos > stalledAfter.toNanos();
        if (stalled && !down) {
            down = true;
            String reason = "the inbox consumer stopped polling (no poll for more than " + stalledAfter.toSeconds()
                    + " s, after a fatal error in it: see the log); files dropped now are not read until a restart";
            LOG.error("File inbox: {}", reason);
            health.down(PART, reason);
        } else if (!stalled && down) {
            down = false;
            health.up(PART);
        }
    }

    @Override
    public void start() {
        long period = Math.max(100, stalledAfter.toMillis() / 4);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "file-inbox-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
