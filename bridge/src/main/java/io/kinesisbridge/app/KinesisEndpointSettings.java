package io.kinesisbridge.app;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.net.AllowedOrigins;
import io.kinesisbridge.server.EndpointSettings;
import java.time.Duration;
import java.util.List;

/**
 * The {@code bridge.endpoint.*} settings: the Kinesis endpoint over the in-memory backend, with the faults and
 * latency it may inject.
 */
record KinesisEndpointSettings(
        boolean enabled,
        EndpointSettings listener,
        AllowedOrigins corsOrigins,
        FaultSettings faults,
        boolean requireSignature) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool(
                    "bridge.endpoint.enabled",
                    "true",
                    "Whether the in-memory backend is served on the Kinesis wire protocol (JSON 1.1 and CBOR 1.1), for the AWS CLI and SDKs (only with bridge.backend=memory)."),
            Setting.text(
                    "bridge.endpoint.host",
                    "127.0.0.1",
                    "Address the Kinesis endpoint listens on. It verifies no request signature (bridge.endpoint.require-signature checks their structure only): keep it on loopback unless the network is trusted."),
            Setting.integer(
                    "bridge.endpoint.port",
                    "4567",
                    0,
                    65535,
                    "Port of the Kinesis endpoint (`aws --endpoint-url http://127.0.0.1:4567 kinesis …`); 0 picks a free port, which the log names."),
            Setting.integer(
                    "bridge.endpoint.max-connections",
                    "256",
                    1,
                    1_000_000,
                    "Connections the Kinesis endpoint keeps open at once; one more is closed as soon as it is accepted (counted in kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer(
                    "bridge.endpoint.idle-timeout-ms",
                    "120000",
                    1,
                    86_400_000,
                    "A connection to the Kinesis endpoint with no request under way is closed after this long (longer than the AWS SDKs keep an idle connection, 60 s)."),
            Setting.integer(
                    "bridge.endpoint.header-timeout-ms",
                    "10000",
                    1,
                    3_600_000,
                    "A request's head (request line and headers) must reach the Kinesis endpoint within this long of its first byte, or the connection is closed."),
            Setting.integer(
                    "bridge.endpoint.request-timeout-ms",
                    "30000",
                    1,
                    3_600_000,
                    "A request's body must reach the Kinesis endpoint within this long of its head, or the connection is closed."),
            Setting.integer(
                    "bridge.endpoint.max-body-bytes-in-flight",
                    "33554432",
                    65_536,
                    Long.MAX_VALUE,
                    "Request body bytes the Kinesis endpoint holds at once over all connections (memory is taken as bytes arrive, never for an announced Content-Length); a request whose bytes do not fit is answered 503 ServiceUnavailable, which SDKs retry. A single body is limited to 16 MiB (413)."),
            Setting.custom(
                    "bridge.endpoint.cors.allowed-origins",
                    "loopback",
                    "Web pages that may call the endpoint from a browser (the AWS SDK for JavaScript), answered as AWS answers them (`Access-Control-Allow-Origin: *`): `loopback` (pages served from this machine), origins (`scheme://host[:port]`, comma-separated, with or without `loopback`), `*` (every page, as AWS; any site you visit could then read and delete the streams) or empty (none). Other origins get 403.",
                    AllowedOrigins::problem),
            Setting.custom(
                    "bridge.endpoint.fault.request-rate",
                    "0",
                    "Share (0 to 1) of PutRecord and PutRecords requests to the endpoint that fail as a whole, with an error drawn from bridge.endpoint.fault.errors.",
                    SettingChecks::share),
            Setting.custom(
                    "bridge.endpoint.fault.entry-rate",
                    "0",
                    "Share (0 to 1) of PutRecords entries sent to the endpoint that fail alone (per-entry ErrorCode, FailedRecordCount) while the rest of the batch is written.",
                    SettingChecks::share),
            Setting.custom(
                    "bridge.endpoint.fault.errors",
                    "ProvisionedThroughputExceededException,InternalFailure",
                    "Errors the injected faults draw from, comma-separated: ProvisionedThroughputExceededException (400), InternalFailure (500).",
                    SettingChecks::faultErrors),
            Setting.integer(
                    "bridge.endpoint.fault.seed",
                    "1",
                    Long.MIN_VALUE,
                    Long.MAX_VALUE,
                    "Seed of the fault and jitter draws: the same seed and the same sequence of requests give the same faults."),
            Setting.integer(
                    "bridge.endpoint.latency-ms",
                    "0",
                    0,
                    600_000,
                    "Latency added to every PutRecord and PutRecords answer of the endpoint."),
            Setting.integer(
                    "bridge.endpoint.latency-jitter-ms",
                    "0",
                    0,
                    600_000,
                    "Up to this much more latency, drawn per request."),
            Setting.bool(
                    "bridge.endpoint.require-signature",
                    "false",
                    "Whether the endpoint wants requests signed as AWS does: one without an Authorization header gets MissingAuthenticationTokenException, one whose SigV4 header lacks a part IncompleteSignatureException. Checks the structure only (the secret is not verified), so that a broken credential setup fails here as it would on AWS. The bridge's own routes do not go through the endpoint."));

    static KinesisEndpointSettings of(BridgeSettings s) {
        EndpointSettings listener = EndpointSettings.of(
                        s.text("bridge.endpoint.host"), s.integer("bridge.endpoint.port"))
                .withLimits(
                        s.longValue("bridge.endpoint.max-body-bytes-in-flight"),
                        s.integer("bridge.endpoint.max-connections"),
                        Duration.ofMillis(s.longValue("bridge.endpoint.idle-timeout-ms")),
                        Duration.ofMillis(s.longValue("bridge.endpoint.header-timeout-ms")),
                        Duration.ofMillis(s.longValue("bridge.endpoint.request-timeout-ms")));
        FaultSettings faults = new FaultSettings(
                s.doubleValue("bridge.endpoint.fault.request-rate"),
                s.doubleValue("bridge.endpoint.fault.entry-rate"),
                SettingChecks.commaList(s.text("bridge.endpoint.fault.errors")),
                Duration.ofMillis(s.longValue("bridge.endpoint.latency-ms")),
                Duration.ofMillis(s.longValue("bridge.endpoint.latency-jitter-ms")),
                s.longValue("bridge.endpoint.fault.seed"));
        return new KinesisEndpointSettings(
                s.bool("bridge.endpoint.enabled"),
                listener,
                AllowedOrigins.parse(
                        s.text("bridge.endpoint.cors.allowed-origins"), "bridge.endpoint.cors.allowed-origins"),
                faults,
                s.bool("bridge.endpoint.require-signature"));
    }
}
