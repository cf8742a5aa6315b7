package io.kinesisbridge.backend;

import io.kinesisbridge.put.ShardMap;

/** What the dispatcher needs to know of a stream: its open shards and its maximum record size. */
public record StreamDescription(String streamName, ShardMap shards, int maxRecordSizeBytes) {}
