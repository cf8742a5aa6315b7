package io.kinesisbridge.connect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records a task was given, per partition in the order it got them, and which of them are settled (acknowledged
 * by Kinesis, or safe in the dead-letter output). The offset it offers for commit is the one after the last record
 * of an unbroken settled run from the partition's oldest record: a record still pending holds back every later
 * offset of its partition, so a commit never skips a record that could still be lost.
 *
 * <p>Records are added and offsets read on the task's thread; {@link Entry#settle()} may be called from any thread.
 */
final class OffsetLedger {

    /** One record's place in its partition. */
    static final class Entry {
        final long offset;
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        Entry(long offset) {
            this.offset = offset;
        }

        void settle() {
            settled.complete(null);
        }

        boolean isSettled() {
            return settled.isDone();
        }
    }

    private static final class Partition {
        final ArrayDeque<Entry> open = new ArrayDeque<>();
        /** The offset after the last settled record of the unbroken run; -1 before the first. */
        long safe = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** Tracks a record given to the task; records of a partition arrive in offset order. */
    Entry add(TopicPartition partition, long offset) {
        Entry entry = new Entry(offset);
        partitions.computeIfAbsent(partition, p -> new Partition()).open.addLast(entry);
        return entry;
    }

    /**
     * The offsets safe to commit for the partitions Connect asks about. A partition whose every record is settled
     * takes Connect's own offset for it (which also covers records a transform dropped before the task saw them);
     * one with a pending record takes the offset after its settled run, if any.
     */
    Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : current.entrySet()) {
            Partition p = partitions.get(e.getKey());
            if (p == null) {
                // nothing given to this task for the partition: Connect's offset covers only records it dropped itself
                result.put(e.getKey(), e.getValue());
                continue;
            }
            advance(p);
            if (p.open.isEmpty()) {
                result.put(e.getKey(), e.getValue());
            } else if (p.safe >= 0) {
                result.put(e.getKey(), new OffsetAndMetadata(p.safe));
            }
        }
        return result;
    }

    private static void advance(Partition p) {
        while (!p.open.isEmpty() && p.open.peekFirst().isSettled()) {
            p.safe = p.open.pollFirst().offset + 1;
        }
    }

    /** Completes when every record of these partitions given so far is settled. */
    CompletableFuture<Void> settledIn(Collection<TopicPartition> closing) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (TopicPartition tp : closing) {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.open.forEach(entry -> waits.add(entry.settled));
            }
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
    }

    /** Forgets the partitions: they went to another task, or this one stops. */
    void forget(Collection<TopicPartition> closed) {
        closed.forEach(partitions::remove);
    }
}
