package io.kinesisbridge.backend.memory;

/**
 * Settings of the in-memory shard backend.
 *
 * @param shardLimits      enforce Kinesis's per-shard write limits (off by default: offline capture is not throttled)
 * @param recordsPerSecond per-shard record budget when limits are on (Kinesis: 1,000)
 * @param bytesPerSecond   per-shard byte budget when limits are on (Kinesis: 1 MiB)
 * @param maxBytes         memory cap of all streams; past it the oldest records are trimmed and counted
 * @param accountId        the account id in ARNs and error messages
 * @param region           the region in ARNs
 */
public record MemoryBackendSettings(boolean shardLimits, int recordsPerSecond, long bytesPerSecond, long maxBytes,
                                    String accountId, String region) {

    public static final String DEFAULT_ACCOUNT_ID = "123456789012";

    public MemoryBackendSettings {
        if (recordsPerSecond < 1 || bytesPerSecond < 1) {
            throw new IllegalArgumentException("per-shard limits must be positive");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
    }

    /** No limits, a cap of a quarter of the heap. */
    public static MemoryBackendSettings defaults() {
        return new MemoryBackendSettings(false, 1000, 1_048_576, Runtime.getRuntime().maxMemory() / 4,
                DEFAULT_ACCOUNT_ID, "us-east-1");
    }

    public MemoryBackendSettings withShardLimits(boolean on) {
        return new MemoryBackendSettings(on, recordsPerSecond, bytesPerSecond, maxBytes, accountId, region);
    }

    public MemoryBackendSettings withMaxBytes(long cap) {
        return new MemoryBackendSettings(shardLimits, recordsPerSecond, bytesPerSecond, cap, accountId, region);
    }
}
