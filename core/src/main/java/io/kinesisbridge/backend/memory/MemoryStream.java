package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream: every shard it ever had (closed ones stay readable), the map of its open shards, and its status: CREATING
 * until {@code activeAtMillis}, then ACTIVE, and DELETING from a delayed delete until it is gone.
 */
final class MemoryStream {

    final String name;
    final String arn;
    final Instant created;
    final int maxRecordSizeBytes;
    final AtomicLong trimmedRecords = new AtomicLong();
    private final long activeAtMillis;
    private volatile long goneAtMillis = Long.MAX_VALUE;
    private volatile boolean deleting;
    private volatile boolean legacyShards;
    private volatile List<MemoryShard> shards;
    private volatile Routing routing;

    /** The open shards and their map, published together so that readers never see one without the other. */
    private record Routing(List<MemoryShard> openShards, ShardMap map) {}

    MemoryStream(
            String name,
            String arn,
            Instant created,
            int maxRecordSizeBytes,
            List<MemoryShard> shards,
            long activeAtMillis) {
        this.name = name;
        this.arn = arn;
        this.created = created;
        this.maxRecordSizeBytes = maxRecordSizeBytes;
        this.activeAtMillis = activeAtMillis;
        install(shards);
    }

    /** CREATING, ACTIVE or DELETING at {@code nowMillis}. */
    String status(long nowMillis) {
        if (deleting) {
            return StreamSnapshot.DELETING;
        }
        return nowMillis < activeAtMillis ? StreamSnapshot.CREATING : StreamSnapshot.ACTIVE;
    }

    boolean isActive(long nowMillis) {
        return !deleting && nowMillis >= activeAtMillis;
    }

    boolean isDeleting() {
        return deleting;
    }

    /** DELETING from now until {@code goneAtMillis}. */
    void markDeleting(long goneAtMillis) {
        this.goneAtMillis = goneAtMillis;
        this.deleting = true;
    }

    boolean isGone(long nowMillis) {
        return deleting && nowMillis >= goneAtMillis;
    }

    /** Whether a shard restored from an earlier version's journal numbers records the old way. */
    boolean hasLegacyShards() {
        return legacyShards;
    }

    List<MemoryShard> shards() {
        return shards;
    }

    ShardMap openMap() {
        return routing.map();
    }

    /** The open shard owning the hash key, or null in a gap: the map and the open list share indices. */
    MemoryShard openShardFor(HashKey key) {
        Routing r = routing;
        int index = r.map().indexFor(key);
        return index < 0 ? null : r.openShards().get(index);
    }

    Optional<MemoryShard> shard(String shardId) {
        for (MemoryShard s : shards) {
            if (s.shardId().equals(shardId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    Optional<MemoryShard> shard(int index) {
        List<MemoryShard> all = shards;
        return index >= 0 && index < all.size() ? Optional.of(all.get(index)) : Optional.empty();
    }

    /** Closes every open shard and opens {@code newShards} in their place (a reshard). */
    synchronized void replaceOpenShards(List<MemoryShard> newShards) {
        for (MemoryShard s : routing.openShards()) {
            s.close();
        }
        List<MemoryShard> all = new ArrayList<>(shards);
        all.addAll(newShards);
        install(all);
    }

    private void install(List<MemoryShard> all) {
        List<MemoryShard> open = new ArrayList<>();
        for (MemoryShard s : all) {
            if (s.isOpen()) {
                open.add(s);
            }
        }
        open.sort((a, b) -> a.range.startingHashKey().compareTo(b.range.startingHashKey()));
        this.legacyShards = all.stream().anyMatch(s -> s.numbering.isLegacy());
        this.shards = List.copyOf(all);
        this.routing = new Routing(
                List.copyOf(open), new ShardMap(open.stream().map(s -> s.range).toList()));
    }
}
