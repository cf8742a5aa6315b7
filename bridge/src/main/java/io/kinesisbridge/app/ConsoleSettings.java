package io.kinesisbridge.app;

import java.util.List;
import java.util.Locale;

/** The {@code bridge.console.*} settings: the web console on the management server. */
record ConsoleSettings(boolean enabled, boolean allowResend, int recentRecords) {

    /** The most records the console's records API returns for one request, whatever it asks. */
    static final int MAX_RECENT_RECORDS = 1000;

    static final List<Setting> SETTINGS = List.of(
            Setting.oneOf(
                    "bridge.console.enabled",
                    "auto",
                    List.of("auto", "true", "false"),
                    "Whether the management server also serves the web console at `/console/` (streams, shards, recent records, routes, dead letters; see docs/console.md). `auto`: on with the in-memory backend. The bridge.http.token, when set, applies to it."),
            Setting.bool(
                    "bridge.console.allow-resend",
                    "false",
                    "Whether the console may re-send a dead letter (its partition key or data edited) through the route's validation and dispatch; read-only otherwise."),
            Setting.integer(
                    "bridge.console.recent-records",
                    "50",
                    1,
                    MAX_RECENT_RECORDS,
                    "Records the console shows per stream or shard (the latest), and the most its records API returns at once."));

    static ConsoleSettings of(BridgeSettings s) {
        String enabled = s.text("bridge.console.enabled").trim().toLowerCase(Locale.ROOT);
        boolean on = enabled.equals("auto") ? s.backend() == BridgeSettings.Backend.MEMORY : enabled.equals("true");
        return new ConsoleSettings(
                on, s.bool("bridge.console.allow-resend"), s.integer("bridge.console.recent-records"));
    }
}
