package io.kinesisbridge.listener;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A listener's {@link ConnectionStats} as Micrometer meters tagged {@code listener}; Prometheus shows them as
 * {@code kinesis_bridge_listener_connections{listener="…"}},
 * {@code kinesis_bridge_listener_connections_refused_total{listener="…"}} and
 * {@code kinesis_bridge_listener_connections_closed_total{listener="…",reason="…"}}.
 */
public final class ListenerMetrics {

    private ListenerMetrics() {
    }

    public static void bind(ConnectionStats stats, MeterRegistry registry) {
        Tags tags = Tags.of("listener", stats.listener());
        Gauge.builder("kinesis.bridge.listener.connections", stats, ConnectionStats::open)
                .description("Connections open").tags(tags).register(registry);
        FunctionCounter.builder("kinesis.bridge.listener.connections.refused", stats, ConnectionStats::refused)
                .description("Connections closed at once because the listener's maximum was open").tags(tags).register(registry);
        for (String reason : stats.closeReasons()) {
            FunctionCounter.builder("kinesis.bridge.listener.connections.closed", stats, s -> s.closed(reason))
                    .description("Connections the listener closed, by reason (idle, or a client too slow to send)")
                    .tags(tags.and("reason", reason)).register(registry);
        }
    }
}
