package io.kinesisbridge.put;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The open shards of a stream, sorted by hash-key range; answers which shard a hash key lands on. */
public final class ShardMap {

    private final List<ShardRange> shards;
    private final HashKey[] starts;

    public ShardMap(List<ShardRange> shards) {
        List<ShardRange> sorted = new ArrayList<>(shards);
        sorted.sort(Comparator.comparing(ShardRange::startingHashKey));
        this.shards = List.copyOf(sorted);
        this.starts = sorted.stream().map(ShardRange::startingHashKey).toArray(HashKey[]::new);
    }

    /**
     * The layout Kinesis gives a new stream of {@code count} shards: step = floor(2^128 / count); shard i owns
     * [i*step, (i+1)*step - 1], and the last shard ends at 2^128 - 1.
     */
    public static ShardMap evenSplit(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a stream needs at least one shard, got " + count);
        }
        BigInteger step = HashKey.SPACE.divide(BigInteger.valueOf(count));
        List<ShardRange> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BigInteger start = step.multiply(BigInteger.valueOf(i));
            BigInteger end =
                    i == count - 1 ? HashKey.MAX_VALUE : start.add(step).subtract(BigInteger.ONE);
            ranges.add(new ShardRange(ShardRange.shardId(i), HashKey.of(start), HashKey.of(end)));
        }
        return new ShardMap(ranges);
    }

    public List<ShardRange> shards() {
        return shards;
    }

    public int size() {
        return shards.size();
    }

    /** The shard owning {@code key}, or empty when the open shards leave a gap there (mid-reshard). */
    public Optional<ShardRange> shardFor(HashKey key) {
        int index = indexFor(key);
        return index < 0 ? Optional.empty() : Optional.of(shards.get(index));
    }

    /** The index in {@link #shards()} of the shard owning {@code key}, or -1 when none does. */
    public int indexFor(HashKey key) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid].compareTo(key) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && shards.get(found).contains(key) ? found : -1;
    }
}
