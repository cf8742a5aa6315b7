package io.kinesisbridge.backend.memory;

/** A record read back from a shard, as GetRecords returns it. */
public record StreamRecord(
        String shardId, String sequenceNumber, String partitionKey, byte[] data, long approximateArrivalMillis) {}
