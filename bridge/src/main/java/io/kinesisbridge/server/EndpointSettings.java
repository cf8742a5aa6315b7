package io.kinesisbridge.server;

import java.time.Duration;

/**
 * Where and how the Kinesis endpoint listens, and the limits that keep a client from exhausting it.
 *
 * @param host                  address to bind; loopback unless the user opens it up
 * @param port                  port to bind; 0 picks a free one
 * @param eventLoops            Vert.x event loops (one HTTP server each, sharing the port)
 * @param maxRequestBytes       largest request body taken; larger ones get 413 (a 5 MiB PutRecords is ~7 MiB of JSON)
 * @param maxBodyBytesInFlight  request body bytes held at once over all connections; a request whose bytes do not
 *                              fit gets 503 ServiceUnavailable, which SDKs retry
 * @param maxConnections        connections open at once; more are closed as soon as they are accepted
 * @param idleTimeout           a connection with no request under way is closed after this long
 * @param headerTimeout         a request's head (request line and headers) must arrive within this long of its first byte
 * @param requestTimeout        a request's body must arrive within this long of its head
 */
public record EndpointSettings(
        String host,
        int port,
        int eventLoops,
        int maxRequestBytes,
        long maxBodyBytesInFlight,
        int maxConnections,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration requestTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4567;
    /** Room for a PutRecord of a 10 MiB record in base64 and for a full PutRecords request. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1_048_576;
    /** Two requests of the largest size at once: safe in a 256 MiB heap beside the in-memory backend's 25 %. */
    public static final long DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 32 * 1_048_576L;

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Longer than the AWS SDKs keep an idle pooled connection (60 s), so that the client closes it first. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public EndpointSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must lie in [0, 65535], got " + port);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("at least one event loop is needed");
        }
        if (maxRequestBytes < 1 || maxBodyBytesInFlight < 1 || maxConnections < 1) {
            throw new IllegalArgumentException(
                    "request bytes, body bytes in flight and connections must be at least 1");
        }
        for (Duration d : new Duration[] {idleTimeout, headerTimeout, requestTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, got " + d);
            }
        }
    }

    public static EndpointSettings of(String host, int port) {
        return new EndpointSettings(
                host,
                port,
                defaultEventLoops(),
                DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_HEADER_TIMEOUT,
                DEFAULT_REQUEST_TIMEOUT);
    }

    public static int defaultEventLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** These settings with other connection limits. */
    public EndpointSettings withLimits(
            long maxBodyBytesInFlight,
            int maxConnections,
            Duration idleTimeout,
            Duration headerTimeout,
            Duration requestTimeout) {
        return new EndpointSettings(
                host,
                port,
                eventLoops,
                maxRequestBytes,
                maxBodyBytesInFlight,
                maxConnections,
                idleTimeout,
                headerTimeout,
                requestTimeout);
    }

    /** The largest body one request may have: a body larger than the whole budget could never be taken. */
    public int requestBodyLimit() {
        return (int) Math.min(maxRequestBytes, maxBodyBytesInFlight);
    }
}
