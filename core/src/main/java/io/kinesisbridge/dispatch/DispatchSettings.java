package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.PutRecordValidator;
import java.time.Duration;

/**
 * How a stream's dispatcher batches and retries.
 *
 * @param maxBatchRecords        records per PutRecords request (at most 500)
 * @param maxBatchBytes          data plus partition keys per PutRecords request (at most 5 MiB)
 * @param linger                 how long a partly filled batch waits for more records while a request slot is
 *                               free; zero sends at once and batches only what queued while requests were in flight
 * @param maxConcurrentRequests  requests in flight per stream
 * @param retry                  which failures are sent again, how often, how long apart
 * @param chainKeys              partition keys whose last sequence number is remembered for ordering {@code chain}
 * @param flowControl            per-shard pacing
 * @param maxPendingBytes        data plus partition-key bytes of the records the stream holds (queued, in flight or
 *                               waiting for a retry); a record that does not fit waits or is refused at submission,
 *                               so that a slow stream slows its sources instead of growing memory
 */
public record DispatchSettings(
        int maxBatchRecords,
        int maxBatchBytes,
        Duration linger,
        int maxConcurrentRequests,
        RetryPolicy retry,
        int chainKeys,
        FlowControl flowControl,
        long maxPendingBytes) {

    /** 64 MiB: several seconds of a stream of tens of shards, small beside the heap. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;

    public static final long DEFAULT_LINGER_MS = 0;
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
    public static final int DEFAULT_CHAIN_KEYS = 100_000;

    public DispatchSettings(
            int maxBatchRecords,
            int maxBatchBytes,
            Duration linger,
            int maxConcurrentRequests,
            RetryPolicy retry,
            int chainKeys) {
        this(
                maxBatchRecords,
                maxBatchBytes,
                linger,
                maxConcurrentRequests,
                retry,
                chainKeys,
                FlowControl.kinesisLimits(),
                DEFAULT_MAX_PENDING_BYTES);
    }

    public DispatchSettings {
        if (maxBatchRecords < 1 || maxBatchRecords > PutRecordValidator.MAX_RECORDS_PER_REQUEST) {
            throw new IllegalArgumentException("maxBatchRecords must lie in [1, 500], got " + maxBatchRecords);
        }
        if (maxBatchBytes < 1 || maxBatchBytes > PutRecordValidator.MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("maxBatchBytes must lie in [1, 5 MiB], got " + maxBatchBytes);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative");
        }
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
        }
        if (chainKeys < 1) {
            throw new IllegalArgumentException("chainKeys must be at least 1");
        }
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes must be positive");
        }
    }

    public static DispatchSettings defaults() {
        return new DispatchSettings(
                PutRecordValidator.MAX_RECORDS_PER_REQUEST,
                PutRecordValidator.MAX_REQUEST_BYTES,
                Duration.ofMillis(DEFAULT_LINGER_MS),
                DEFAULT_MAX_CONCURRENT_REQUESTS,
                RetryPolicy.defaults(),
                DEFAULT_CHAIN_KEYS,
                FlowControl.kinesisLimits(),
                DEFAULT_MAX_PENDING_BYTES);
    }

    public DispatchSettings withRetry(RetryPolicy policy) {
        return new DispatchSettings(
                maxBatchRecords,
                maxBatchBytes,
                linger,
                maxConcurrentRequests,
                policy,
                chainKeys,
                flowControl,
                maxPendingBytes);
    }

    public DispatchSettings withMaxConcurrentRequests(int n) {
        return new DispatchSettings(
                maxBatchRecords, maxBatchBytes, linger, n, retry, chainKeys, flowControl, maxPendingBytes);
    }

    public DispatchSettings withLinger(Duration d) {
        return new DispatchSettings(
                maxBatchRecords,
                maxBatchBytes,
                d,
                maxConcurrentRequests,
                retry,
                chainKeys,
                flowControl,
                maxPendingBytes);
    }

    public DispatchSettings withMaxBatchRecords(int n) {
        return new DispatchSettings(
                n, maxBatchBytes, linger, maxConcurrentRequests, retry, chainKeys, flowControl, maxPendingBytes);
    }

    public DispatchSettings withFlowControl(FlowControl f) {
        return new DispatchSettings(
                maxBatchRecords, maxBatchBytes, linger, maxConcurrentRequests, retry, chainKeys, f, maxPendingBytes);
    }

    public DispatchSettings withMaxPendingBytes(long bytes) {
        return new DispatchSettings(
                maxBatchRecords, maxBatchBytes, linger, maxConcurrentRequests, retry, chainKeys, flowControl, bytes);
    }
}
