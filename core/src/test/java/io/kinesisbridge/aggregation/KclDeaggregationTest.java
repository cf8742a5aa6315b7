package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Interop with the reading side most consumers use: the KCL's de-aggregation ({@code AggregatorUtil}, the code the
 * KCL runs on every record it reads) unpacks the bridge's aggregates into exactly the user records, keys and order.
 * It is given each shard's hash-key range, so that it also drops any user record that does not belong to the shard.
 */
class KclDeaggregationTest {

    private static final int MIB = 1_048_576;

    @Test
    void clickstreamSizedRecordsOnFourShards_areReadBackByTheKclExactly() {
        ShardMap shards = ShardMap.evenSplit(4);
        List<UserRecord> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String key = "user-" + (i % 997);
            byte[] data = ("{\"seq\":" + i + ",\"user\":\"" + key + "\",\"pad\":\"" + "x".repeat(150) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            records.add(i % 10 == 0 ? new UserRecord(key, Integer.toString(i), data) : UserRecord.of(key, data));
        }

        int kinesisRecords = 0;
        for (Map.Entry<ShardRange, List<UserRecord>> shard :
                UserRecordArbitraries.byShard(shards, records).entrySet()) {
            List<PackedRecord> packed = Aggregator.pack(shard.getKey(), MIB, 100_000, shard.getValue());
            kinesisRecords += packed.size();

            assertThat(packed).allMatch(p -> p.sizeBytes() <= MIB);
            assertThat(Kcl.deaggregate(shard.getKey(), packed)).containsExactlyElementsOf(shard.getValue());
        }
        assertThat(kinesisRecords)
                .as("about 200 bytes a record: over 5,000 of them in each 1 MiB aggregate")
                .isLessThanOrEqualTo(8);
    }
}
