package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the backend: every stream the bridge writes to can be described. Cached briefly, so that frequent
 * probes do not turn into a stream of DescribeStream calls against Kinesis.
 */
public final class BackendHealthCheck extends AbstractHealthCheck {

    private static final Duration CACHE = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final KinesisBackend backend;
    private final List<String> streams;
    private long checkedAtNanos;
    private Map<String, String> problems = Map.of();
    private boolean checked;

    public BackendHealthCheck(KinesisBackend backend, List<String> streams) {
        super("kinesis-bridge", "backend");
        this.backend = backend;
        this.streams = List.copyOf(streams);
    }

    @Override
    public boolean isLiveness() {
        return false; // a slow or unreachable Kinesis is no reason to restart the bridge
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, String> found = problems();
        builder.detail("backend", backend.name());
        builder.detail("streams", String.join(",", streams));
        if (found.isEmpty()) {
            builder.up();
        } else {
            found.forEach((stream, problem) -> builder.detail("stream." + stream, problem));
            builder.message("stream(s) not reachable: " + String.join(", ", found.keySet()));
            builder.down();
        }
    }

    private synchronized Map<String, String> problems() {
        if (checked && System.nanoTime() - checkedAtNanos < CACHE.toNanos()) {
            return problems;
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (String stream : streams) {
            try {
                backend.describeStream(stream).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                found.put(stream, "interrupted");
            } catch (Exception e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                found.put(stream, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            }
        }
        problems = found;
        checked = true;
        checkedAtNanos = System.nanoTime();
        return found;
    }
}
