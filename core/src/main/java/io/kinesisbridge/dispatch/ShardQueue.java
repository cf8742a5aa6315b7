package io.kinesisbridge.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The ready records of one shard and its budget. Guarded by the dispatcher's lock. */
final class ShardQueue {
    final String shardId;
    /** Null: not paced. */
    final ShardBudget budget;

    final DispatchStats.ShardStats stats;
    final ArrayDeque<DispatchEntry> batchable = new ArrayDeque<>();
    final ArrayDeque<DispatchEntry> singles = new ArrayDeque<>();

    ShardQueue(String shardId, ShardBudget budget, DispatchStats.ShardStats stats) {
        this.shardId = shardId;
        this.budget = budget;
        this.stats = stats;
    }

    boolean fits(DispatchEntry entry, long now) {
        return budget == null || budget.fits(entry.size, now);
    }

    /** The record leaves the queue for a request: it spends the shard's budget. */
    void sent(DispatchEntry entry) {
        entry.sentFrom = this;
        if (budget != null) {
            budget.take(entry.size);
            stats.recordsSent.increment();
            stats.queuedRecords.decrementAndGet();
        }
    }

    List<DispatchEntry> takeAll() {
        List<DispatchEntry> all = new ArrayList<>(batchable.size() + singles.size());
        all.addAll(singles);
        all.addAll(batchable);
        if (stats != null) {
            stats.queuedRecords.addAndGet(-all.size());
        }
        batchable.clear();
        singles.clear();
        return all;
    }
}
