package io.kinesisbridge.dispatch;

/**
 * One shard's write budget as the dispatcher paces it: a token bucket for records and one for bytes, each refilled
 * continuously and holding at most one second of budget, as Kinesis measures a shard. Not thread-safe: the
 * dispatcher's lock guards it.
 *
 * <p>Requests do not reach the shard in the rhythm they left: network jitter bunches them, and a shard that is
 * running at its limit throttles what arrives early. So the bucket adapts: a throttle empties it and lowers the
 * refill rate by a tenth (once per {@value #BACK_OFF_EVERY_MILLIS} ms, however many records one answer throttled;
 * half the limit at most); each second without a throttle gives back 2% of the limit.
 * On a smooth path the rate stays at the limit. Besides, the bucket keeps {@value #JITTER_SECONDS} s of budget in
 * reserve: the shard's own bucket then holds that much when a request arrives early, and the sustained rate is the
 * same (a reserve lowers the burst, not the refill).
 */
final class ShardBudget {

    private static final double BACK_OFF = 0.9;
    private static final double FLOOR = 0.5;
    private static final double RECOVERY_PER_SECOND = 0.02;
    static final double JITTER_SECONDS = 0.1;
    static final long BACK_OFF_EVERY_MILLIS = 250;

    private final double recordsPerSecond;
    private final double bytesPerSecond;
    private double records;
    private double bytes;
    private double share = 1.0;
    private long lastNanos;
    private long lastBackOffNanos = Long.MIN_VALUE;
    private final double reserveRecords;
    private final double reserveBytes;

    ShardBudget(int recordsPerSecond, long bytesPerSecond, long nowNanos) {
        this.recordsPerSecond = recordsPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.records = recordsPerSecond;
        this.bytes = bytesPerSecond;
        this.lastNanos = nowNanos;
        this.reserveRecords = recordsPerSecond * JITTER_SECONDS;
        this.reserveBytes = bytesPerSecond * JITTER_SECONDS;
    }

    /** Records that must be in the bucket for one to go: one, and the reserve. */
    private double recordsNeeded() {
        return 1 + reserveRecords;
    }

    /** Bytes that must be in the bucket for a record of {@code size}: the record (at most what a full bucket spares), and the reserve. */
    private double bytesNeeded(int size) {
        return Math.min(size, bytesPerSecond - reserveBytes) + reserveBytes;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = nowNanos;
        double seconds = elapsed / 1e9;
        records = Math.min(recordsPerSecond, records + seconds * recordsPerSecond * share);
        bytes = Math.min(bytesPerSecond, bytes + seconds * bytesPerSecond * share);
        share = Math.min(1.0, share + seconds * RECOVERY_PER_SECOND);
    }

    /**
     * Whether one record of {@code size} bytes may be sent now. A record larger than a second of byte budget passes
     * on a full bucket and leaves a debt, as Kinesis lets a large record through.
     */
    boolean fits(int size, long nowNanos) {
        refill(nowNanos);
        return records >= recordsNeeded() && bytes >= bytesNeeded(size);
    }

    void take(int size) {
        records -= 1;
        bytes -= size;
    }

    /** Nanoseconds until {@link #fits} holds for a record of {@code size} bytes; 0 when it holds now. */
    long nanosUntilFits(int size, long nowNanos) {
        refill(nowNanos);
        double need = bytesNeeded(size);
        double recordWait = records >= recordsNeeded() ? 0 : (recordsNeeded() - records) / (recordsPerSecond * share);
        double byteWait = bytes >= need ? 0 : (need - bytes) / (bytesPerSecond * share);
        return (long) Math.ceil(Math.max(recordWait, byteWait) * 1e9);
    }

    /** Kinesis said the shard is over its limit: spend what is left and slow down until the throttles stop. */
    void throttled(long nowNanos) {
        refill(nowNanos);
        records = Math.min(records, 0);
        bytes = Math.min(bytes, 0);
        if (lastBackOffNanos == Long.MIN_VALUE || nowNanos - lastBackOffNanos >= BACK_OFF_EVERY_MILLIS * 1_000_000) {
            lastBackOffNanos = nowNanos;
            share = Math.max(FLOOR, share * BACK_OFF);
        }
    }

    double records() {
        return records;
    }

    double bytes() {
        return bytes;
    }

    /** The share of the configured rates the bucket refills at now. */
    double share() {
        return share;
    }
}
