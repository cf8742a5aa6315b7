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
    final ShardNumbering numbering;
    private final ShardJournal journal;
    private boolean open = true;
    private long lastArrivalMillis = -1;

    /** A shard whose records are also kept on disk by {@code journal} (null: memory only). */
    MemoryShard(
            int index,
            ShardRange range,
            Optional<String> parentShardId,
            ShardWriteLimiter limiter,
            ShardJournal journal,
            ShardNumbering numbering) {
        this.index = index;
        this.range = range;
        this.parentShardId = parentShardId;
        this.limiter = limiter;
        this.journal = journal;
        this.numbering = numbering;
    }

    /** Puts back records read from the journal at start, and the shard's state. */
    synchronized void restore(long firstPosition, List<StoredRecord> records, boolean isOpen) {
        log.startAt(records.isEmpty() ? firstPosition : records.get(0).position());
        for (StoredRecord r : records) {
            log.append(r);
            lastArrivalMillis = r.arrivalMillis();
        }
        open = isOpen;
    }

    /** Hands the shard's journal writes to the operating system; a no-op without a journal. */
    synchronized void flushJournal() {
        if (journal != null) {
            journal.flush();
        }
    }

    /** Empties the shard (its stream is being deleted) and returns the footprint freed; the journal is left alone. */
    synchronized long drop() {
        long freed = 0;
        StoredRecord r;
        while ((r = log.removeFirst()) != null) {
            freed += r.footprintBytes();
        }
        return freed;
    }

    synchronized void closeJournal() {
        if (journal != null) {
            journal.close();
        }
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
        StoredRecord record = new StoredRecord(position, partitionKey, data, nowMillis);
        log.append(record);
        lastArrivalMillis = nowMillis;
        if (journal != null) {
            journal.append(record);
        }
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

    /** When the last record arrived, or -1 when the shard never took one. */
    synchronized long lastArrivalMillis() {
        return lastArrivalMillis;
    }

    synchronized long firstPosition() {
        return log.firstPosition();
    }

    /** Whether this shard, restored from an earlier version's journal, issued this number of that version's layout. */
    synchronized boolean issuedLegacyNumber(String sequenceNumber) {
        return numbering.issuedLegacy(sequenceNumber, log.nextPosition());
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

    record Trimmed(int records, long bytes) {}

    /**
     * Drops up to {@code maxRecords} of the oldest records, stopping once {@code bytes} of footprint are freed.
     */
    synchronized Trimmed trimOldest(int maxRecords, long bytes) {
        long freed = 0;
        long frames = 0;
        int records = 0;
        for (; records < maxRecords && freed < bytes; records++) {
            StoredRecord r = log.removeFirst();
            if (r == null) {
                break;
            }
            freed += r.footprintBytes();
            if (journal != null) {
                frames += ShardJournal.frameLength(r);
            }
        }
        if (journal != null && freed > 0) {
            journal.trimmed(log.firstPosition(), frames, () -> read(log.firstPosition(), Integer.MAX_VALUE));
        }
        return new Trimmed(records, freed);
    }

    synchronized int size() {
        return log.size();
    }
}
