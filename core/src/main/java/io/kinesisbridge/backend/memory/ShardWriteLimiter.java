package io.kinesisbridge.backend.memory;

/**
 * A shard's write budget as Kinesis enforces it: records per second and bytes per second, each a token bucket
 * holding at most one second of budget. Not thread-safe (its shard locks around it).
 */
final class ShardWriteLimiter {

    private final double recordsPerSecond;
    private final double bytesPerSecond;
    private double records;
    private double bytes;
    private long lastNanos;

    ShardWriteLimiter(int recordsPerSecond, long bytesPerSecond, long nowNanos) {
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.records = recordsPerSecond;
        this.bytes = bytesPerSecond;
        this.lastNanos = nowNanos;
    }

    /** Takes one record of {@code size} bytes from the budget, or nothing when either bucket is short. */
    boolean tryAcquire(long size, long nowNanos) {
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        records = Math.min(recordsPerSecond, records + elapsed * recordsPerSecond);
        bytes = Math.min(bytesPerSecond, bytes + elapsed * bytesPerSecond);
        // a record larger than one second of byte budget (up to 10 MiB) may pass on a full bucket and leave
        // a debt, as Kinesis lets large records burst
        if (records < 1 || bytes < Math.min(size, bytesPerSecond)) {
            return false;
        }
        records -= 1;
        bytes -= size;
        return true;
    }
}
