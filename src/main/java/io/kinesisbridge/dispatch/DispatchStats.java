package io.kinesisbridge.dispatch;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one stream's dispatcher. Records in = acknowledged + dead-lettered + pending, at every moment. */
public final class DispatchStats {

    final LongAdder recordsIn = new LongAdder();
    final LongAdder recordsAcknowledged = new LongAdder();
    final LongAdder recordsDeadLettered = new LongAdder();
    final LongAdder recordsRetried = new LongAdder();
    final LongAdder recordsThrottled = new LongAdder();
    final LongAdder requests = new LongAdder();

    public long recordsIn() {
        return recordsIn.sum();
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

    /** PutRecords and PutRecord requests sent. */
    public long requests() {
        return requests.sum();
    }
}
