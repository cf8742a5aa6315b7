package io.kinesisbridge.source.syslog;

import java.time.Duration;

/**
 * The limits of the syslog listeners.
 *
 * @param maxMessageBytes         longest message kept whole; a longer one is cut and marked
 * @param maxConnections          TCP connections open at once; more are closed as soon as they are accepted
 * @param idleTimeout             a TCP connection that sent nothing for this long is closed
 * @param udpReceiveBufferBytes   SO_RCVBUF asked for the UDP socket (Linux caps it at net.core.rmem_max, then doubles it)
 * @param udpDropCheckInterval    how often the UDP socket's drop counter is read for the warning
 */
public record SyslogListenerSettings(
        int maxMessageBytes,
        int maxConnections,
        Duration idleTimeout,
        int udpReceiveBufferBytes,
        Duration udpDropCheckInterval) {

    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_UDP_RECEIVE_BUFFER_BYTES = 4 * 1_048_576;
    public static final Duration DEFAULT_UDP_DROP_CHECK_INTERVAL = Duration.ofSeconds(10);

    public SyslogListenerSettings {
        if (maxMessageBytes < 1 || maxConnections < 1 || udpReceiveBufferBytes < 1) {
            throw new IllegalArgumentException("message bytes, connections and the receive buffer must be at least 1");
        }
        if (idleTimeout.isNegative()
                || idleTimeout.isZero()
                || udpDropCheckInterval.isNegative()
                || udpDropCheckInterval.isZero()) {
            throw new IllegalArgumentException("the idle timeout and the drop check interval must be positive");
        }
    }
}
