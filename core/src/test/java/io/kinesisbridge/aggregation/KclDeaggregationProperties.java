package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The KCL's de-aggregation, given each shard's hash-key range, reads any records the aggregator packs back exactly. */
class KclDeaggregationProperties {

    @Property(tries = 200)
    void anyRecords_areReadBackByTheKclExactly(
            @ForAll @Size(max = 60) List<@From("records") UserRecord> generated,
            @ForAll @IntRange(min = UserRecordArbitraries.SMALLEST_LIMIT, max = UserRecordArbitraries.LARGEST_LIMIT)
                    int limit,
            @ForAll @IntRange(min = 1, max = 50) int maxUserRecords,
            @ForAll @IntRange(min = 1, max = 4) int shardCount) {
        List<UserRecord> records = generated.stream()
                .map(r -> UserRecordArbitraries.fitted(r, limit))
                .toList();

        for (Map.Entry<ShardRange, List<UserRecord>> shard : UserRecordArbitraries.byShard(
                        ShardMap.evenSplit(shardCount), records)
                .entrySet()) {
            List<PackedRecord> packed = Aggregator.pack(shard.getKey(), limit, maxUserRecords, shard.getValue());

            assertThat(Kcl.deaggregate(shard.getKey(), packed)).containsExactlyElementsOf(shard.getValue());
        }
    }

    @Provide
    Arbitrary<UserRecord> records() {
        return UserRecordArbitraries.userRecords();
    }
}
