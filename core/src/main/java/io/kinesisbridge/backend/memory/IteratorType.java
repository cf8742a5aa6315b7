package io.kinesisbridge.backend.memory;

/** Where a shard iterator starts, as in GetShardIterator's ShardIteratorType. */
public enum IteratorType {
    TRIM_HORIZON,
    LATEST,
    AT_SEQUENCE_NUMBER,
    AFTER_SEQUENCE_NUMBER,
    AT_TIMESTAMP
}
