package io.kinesisbridge.net;

import java.time.Duration;

/**
 * What one HTTP listener allows each client.
 *
 * @param maxConnections connections open at once; one more is closed as soon as it is accepted
 * @param idleTimeout    a connection on which no byte moved either way for this long is closed
 * @param requestTimeout a connection must deliver a whole request, headers and body, within this time of being opened
 *                       or of its previous answer, or it is closed; this also bounds how long a keep-alive connection
 *                       waits for its next request
 */
public record ListenerLimits(int maxConnections, Duration idleTimeout, Duration requestTimeout) {

    public ListenerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        if (idleTimeout.toMillis() < 1 || requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
    }
}
