package io.kinesisbridge.dispatch;

import io.kinesisbridge.dispatch.spool.SpoolPosition;
import io.kinesisbridge.dispatch.spool.SpoolRecord;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.util.concurrent.CompletableFuture;

/** One record in the dispatcher, from taken (or read back from the spool) to settled. Guarded by the dispatcher's lock. */
final class DispatchEntry {
    final PutRecordCommand command;
    final Ordering ordering;
    final int size;
    final HashKey hashKey;
    final CompletableFuture<RecordResult> future = new CompletableFuture<>();
    int attempts;
    long readyNanos;
    boolean usedChainToken;
    boolean finished;
    ShardQueue sentFrom;

    /**
     * Sent on behalf of the spool (read back from it, or taken from its backlog when it could not be written):
     * never diverted to the spool again, retried without an attempt limit.
     */
    boolean forwarded;
    /** Where its frame ends in the spool, when it was read back from there; null for a record in memory. */
    SpoolPosition spoolEnd;

    boolean laneReleased;
    /** Its hold on the pending budget; null for a record read back from the spool, which is not pending. */
    PendingBudget.Claim claim;

    long takenMillis = System.currentTimeMillis();
    String spoolReason;

    DispatchEntry(PutRecordCommand command, Ordering ordering) {
        this(command, ordering, command.hashKey());
    }

    private DispatchEntry(PutRecordCommand command, Ordering ordering, HashKey hashKey) {
        this.command = command;
        this.ordering = ordering;
        this.size = command.sizeBytes();
        this.hashKey = hashKey;
    }

    /** A record read back from the spool that is no longer valid: it is only dead-lettered, never routed. */
    static DispatchEntry invalid(PutRecordCommand command) {
        return new DispatchEntry(command, Ordering.NONE, null);
    }

    String key() {
        return command.partitionKey();
    }

    SpoolRecord toSpoolRecord() {
        return new SpoolRecord(command, ordering, attempts, takenMillis);
    }
}
