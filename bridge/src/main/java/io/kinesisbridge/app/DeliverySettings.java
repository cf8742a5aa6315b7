package io.kinesisbridge.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code bridge.dispatch.*}, {@code bridge.retry.*}, {@code bridge.spool.*} settings and the shutdown timeout: how
 * records are batched, retried, paced and spooled. Each sets a kinesis-put component option and, where it mirrors one
 * as it is, takes its default from there; the dispatchers are built from those options, so the bridge itself reads
 * only what sizes the file sources' batches and keeps the tailer out of the spool.
 *
 * @param spoolDir where the spool is, or would be when it is off (the file tailer must not read it either way)
 */
record DeliverySettings(int maxBatchRecords, int maxConcurrentRequests, Path spoolDir) {

    private static final KinesisPutOption SHARD_RECORDS_PER_SECOND = KinesisPutOption.dispatch("shardRecordsPerSecond");
    private static final KinesisPutOption SHARD_BYTES_PER_SECOND = KinesisPutOption.dispatch("shardBytesPerSecond");

    static final List<Setting> SETTINGS = List.of(
            Setting.integer(
                    "bridge.dispatch.max-batch-records",
                    KinesisPutOption.dispatch("maxBatchRecords"),
                    1,
                    500,
                    "Records per PutRecords request."),
            Setting.integer(
                    "bridge.dispatch.linger-ms",
                    KinesisPutOption.dispatch("lingerMs"),
                    0,
                    60_000,
                    "How long a partly filled batch waits for more records; 0 batches only what queued while requests were in flight."),
            Setting.integer(
                    "bridge.dispatch.max-concurrent-requests",
                    KinesisPutOption.dispatch("maxConcurrentRequests"),
                    1,
                    10_000,
                    "Requests in flight per stream."),
            Setting.oneOf(
                            "bridge.dispatch.shard-flow-control",
                            "auto",
                            List.of("auto", "true", "false"),
                            "Pace sends per shard (the dispatcher reads the stream's shards and keeps a token bucket per shard) so that Kinesis rarely throttles. `auto`: on for the aws backend, and for the in-memory backend only when `bridge.memory.shard-limits` is on (then at its limits).")
                    .sets(
                            KinesisPutOption.dispatch("shardFlowControl"),
                            s -> Optional.of(
                                    String.valueOf(FlowControlChoice.of(s).on()))),
            Setting.integer(
                            "bridge.dispatch.shard-records-per-second",
                            SHARD_RECORDS_PER_SECOND,
                            1,
                            1_000_000_000,
                            "Records per second a shard takes (Kinesis: 1,000).")
                    .sets(
                            SHARD_RECORDS_PER_SECOND,
                            s -> Optional.of(
                                    String.valueOf(FlowControlChoice.of(s).recordsPerSecond()))),
            Setting.integer(
                            "bridge.dispatch.shard-bytes-per-second",
                            SHARD_BYTES_PER_SECOND,
                            1,
                            Long.MAX_VALUE,
                            "Bytes (data plus partition keys) per second a shard takes (Kinesis: 1 MiB).")
                    .sets(
                            SHARD_BYTES_PER_SECOND,
                            s -> Optional.of(
                                    String.valueOf(FlowControlChoice.of(s).bytesPerSecond()))),
            Setting.integer(
                    "bridge.dispatch.shard-map-refresh-ms",
                    KinesisPutOption.dispatch("shardMapRefreshMs"),
                    0,
                    86_400_000,
                    "How often the shard map is read again besides the signs of a reshard (a record on an unknown shard); 0 for only those."),
            Setting.integer(
                    "bridge.dispatch.max-pending-bytes",
                    KinesisPutOption.dispatch("maxPendingBytes"),
                    1024,
                    Long.MAX_VALUE,
                    "Bytes of records a stream may hold unacknowledged; past it the file source waits and HTTP answers BridgeSaturated, instead of memory growing."),
            Setting.integer(
                    "bridge.retry.max-attempts",
                    KinesisPutOption.dispatch("retryMaxAttempts"),
                    1,
                    1_000_000,
                    "Sends of a record before it is dead-lettered, for retryable errors."),
            Setting.integer(
                    "bridge.retry.base-delay-ms",
                    KinesisPutOption.dispatch("retryBaseDelayMs"),
                    0,
                    3_600_000,
                    "Backoff base: a retry waits a random time up to base × 2^(attempt−1)."),
            Setting.integer(
                    "bridge.retry.max-delay-ms",
                    KinesisPutOption.dispatch("retryMaxDelayMs"),
                    0,
                    3_600_000,
                    "Backoff cap."),
            Setting.integer(
                            "bridge.shutdown-timeout-ms",
                            KinesisPutOption.dispatch("shutdownTimeoutMs"),
                            0,
                            3_600_000,
                            "On stop, how long to wait for records in flight; what is left then is written to the spool and sent after the restart (dead-lettered when the spool is off or cannot take it).")
                    // Camel Main waits for the routes a little longer than the dispatchers wait for Kinesis
                    .sets(
                            "camel.main.shutdownTimeout",
                            s -> Optional.of(String.valueOf(s.longValue("bridge.shutdown-timeout-ms") / 1000 + 5))),
            Setting.bool(
                    "bridge.spool.enabled",
                    "true",
                    "Store and forward: records Kinesis does not take (unreachable, 5xx, or throttling past bridge.retry.max-attempts) go to an on-disk spool instead of the dead-letter output, their sources are acknowledged, and they are sent in per-key order when Kinesis answers again, also after a restart. Errors that no resend can fix still go to the dead-letter output."),
            Setting.text(
                            "bridge.spool.dir",
                            "data/spool",
                            "Directory of the spool, one `stream-<name>/` directory of checksummed segment files per stream.")
                    // the component has no spool without spoolDir, and Camel refuses an empty option value: unset when
                    // off
                    .sets(
                            KinesisPutOption.dispatch("spoolDir"),
                            s -> s.bool("bridge.spool.enabled")
                                    ? Optional.of(s.text("bridge.spool.dir"))
                                    : Optional.empty()),
            Setting.integer(
                    "bridge.spool.max-bytes",
                    KinesisPutOption.dispatch("spoolMaxBytes"),
                    65_536,
                    Long.MAX_VALUE,
                    "Bytes each stream's spool may hold. When it is full (or the disk is), records wait in memory up to bridge.dispatch.max-pending-bytes and then the sources are slowed: HTTP answers 503, MQTT messages are not acknowledged, file tailing pauses. Nothing is dropped."),
            Setting.oneOf(
                    "bridge.spool.fsync",
                    KinesisPutOption.dispatch("spoolFsync"),
                    List.of("always", "interval", "never"),
                    "When spooled records are forced to the disk: `always` (before the source is acknowledged; one fsync covers the records written together), `interval` (at most bridge.spool.fsync-interval-ms later: a power cut may lose that much), `never` (left to the operating system; a crash of the bridge loses nothing, a crash of the machine may)."),
            Setting.integer(
                    "bridge.spool.fsync-interval-ms",
                    KinesisPutOption.dispatch("spoolFsyncIntervalMs"),
                    1,
                    3_600_000,
                    "With bridge.spool.fsync=interval: the longest time between a spool write and its fsync."));

    static DeliverySettings of(BridgeSettings s) {
        return new DeliverySettings(
                s.integer("bridge.dispatch.max-batch-records"),
                s.integer("bridge.dispatch.max-concurrent-requests"),
                Path.of(s.text("bridge.spool.dir")));
    }

    /**
     * Whether sends are paced per shard, and at what rates. Offline capture into the in-memory backend without
     * limits is not paced: it would cap a 4-shard stream at 4,000 records/s for no reason.
     */
    record FlowControlChoice(boolean on, int recordsPerSecond, long bytesPerSecond) {

        static FlowControlChoice of(BridgeSettings s) {
            String choice = s.text("bridge.dispatch.shard-flow-control").trim().toLowerCase(Locale.ROOT);
            int records = s.integer("bridge.dispatch.shard-records-per-second");
            long bytes = s.longValue("bridge.dispatch.shard-bytes-per-second");
            if (!choice.equals("auto")) {
                return new FlowControlChoice(Boolean.parseBoolean(choice), records, bytes);
            }
            if (s.backend() == BridgeSettings.Backend.AWS) {
                return new FlowControlChoice(true, records, bytes);
            }
            MemorySettings memory = s.memory();
            return new FlowControlChoice(
                    memory.backend().shardLimits(),
                    memory.backend().recordsPerSecond(),
                    memory.backend().bytesPerSecond());
        }
    }
}
