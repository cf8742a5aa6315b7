package io.kinesisbridge.backend.memory;

import java.time.Duration;

/**
 * Settings of the in-memory shard backend.
 *
 * @param shardLimits       enforce Kinesis's per-shard write limits (off by default: offline capture is not throttled)
 * @param recordsPerSecond  per-shard record budget when limits are on (Kinesis: 1,000)
 * @param bytesPerSecond    per-shard byte budget when limits are on (Kinesis: 1 MiB)
 * @param maxBytes          memory cap of all streams; past it the oldest records are trimmed and counted
 * @param accountId         the account id in ARNs and error messages
 * @param region            the region in ARNs
 * @param createDelay       how long a stream created as CreateStream creates it stays CREATING (zero: ACTIVE at once)
 * @param deleteDelay       how long a stream deleted as DeleteStream deletes it stays DELETING (zero: gone at once)
 * @param accountShardLimit open shards all streams may have together (LimitExceededException past it); 0: no limit
 */
public record MemoryBackendSettings(
        boolean shardLimits,
        int recordsPerSecond,
        long bytesPerSecond,
        long maxBytes,
        String accountId,
        String region,
        Duration createDelay,
        Duration deleteDelay,
        int accountShardLimit) {

    public static final String DEFAULT_ACCOUNT_ID = "123456789012";

    public MemoryBackendSettings {
        if (recordsPerSecond < 1 || bytesPerSecond < 1) {
            throw new IllegalArgumentException("per-shard limits must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (createDelay.isNegative() || deleteDelay.isNegative()) {
            throw new IllegalArgumentException("the CREATING and DELETING delays cannot be negative");
        }
        if (accountShardLimit < 0) {
            throw new IllegalArgumentException("the account shard limit cannot be negative (0 is no limit)");
        }
    }

    /** Streams ACTIVE at once, deleted at once, no shard quota. */
    public MemoryBackendSettings(
            boolean shardLimits,
            int recordsPerSecond,
            long bytesPerSecond,
            long maxBytes,
            String accountId,
            String region) {
        this(
                shardLimits,
                recordsPerSecond,
                bytesPerSecond,
                maxBytes,
                accountId,
                region,
                Duration.ZERO,
                Duration.ZERO,
                0);
    }

    /** No limits, a cap of a quarter of the heap. */
    public static MemoryBackendSettings defaults() {
        return new MemoryBackendSettings(
                false, 1000, 1_048_576, Runtime.getRuntime().maxMemory() / 4, DEFAULT_ACCOUNT_ID, "us-east-1");
    }

    public MemoryBackendSettings withShardLimits(boolean on) {
        return new MemoryBackendSettings(
                on,
                recordsPerSecond,
                bytesPerSecond,
                maxBytes,
                accountId,
                region,
                createDelay,
                deleteDelay,
                accountShardLimit);
    }

    public MemoryBackendSettings withMaxBytes(long cap) {
        return new MemoryBackendSettings(
                shardLimits,
                recordsPerSecond,
                bytesPerSecond,
                cap,
                accountId,
                region,
                createDelay,
                deleteDelay,
                accountShardLimit);
    }

    public MemoryBackendSettings withStreamDelays(Duration creating, Duration deleting) {
        return new MemoryBackendSettings(
                shardLimits,
                recordsPerSecond,
                bytesPerSecond,
                maxBytes,
                accountId,
                region,
                creating,
                deleting,
                accountShardLimit);
    }

    public MemoryBackendSettings withAccountShardLimit(int limit) {
        return new MemoryBackendSettings(
                shardLimits,
                recordsPerSecond,
                bytesPerSecond,
                maxBytes,
                accountId,
                region,
                createDelay,
                deleteDelay,
                limit);
    }
}
