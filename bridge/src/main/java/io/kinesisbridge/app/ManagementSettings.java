package io.kinesisbridge.app;

import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerLimits;
import java.util.List;

/** The {@code bridge.management.*} settings: the health and metrics server. */
record ManagementSettings(boolean enabled, ListenAddress address, ListenerLimits limits) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool(
                            "bridge.management.enabled",
                            "true",
                            "Whether the management server runs: health at `/observe/health` (liveness `/observe/health/live`, readiness `/observe/health/ready`: 200 when every route and the backend are ready, 503 otherwise).")
                    .sets("camel.metrics.enabled"),
            Setting.text("bridge.management.host", "127.0.0.1", "Address of the management server."),
            Setting.integer(
                    "bridge.management.port",
                    "9876",
                    0,
                    65535,
                    "Port of the management server; 0 picks a free port, which the log names."),
            Setting.integer(
                    "bridge.management.max-connections",
                    "64",
                    1,
                    100_000,
                    "Connections the management server keeps open at once; one more is closed as soon as it is accepted."),
            Setting.integer(
                    "bridge.management.idle-timeout-ms",
                    "30000",
                    1,
                    86_400_000,
                    "A management connection on which no byte moved either way for this long is closed."),
            Setting.integer(
                    "bridge.management.request-timeout-ms",
                    "10000",
                    1,
                    86_400_000,
                    "Time a client has to send a whole request to the management server after connecting or after its previous answer; also how long an idle keep-alive connection stays open."));

    static ManagementSettings of(BridgeSettings s) {
        return new ManagementSettings(
                s.bool("bridge.management.enabled"),
                new ListenAddress(
                        s.text("bridge.management.host"),
                        s.integer("bridge.management.port"),
                        "bridge.management.port"),
                s.listenerLimits("bridge.management."));
    }
}
