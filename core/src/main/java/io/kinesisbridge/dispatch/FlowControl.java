package io.kinesisbridge.dispatch;

import java.time.Duration;

/**
 * Per-shard pacing: the dispatcher learns the stream's shards and keeps a budget per shard so that it sends no
 * more than a shard takes, and throttling stays rare.
 *
 * @param enabled           pace per shard; off, records go out as fast as request slots allow
 * @param recordsPerSecond  records a shard takes per second (Kinesis: 1,000)
 * @param bytesPerSecond    data plus partition-key bytes a shard takes per second (Kinesis: 1 MiB)
 * @param refreshInterval   how often the shard map is read again besides the reshard signs (a record acknowledged
 *                          by a shard not in the map, a hash key no known shard owns); zero for only those
 */
public record FlowControl(boolean enabled, int recordsPerSecond, long bytesPerSecond, Duration refreshInterval) {

    public static final int KINESIS_RECORDS_PER_SECOND = 1000;
    public static final long KINESIS_BYTES_PER_SECOND = 1_048_576;
    public static final long DEFAULT_REFRESH_MS = 60_000;

    public FlowControl {
        if (recordsPerSecond < 1 || bytesPerSecond < 1) {
            throw new IllegalArgumentException("per-shard rates must be positive, got " + recordsPerSecond
                    + " records/s and " + bytesPerSecond + " bytes/s");
        }
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refreshInterval must not be negative");
        }
    }

    /** On, at Kinesis's per-shard limits, the shard map read again every minute. */
    public static FlowControl kinesisLimits() {
        return new FlowControl(
                true, KINESIS_RECORDS_PER_SECOND, KINESIS_BYTES_PER_SECOND, Duration.ofMillis(DEFAULT_REFRESH_MS));
    }

    public static FlowControl off() {
        return new FlowControl(false, KINESIS_RECORDS_PER_SECOND, KINESIS_BYTES_PER_SECOND, Duration.ZERO);
    }
}
