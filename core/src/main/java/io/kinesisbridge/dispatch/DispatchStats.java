package io.kinesisbridge.dispatch;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Counters of one stream's dispatcher, per stream and per shard. Records in = acknowledged + dead-lettered +
 * pending + spooled + returned, at every moment (records found in the spool at start count in); refused records (no room in
 * the pending-bytes budget) are not taken, so not counted in.
 */
public final class DispatchStats {

    final LongAdder recordsIn = new LongAdder();
    final LongAdder recordsSent = new LongAdder();
    final LongAdder recordsAcknowledged = new LongAdder();
    final LongAdder recordsDeadLettered = new LongAdder();
    final LongAdder recordsRetried = new LongAdder();
    final LongAdder recordsThrottled = new LongAdder();
    final LongAdder recordsRefused = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder shardMapRefreshes = new LongAdder();
    final AtomicLong pendingRecords = new AtomicLong();
    final AtomicLong pendingBytes = new AtomicLong();
    final AtomicLong pendingBytesHighWater = new AtomicLong();
    final LongAdder recordsSpooled = new LongAdder();
    final LongAdder recordsReturned = new LongAdder();
    final LongAdder spoolRecovered = new LongAdder();
    final AtomicLong spoolWriteFailures = new AtomicLong();
    final AtomicLong spooledRecords = new AtomicLong();
    final LongAdder deadLetterWriteFailures = new LongAdder();
    final AtomicLong spoolBlocked = new AtomicLong();
    private final Map<String, ShardStats> shards = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, ShardStats> shardListener = (id, stats) -> {};

    public long recordsIn() {
        return recordsIn.sum();
    }

    /** Record sends, first sends and resends alike. */
    public long recordsSent() {
        return recordsSent.sum();
    }

    public long recordsAcknowledged() {
        return recordsAcknowledged.sum();
    }

    public long recordsDeadLettered() {
        return recordsDeadLettered.sum();
    }

    /** Sends of a record after its first, for any retryable reason. */
    public long recordsRetried() {
        return recordsRetried.sum();
    }

    /** Record sends refused with ProvisionedThroughputExceededException. */
    public long recordsThrottled() {
        return recordsThrottled.sum();
    }

    /** Records not taken because the stream's pending-bytes budget stayed full; their sources still hold them. */
    public long recordsRefused() {
        return recordsRefused.sum();
    }

    /** PutRecords and PutRecord requests sent. */
    public long requests() {
        return requests.sum();
    }

    /** Times the shard map was read after the first. */
    public long shardMapRefreshes() {
        return shardMapRefreshes.sum();
    }

    /** Records taken and neither acknowledged nor dead-lettered: queued, in flight or waiting for a retry. */
    public long pendingRecords() {
        return pendingRecords.get();
    }

    /** Data plus partition-key bytes of the pending records. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** The most pending bytes seen at once since the dispatcher started. */
    public long pendingBytesHighWater() {
        return pendingBytesHighWater.get();
    }

    /** Records written to the spool (store and forward), at stop included. */
    public long recordsSpooled() {
        return recordsSpooled.sum();
    }

    /**
     * Records taken and then given back to their sources, because the spool was full (or the disk) while Kinesis
     * did not take them, or because they failed and their dead letter could not be written; the sources keep them
     * and try again.
     */
    public long recordsReturned() {
        return recordsReturned.sum();
    }

    /** Records found in the spool when the dispatcher started, left by an earlier run; counted in. */
    public long spoolRecovered() {
        return spoolRecovered.sum();
    }

    /** Appends to the spool that failed with a write error (a full disk, say); their records stayed in memory. */
    public long spoolWriteFailures() {
        return spoolWriteFailures.get();
    }

    /** Dead letters that could not be written (a full disk, say); their records went back to their sources. */
    public long deadLetterWriteFailures() {
        return deadLetterWriteFailures.sum();
    }

    /** Records in the spool on disk, neither acknowledged nor dead-lettered yet (those being forwarded included). */
    public long spooledRecords() {
        return spooledRecords.get();
    }

    /** 1 while the spool takes no records (full, or its last write failed), else 0. */
    public long spoolBlocked() {
        return spoolBlocked.get();
    }

    /** Per-shard counters by shard id, sorted; shards stay listed after a reshard closed them. */
    public Map<String, ShardStats> shards() {
        return new TreeMap<>(shards);
    }

    ShardStats shard(String shardId) {
        ShardStats known = shards.get(shardId);
        if (known != null) {
            return known;
        }
        boolean[] created = new boolean[1];
        ShardStats stats = shards.computeIfAbsent(shardId, id -> {
            created[0] = true;
            return new ShardStats();
        });
        if (created[0]) {
            shardListener.accept(shardId, stats);
        }
        return stats;
    }

    /** Calls {@code listener} for every shard known now and for each shard learned from now on. */
    void onShard(BiConsumer<String, ShardStats> listener) {
        shardListener = listener;
        shards.forEach(listener);
    }

    /** Counters of one shard: sends the dispatcher routed to it, and what Kinesis answered for it. */
    public static final class ShardStats {
        final LongAdder recordsSent = new LongAdder();
        final LongAdder recordsAcknowledged = new LongAdder();
        final LongAdder recordsThrottled = new LongAdder();
        final AtomicLong queuedRecords = new AtomicLong();

        public long recordsSent() {
            return recordsSent.sum();
        }

        public long recordsAcknowledged() {
            return recordsAcknowledged.sum();
        }

        public long recordsThrottled() {
            return recordsThrottled.sum();
        }

        /** Records ready to send and waiting for this shard's budget or a request slot. */
        public long queuedRecords() {
            return queuedRecords.get();
        }
    }
}
