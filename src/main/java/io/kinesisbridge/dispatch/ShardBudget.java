package io.kinesisbridge.dispatch;

/**
 * One shard's write budget as the dispatcher paces it: a token bucket for records and one for bytes, each refilled
 * continuously at its rate and holding at most one second of budget, as Kinesis measures a shard. Not thread-safe:
 * the dispatcher's lock guards it.
 */
final class ShardBudget {

    private final double recordsPerSecond;
    private final double bytesPerSecond;
    private double records;
    private double bytes;
    private long lastNanos;

    ShardBudget(int recordsPerSecond, long bytesPerSecond, long nowNanos) {
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.records = recordsPerSecond;
        this.bytes = bytesPerSecond;
        this.lastNanos = nowNanos;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = nowNanos;
        double seconds = elapsed / 1e9;
        records = Math.min(recordsPerSecond, records + seconds * recordsPerSecond);
        bytes = Math.min(bytesPerSecond, bytes + seconds * bytesPerSecond);
    }

    /**
     * Whether one record of {@code size} bytes may be sent now. A record larger than a second of byte budget passes
     * on a full bucket and leaves a debt, as Kinesis lets a large record through.
     */
    boolean fits(int size, long nowNanos) {
        refill(nowNanos);
        return records >= 1 && bytes >= Math.min(size, bytesPerSecond);
    }

    void take(int size) {
        records -= 1;
        bytes -= size;
    }

    /** Nanoseconds until {@link #fits} holds for a record of {@code size} bytes; 0 when it holds now. */
    long nanosUntilFits(int size, long nowNanos) {
        refill(nowNanos);
        double recordWait = records >= 1 ? 0 : (1 - records) / recordsPerSecond;
        double byteWait = bytes >= Math.min(size, bytesPerSecond) ? 0 : (Math.min(size, bytesPerSecond) - bytes) / bytesPerSecond;
        return (long) Math.ceil(Math.max(recordWait, byteWait) * 1e9);
    }

    /** Kinesis said the shard is over its limit: spend what is left so that sends resume only as budget returns. */
    void exhaust() {
        records = Math.min(records, 0);
        bytes = Math.min(bytes, 0);
    }

    double records() {
        return records;
    }

    double bytes() {
        return bytes;
    }
}
