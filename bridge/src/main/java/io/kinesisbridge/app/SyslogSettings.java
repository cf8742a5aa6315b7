package io.kinesisbridge.app;

import io.kinesisbridge.source.syslog.SyslogListenerSettings;
import java.time.Duration;
import java.util.List;

/**
 * The {@code bridge.syslog.*} settings: where the source listens and the limits of its listeners. The partition
 * key reaches the route as a placeholder only.
 */
record SyslogSettings(boolean enabled, String host, int port, String stream, SyslogListenerSettings listeners) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool("bridge.syslog.enabled", "true", "Whether the syslog source (UDP and TCP on one port) runs."),
            Setting.text(
                    "bridge.syslog.host",
                    "127.0.0.1",
                    "Address the syslog source listens on; `0.0.0.0` for every interface."),
            Setting.port("bridge.syslog.port", "5514", "Port of the syslog source, for UDP and TCP alike."),
            Setting.text("bridge.syslog.stream", "logs", "Stream the syslog source puts to."),
            Setting.text(
                    "bridge.syslog.partition-key",
                    "json:/host",
                    "Partition key of syslog records, in the component's key syntax; the default is the message's host (the sender's address when the message names none)."),
            Setting.integer(
                    "bridge.syslog.max-message-bytes",
                    "65536",
                    480,
                    1_000_000,
                    "Largest syslog message kept whole; a longer one is cut to it and its record marked `\"truncated\": true`."),
            Setting.integer(
                    "bridge.syslog.max-connections",
                    "256",
                    1,
                    1_000_000,
                    "Syslog TCP connections open at once; one more is closed as soon as it is accepted (counted in kinesis_bridge_listener_connections_refused_total)."),
            Setting.integer(
                    "bridge.syslog.idle-timeout-ms",
                    "600000",
                    1,
                    86_400_000,
                    "A syslog TCP connection that sent nothing for this long is closed (senders such as rsyslog reconnect when they next have a message)."),
            Setting.integer(
                    "bridge.syslog.udp-receive-buffer-bytes",
                    "4194304",
                    1024,
                    Integer.MAX_VALUE,
                    "Receive buffer (SO_RCVBUF) asked for the syslog UDP socket: datagrams arriving while it is full are dropped by the kernel and counted in kinesis_bridge_syslog_udp_drops_total. Linux caps the request at net.core.rmem_max (then doubles it); use TCP for bursts."));

    static SyslogSettings of(BridgeSettings s) {
        SyslogListenerSettings listeners = new SyslogListenerSettings(
                s.integer("bridge.syslog.max-message-bytes"),
                s.integer("bridge.syslog.max-connections"),
                Duration.ofMillis(s.longValue("bridge.syslog.idle-timeout-ms")),
                s.integer("bridge.syslog.udp-receive-buffer-bytes"),
                SyslogListenerSettings.DEFAULT_UDP_DROP_CHECK_INTERVAL);
        return new SyslogSettings(
                s.bool("bridge.syslog.enabled"),
                s.text("bridge.syslog.host"),
                s.integer("bridge.syslog.port"),
                s.text("bridge.syslog.stream"),
                listeners);
    }
}
