package io.kinesisbridge.app;

import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.dispatch.DispatchStats;
import io.kinesisbridge.dispatch.StreamDispatcher;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a progress line every interval: per stream, records per second acknowledged since the last line, and the
 * running totals (in, acknowledged, dead-lettered, pending). Quiet while nothing moves.
 */
public final class ProgressReporter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("io.kinesisbridge.progress");

    private final CamelContext context;
    private final long intervalSeconds;
    private final Map<String, Long> lastAcknowledged = new HashMap<>();
    private final Map<String, Long> lastIn = new HashMap<>();
    private ScheduledExecutorService timer;

    public ProgressReporter(CamelContext context, long intervalSeconds) {
        this.context = context;
        this.intervalSeconds = intervalSeconds;
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "progress");
        timer.scheduleAtFixedRate(this::report, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
    }

    /** The progress line, or null when no stream moved since the last one. */
    String line() {
        KinesisPutComponent component = context.hasComponent("kinesis-put") instanceof KinesisPutComponent c ? c : null;
        if (component == null) {
            return null;
        }
        StringBuilder line =
                new StringBuilder("progress (last ").append(intervalSeconds).append(" s):");
        boolean moved = false;
        for (Map.Entry<String, StreamDispatcher> e : new TreeMap<>(component.dispatchers()).entrySet()) {
            DispatchStats s = e.getValue().stats();
            long acknowledged = s.recordsAcknowledged();
            long in = s.recordsIn();
            long rate = (acknowledged - lastAcknowledged.getOrDefault(e.getKey(), 0L)) / intervalSeconds;
            moved |= in != lastIn.getOrDefault(e.getKey(), 0L);
            lastAcknowledged.put(e.getKey(), acknowledged);
            lastIn.put(e.getKey(), in);
            line.append(' ')
                    .append(e.getKey())
                    .append(' ')
                    .append(rate)
                    .append(" rec/s (in ")
                    .append(in)
                    .append(", acknowledged ")
                    .append(acknowledged)
                    .append(", dead-lettered ")
                    .append(s.recordsDeadLettered())
                    .append(", pending ")
                    .append(e.getValue().pending())
                    .append(");");
        }
        return moved ? line.toString() : null;
    }

    private void report() {
        try {
            String line = line();
            if (line != null) {
                LOG.info(line);
            }
        } catch (RuntimeException e) {
            LOG.warn("progress line failed: {}", e.toString());
        }
    }
}
