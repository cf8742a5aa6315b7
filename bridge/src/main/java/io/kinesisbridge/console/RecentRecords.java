package io.kinesisbridge.console;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.IteratorType;
import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The latest records of a stream or of one of its shards, read from the in-memory backend as GetRecords reads them,
 * newest first. A search by partition key looks at no more than {@link #SEARCH_DEPTH} records per shard back from
 * its tip, so that an answer costs the same however long the stream is.
 */
final class RecentRecords {

    static final int SEARCH_DEPTH = 10_000;
    private static final int SEARCH_WINDOW = 500;

    private final InMemoryKinesis kinesis;

    RecentRecords(InMemoryKinesis kinesis) {
        this.kinesis = kinesis;
    }

    /**
     * @param shardId      one shard, or every shard of the stream
     * @param partitionKey only records with exactly this key
     * @throws io.kinesisbridge.put.KinesisException when the stream or shard does not exist
     */
    List<StreamRecord> latest(String stream, Optional<String> shardId, Optional<String> partitionKey, int limit) {
        List<String> shards = shardId.map(List::of)
                .orElseGet(() -> kinesis.describe(stream).shards().stream()
                        .map(StreamSnapshot.Shard::shardId)
                        .toList());
        List<StreamRecord> all = new ArrayList<>();
        for (String shard : shards) {
            all.addAll(
                    partitionKey.isPresent()
                            ? search(stream, shard, partitionKey.get(), limit)
                            : tail(stream, shard, limit));
        }
        all.sort(Comparator.comparingLong(StreamRecord::approximateArrivalMillis)
                .reversed()
                .thenComparing(StreamRecord::shardId)
                .thenComparing((StreamRecord r) -> new BigInteger(r.sequenceNumber()), Comparator.reverseOrder()));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    private List<StreamRecord> tail(String stream, String shard, int limit) {
        long tip =
                kinesis.iterator(stream, shard, IteratorType.LATEST, null, null).position();
        long first = kinesis.iterator(stream, shard, IteratorType.TRIM_HORIZON, null, null)
                .position();
        long from = Math.max(first, tip - limit);
        return kinesis.read(new ShardPosition(stream, shard, from), (int) (tip - from))
                .records();
    }

    private List<StreamRecord> search(String stream, String shard, String partitionKey, int limit) {
        long tip =
                kinesis.iterator(stream, shard, IteratorType.LATEST, null, null).position();
        long floor = Math.max(
                kinesis.iterator(stream, shard, IteratorType.TRIM_HORIZON, null, null)
                        .position(),
                tip - SEARCH_DEPTH);
        List<StreamRecord> found = new ArrayList<>();
        for (long end = tip; end > floor && found.size() < limit; end -= SEARCH_WINDOW) {
            long from = Math.max(floor, end - SEARCH_WINDOW);
            List<StreamRecord> window = kinesis.read(new ShardPosition(stream, shard, from), (int) (end - from))
                    .records();
            for (int i = window.size() - 1; i >= 0 && found.size() < limit; i--) {
                if (window.get(i).partitionKey().equals(partitionKey)) {
                    found.add(window.get(i));
                }
            }
        }
        return found;
    }
}
