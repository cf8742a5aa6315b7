package io.kinesisbridge.app;

import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code bridge.memory.*} settings: the in-memory backend's limits and whether it keeps its streams on disk.
 *
 * @param persistDir where the streams are kept, when they are
 */
record MemorySettings(MemoryBackendSettings backend, Optional<Path> persistDir, boolean persistFsync) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool(
                    "bridge.memory.shard-limits",
                    "false",
                    "Whether the in-memory backend enforces Kinesis's per-shard write limits (throttling with ProvisionedThroughputExceededException)."),
            Setting.integer(
                    "bridge.memory.records-per-second",
                    "1000",
                    1,
                    1_000_000_000,
                    "Per-shard record limit when limits are on."),
            Setting.integer(
                    "bridge.memory.bytes-per-second",
                    "1048576",
                    1,
                    Long.MAX_VALUE,
                    "Per-shard byte limit when limits are on."),
            Setting.custom(
                    "bridge.memory.max-size",
                    "25%",
                    "Memory cap of the in-memory backend, as a share of the heap (`25%`) or a size (`512m`, `2g`, bytes); past it the oldest records are trimmed and counted.",
                    SettingChecks::memorySize),
            Setting.text(
                    "bridge.memory.persist-dir",
                    "",
                    "When set, the in-memory backend also keeps its streams in this directory (checksummed append-only files) and loads them at start: captured records survive a restart. Empty: memory only."),
            Setting.bool(
                    "bridge.memory.persist-fsync",
                    "false",
                    "With `bridge.memory.persist-dir`: whether a put is acknowledged only after its records are on the disk (fsync), not just handed to the operating system."),
            Setting.integer(
                    "bridge.memory.create-delay-ms",
                    "0",
                    0,
                    600_000,
                    "How long a stream created through the endpoint's CreateStream stays CREATING (no shards shown, writes answered ResourceNotFoundException), as on AWS; 0: ACTIVE at once. The streams of bridge.streams are ACTIVE at start whatever this says."),
            Setting.integer(
                    "bridge.memory.delete-delay-ms",
                    "0",
                    0,
                    600_000,
                    "How long a stream deleted through the endpoint's DeleteStream stays DELETING (its records gone, its name still taken), as on AWS; 0: gone at once."),
            Setting.integer(
                    "bridge.memory.account-shard-limit",
                    "0",
                    0,
                    1_000_000,
                    "Open shards all streams may have together, as AWS's account shard quota (500 in most regions, 200 in some): CreateStream past it answers LimitExceededException. 0: no limit."));

    static MemorySettings of(BridgeSettings s) {
        long maxBytes = SettingChecks.memorySize(
                        s.text("bridge.memory.max-size"), Runtime.getRuntime().maxMemory())
                .orElseThrow();
        MemoryBackendSettings backend = new MemoryBackendSettings(
                s.bool("bridge.memory.shard-limits"),
                s.integer("bridge.memory.records-per-second"),
                s.longValue("bridge.memory.bytes-per-second"),
                maxBytes,
                MemoryBackendSettings.DEFAULT_ACCOUNT_ID,
                "us-east-1",
                Duration.ofMillis(s.longValue("bridge.memory.create-delay-ms")),
                Duration.ofMillis(s.longValue("bridge.memory.delete-delay-ms")),
                s.integer("bridge.memory.account-shard-limit"));
        String persistDir = s.text("bridge.memory.persist-dir");
        return new MemorySettings(
                backend,
                persistDir.isBlank() ? Optional.empty() : Optional.of(Path.of(persistDir)),
                s.bool("bridge.memory.persist-fsync"));
    }
}
