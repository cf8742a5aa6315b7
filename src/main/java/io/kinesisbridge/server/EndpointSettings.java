package io.kinesisbridge.server;

/**
 * Where and how the Kinesis endpoint listens.
 *
 * @param host               address to bind; loopback unless the user opens it up
 * @param port               port to bind; 0 picks a free one
 * @param eventLoops         Vert.x event loops (one HTTP server each, sharing the port)
 * @param maxRequestBytes    largest request body taken; larger ones get 413 (a 5 MiB PutRecords is ~7 MiB of JSON)
 * @param idleTimeoutSeconds idle keep-alive connections are closed after this long
 */
public record EndpointSettings(String host, int port, int eventLoops, int maxRequestBytes, int idleTimeoutSeconds) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4567;
    /** Room for a PutRecord of a 10 MiB record in base64 and for a full PutRecords request. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1_048_576;

    public EndpointSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must lie in [0, 65535], got " + port);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("at least one event loop is needed");
        }
    }

    public static EndpointSettings of(String host, int port) {
        return new EndpointSettings(host, port, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                DEFAULT_MAX_REQUEST_BYTES, 120);
    }
}
