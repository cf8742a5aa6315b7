package io.kinesisbridge.backend.memory;

/** A reader's place in a shard: the position of the next record to read. What a shard iterator encodes. */
public record ShardPosition(String streamName, String shardId, long position) {}
