package io.kinesisbridge.server;

import io.kinesisbridge.net.ListenerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The endpoint's limits as Micrometer meters: the listener's connection meters ({@link ListenerMetrics}, listener
 * {@code kinesis-endpoint}), {@code kinesis_bridge_endpoint_body_bytes_in_flight} and
 * {@code kinesis_bridge_endpoint_requests_refused_total{status="413"|"503"}}.
 */
public final class EndpointMetrics {

    private EndpointMetrics() {}

    public static void bind(KinesisEndpoint endpoint, MeterRegistry registry) {
        ListenerMetrics.bind(endpoint.connectionStats(), registry);
        Gauge.builder("kinesis.bridge.endpoint.body.bytes.in.flight", endpoint, KinesisEndpoint::bodyBytesInFlight)
                .description("Request body bytes the Kinesis endpoint holds, over all connections")
                .register(registry);
        FunctionCounter.builder("kinesis.bridge.endpoint.requests.refused", endpoint, KinesisEndpoint::requestsTooLarge)
                .description("Requests the Kinesis endpoint answered before reading their body: 413 (body over the "
                        + "limit) or 503 (body bytes in flight at their maximum)")
                .tag("status", "413")
                .register(registry);
        FunctionCounter.builder(
                        "kinesis.bridge.endpoint.requests.refused", endpoint, KinesisEndpoint::requestsOverBudget)
                .description("Requests the Kinesis endpoint answered before reading their body: 413 (body over the "
                        + "limit) or 503 (body bytes in flight at their maximum)")
                .tag("status", "503")
                .register(registry);
    }
}
