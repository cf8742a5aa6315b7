package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.ShardRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A stream as DescribeStream shows it: every shard, open or closed, with its ranges (none while CREATING). */
public record StreamSnapshot(
        String streamName,
        String streamArn,
        String status,
        Instant created,
        int maxRecordSizeBytes,
        List<Shard> shards,
        long recordCount,
        long trimmedRecords) {

    public static final String CREATING = "CREATING";
    public static final String ACTIVE = "ACTIVE";
    public static final String DELETING = "DELETING";

    public record Shard(
            ShardRange range,
            Optional<String> parentShardId,
            String startingSequenceNumber,
            Optional<String> endingSequenceNumber) {
        public String shardId() {
            return range.shardId();
        }

        public boolean open() {
            return endingSequenceNumber.isEmpty();
        }
    }

    public List<Shard> openShards() {
        return shards.stream().filter(Shard::open).toList();
    }
}
