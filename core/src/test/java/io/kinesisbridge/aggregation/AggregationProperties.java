package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AggregationProperties {

    @Property(tries = 300)
    void anyRecords_aggregateAndDeaggregateToThemselvesInOrder_withinTheLimits(
            @ForAll @Size(max = 60) List<@From("records") UserRecord> generated,
            @ForAll @IntRange(min = UserRecordArbitraries.SMALLEST_LIMIT, max = UserRecordArbitraries.LARGEST_LIMIT)
                    int limit,
            @ForAll @IntRange(min = 1, max = 50) int maxUserRecords,
            @ForAll @IntRange(min = 1, max = 4) int shardCount) {
        List<UserRecord> records = generated.stream()
                .map(r -> UserRecordArbitraries.fitted(r, limit))
                .toList();
        ShardMap shards = ShardMap.evenSplit(shardCount);

        for (Map.Entry<ShardRange, List<UserRecord>> shard :
                UserRecordArbitraries.byShard(shards, records).entrySet()) {
            List<PackedRecord> packed = Aggregator.pack(shard.getKey(), limit, maxUserRecords, shard.getValue());

            List<UserRecord> unpacked = new ArrayList<>();
            for (PackedRecord p : packed) {
                assertThat(p.sizeBytes()).isLessThanOrEqualTo(limit);
                assertThat(p.userRecords()).hasSizeBetween(1, maxUserRecords);
                assertThat(shard.getKey().contains(routingKey(p)))
                        .as("aggregate lands on its shard")
                        .isTrue();
                assertThat(Deaggregator.isAggregate(p.data())).isEqualTo(p.isAggregate());
                List<UserRecord> fromData = Deaggregator.deaggregate(p.partitionKey(), p.explicitHashKey(), p.data());
                assertThat(fromData).isEqualTo(p.userRecords());
                unpacked.addAll(fromData);
            }
            assertThat(unpacked).containsExactlyElementsOf(shard.getValue());
        }
    }

    @Property(tries = 200)
    void pendingSize_isTheSizeOfWhatFlushHandsOut(
            @ForAll @Size(min = 1, max = 30) List<@From("records") UserRecord> generated,
            @ForAll @IntRange(min = 1, max = 50) int maxUserRecords) {
        int limit = UserRecordArbitraries.LARGEST_LIMIT;
        Aggregator aggregator = new Aggregator(ShardMap.evenSplit(1).shards().get(0), limit, maxUserRecords);
        for (UserRecord record : generated) {
            aggregator.add(UserRecordArbitraries.fitted(record, limit));
        }
        int pending = aggregator.pendingSizeBytes();
        assertThat(aggregator.flush().map(PackedRecord::sizeBytes).orElse(0)).isEqualTo(pending);
        assertThat(aggregator.pendingSizeBytes()).isZero();
    }

    @Provide
    Arbitrary<UserRecord> records() {
        return UserRecordArbitraries.userRecords();
    }

    static HashKey routingKey(PackedRecord p) {
        return p.explicitHashKey() != null
                ? HashKey.parse(p.explicitHashKey())
                : HashKey.ofPartitionKey(p.partitionKey());
    }
}
