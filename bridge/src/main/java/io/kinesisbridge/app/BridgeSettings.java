package io.kinesisbridge.app;

import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.net.ListenerLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The bridge's configuration: every {@code bridge.*} key it knows ({@link #KNOWN}, each area's settings declared
 * beside the typed record that reads them), with defaults, read by {@link SettingsLoader} from the properties file,
 * the environment and command-line flags. Keys starting with {@code camel.} go to Camel as they are. An unknown key
 * or a malformed value stops the start with a message naming the key.
 */
public final class BridgeSettings {

    /** Where records go. */
    enum Backend {
        MEMORY,
        AWS
    }

    private static final List<Setting> GENERAL = List.of(
            Setting.oneOf(
                    "bridge.backend",
                    "memory",
                    List.of("memory", "aws"),
                    "Where records go: `memory` (the in-memory shard backend, offline) or `aws` (Kinesis)."),
            Setting.custom(
                    "bridge.streams",
                    "clickstream:4,logs:2,telemetry:4",
                    "Streams the in-memory backend creates at start: `name:shards` or `name:shards:maxRecordSizeKiB` (1024-10240), comma-separated.",
                    SettingChecks::streams),
            Setting.oneOf(
                    "bridge.ordering",
                    "key",
                    List.of("none", "key", "chain"),
                    "Ordering of the shipped routes: `none`, `key` (per-key order) or `chain` (per-key order plus SequenceNumberForOrdering)."),
            Setting.integer(
                    "bridge.max-in-flight-records",
                    KinesisPutOption.endpointDefault("maxInFlightRecords"),
                    1,
                    10_000_000,
                    "Records each route may have in flight before it waits (files, syslog, MQTT) or answers bridge.http.saturated-status (HTTP)."));

    private static final List<Setting> PROGRESS = List.of(
            Setting.integer(
                    "bridge.progress-interval-seconds",
                    "30",
                    0,
                    86_400,
                    "Every how many seconds a progress line with records/s per stream is logged (while records move); 0: never."));

    /** Every setting the bridge knows, in the order docs/configuration.md lists them. */
    public static final List<Setting> KNOWN = Stream.of(
                    GENERAL,
                    DeadLetterSettings.SETTINGS,
                    HttpSettings.SETTINGS,
                    FileSettings.SETTINGS,
                    SyslogSettings.SETTINGS,
                    MqttSettings.SETTINGS,
                    MemorySettings.SETTINGS,
                    KinesisEndpointSettings.SETTINGS,
                    AwsSettings.SETTINGS,
                    DeliverySettings.SETTINGS,
                    ManagementSettings.SETTINGS,
                    ConsoleSettings.SETTINGS,
                    PROGRESS)
            .flatMap(List::stream)
            .toList();

    private static final SettingsLoader LOADER = new SettingsLoader(KNOWN);

    private final Map<String, String> bridge;
    private final Map<String, String> camel;

    private BridgeSettings(Map<String, String> bridge, Map<String, String> camel) {
        this.bridge = bridge;
        this.camel = camel;
    }

    /**
     * Reads the properties file (when it exists), then the environment, then the flags.
     *
     * @throws InvalidSettingException naming the key and where it came from
     */
    public static BridgeSettings load(Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
        SettingsLoader.Values values = LOADER.load(file, environment, flags);
        return new BridgeSettings(values.bridge(), values.camel());
    }

    // ---- typed, per area ---------------------------------------------------------------------------------------

    Backend backend() {
        return Backend.valueOf(text("bridge.backend").trim().toUpperCase(Locale.ROOT));
    }

    public List<StreamSpec> streams() {
        return StreamSpec.parseList(text("bridge.streams"));
    }

    int maxInFlightRecords() {
        return integer("bridge.max-in-flight-records");
    }

    /** How often a progress line is logged; zero for never. */
    Duration progressInterval() {
        return Duration.ofSeconds(longValue("bridge.progress-interval-seconds"));
    }

    DeadLetterSettings deadLetters() {
        return DeadLetterSettings.of(this);
    }

    HttpSettings http() {
        return HttpSettings.of(this);
    }

    FileSettings file() {
        return FileSettings.of(this);
    }

    SyslogSettings syslog() {
        return SyslogSettings.of(this);
    }

    MqttSettings mqtt() {
        return MqttSettings.of(this);
    }

    MemorySettings memory() {
        return MemorySettings.of(this);
    }

    KinesisEndpointSettings endpoint() {
        return KinesisEndpointSettings.of(this);
    }

    /** @throws InvalidSettingException when keys that belong together do not fit (static credentials without a key id) */
    AwsBackendSettings aws() {
        return AwsSettings.of(this);
    }

    DeliverySettings delivery() {
        return DeliverySettings.of(this);
    }

    ManagementSettings management() {
        return ManagementSettings.of(this);
    }

    ConsoleSettings console() {
        return ConsoleSettings.of(this);
    }

    /** The Camel properties the settings set (kinesis-put's options, some of Camel Main's), in the order of {@link #KNOWN}. */
    Map<String, String> camelProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Setting setting : KNOWN) {
            for (Setting.CamelProperty property : setting.camelProperties()) {
                property.value().apply(this).ifPresent(value -> properties.put(property.key(), value));
            }
        }
        return properties;
    }

    /** A listener's max-connections, idle-timeout-ms and request-timeout-ms under {@code prefix}. */
    ListenerLimits listenerLimits(String prefix) {
        return new ListenerLimits(
                integer(prefix + "max-connections"),
                Duration.ofMillis(longValue(prefix + "idle-timeout-ms")),
                Duration.ofMillis(longValue(prefix + "request-timeout-ms")));
    }

    // ---- by key, for the area records --------------------------------------------------------------------------

    public String text(String key) {
        String v = bridge.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no such setting: " + key);
        }
        return v;
    }

    public int integer(String key) {
        return Math.toIntExact(Long.parseLong(text(key).trim()));
    }

    public long longValue(String key) {
        return Long.parseLong(text(key).trim());
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(text(key).trim());
    }

    public double doubleValue(String key) {
        return Double.parseDouble(text(key).trim());
    }

    /** A memory size: {@code N%} of {@code heapBytes}, or bytes with an optional k/m/g suffix (powers of 1024). */
    static Optional<Long> memorySize(String value, long heapBytes) {
        return SettingChecks.memorySize(value, heapBytes);
    }

    /** Every bridge.* value, defaults included: the routes' placeholders. */
    public Map<String, String> bridgeValues() {
        return Collections.unmodifiableMap(bridge);
    }

    /** The keys given in any source that are not bridge.* settings (camel.* and the routes' own placeholders), for Camel. */
    public Map<String, String> camelValues() {
        return Collections.unmodifiableMap(camel);
    }
}
