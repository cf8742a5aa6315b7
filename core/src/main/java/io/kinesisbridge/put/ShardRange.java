package io.kinesisbridge.put;

/** One shard of a stream and the inclusive range of hash keys it owns. */
public record ShardRange(String shardId, HashKey startingHashKey, HashKey endingHashKey) {

    public ShardRange {
        if (startingHashKey.compareTo(endingHashKey) > 0) {
            throw new IllegalArgumentException("shard " + shardId + ": starting hash key above ending hash key");
        }
    }

    public boolean contains(HashKey key) {
        return startingHashKey.compareTo(key) <= 0 && key.compareTo(endingHashKey) <= 0;
    }

    public static String shardId(int index) {
        return String.format("shardId-%012d", index);
    }
}
