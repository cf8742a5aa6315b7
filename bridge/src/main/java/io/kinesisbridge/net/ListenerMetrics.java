package io.kinesisbridge.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A listener's {@link ConnectionStats} as the meters {@link GuardedHttpServer} has too, tagged {@code listener}:
 * {@code kinesis_bridge_listener_connections_open}, {@code kinesis_bridge_listener_connections_refused_total} and
 * {@code kinesis_bridge_listener_connections_timed_out_total}.
 */
public final class ListenerMetrics {

    private ListenerMetrics() {}

    public static void bind(ConnectionStats stats, MeterRegistry registry) {
        Tags tags = Tags.of("listener", stats.listener());
        Gauge.builder("kinesis.bridge.listener.connections.open", stats, ConnectionStats::open)
                .description("Connections open on the listener")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("kinesis.bridge.listener.connections.refused", stats, ConnectionStats::refused)
                .description("Connections closed as soon as accepted: the listener had its maximum open")
                .tags(tags)
                .register(registry);
        FunctionCounter.builder("kinesis.bridge.listener.connections.timed.out", stats, ConnectionStats::timedOut)
                .description("Connections closed because a deadline passed (idle, or a request too slow to arrive)")
                .tags(tags)
                .register(registry);
    }
}
