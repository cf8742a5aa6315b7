package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.ShardRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One shard: its hash-key range, its records, its write budget. Every access locks the shard. */
final class MemoryShard {

    final int index;
    final ShardRange range;
    final Optional<String> parentShardId;
    private final RecordLog log = new RecordLog();
    private final ShardWriteLimiter limiter;
    private boolean open = true;

    MemoryShard(int index, ShardRange range, Optional<String> parentShardId, ShardWriteLimiter limiter) {
        this.index = index;
        this.range = range;
        this.parentShardId = parentShardId;
        this.limiter = limiter;
    }

    String shardId() {
        return range.shardId();
    }

    /**
     * Appends a record and returns its position; -1 when the shard's write budget is spent, -2 when the shard
     * was closed by a reshard since the caller routed to it.
     */
    synchronized long append(String partitionKey, byte[] data, long sizeBytes, long nowMillis, long nowNanos) {
        if (!open) {
            return -2;
        }
        if (limiter != null && !limiter.tryAcquire(sizeBytes, nowNanos)) {
            return -1;
        }
        long position = log.nextPosition();
        log.append(new StoredRecord(position, partitionKey, data, nowMillis));
        return position;
    }

    synchronized void close() {
        open = false;
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized long nextPosition() {
        return log.nextPosition();
    }

    synchronized long firstPosition() {
        return log.firstPosition();
    }

    synchronized boolean issued(long position) {
        return position < log.nextPosition();
    }

    /** Records from {@code position} on, at most {@code limit}; a trimmed position reads from the oldest kept. */
    synchronized List<StoredRecord> read(long position, int limit) {
        long from = Math.max(position, log.firstPosition());
        long to = Math.min(log.nextPosition(), from + limit);
        List<StoredRecord> out = new ArrayList<>((int) Math.max(0, to - from));
        for (long p = from; p < to; p++) {
            out.add(log.get(p));
        }
        return out;
    }

    synchronized long arrivalOf(long position) {
        StoredRecord r = log.get(position);
        return r == null ? -1 : r.arrivalMillis();
    }

    synchronized long positionAtOrAfter(long millis) {
        return log.firstPositionAtOrAfter(millis);
    }

    /** Arrival time of the oldest kept record, or Long.MAX_VALUE when the shard holds none. */
    synchronized long oldestArrival() {
        StoredRecord first = log.first();
        return first == null ? Long.MAX_VALUE : first.arrivalMillis();
    }

    /** Drops the oldest record and returns its footprint, or 0 when the shard holds none. */
    synchronized long trimOldest() {
        StoredRecord r = log.removeFirst();
        return r == null ? 0 : r.footprintBytes();
    }

    synchronized int size() {
        return log.size();
    }
}
