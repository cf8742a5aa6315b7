package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardMap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A stream: every shard it ever had (closed ones stay readable) and the map of its open shards. */
final class MemoryStream {

    final String name;
    final String arn;
    final Instant created;
    final int maxRecordSizeBytes;
    final AtomicLong trimmedRecords = new AtomicLong();
    private volatile List<MemoryShard> shards;
    private volatile Routing routing;

    /** The open shards and their map, published together so that readers never see one without the other. */
    private record Routing(List<MemoryShard> openShards, ShardMap map) {
    }

    MemoryStream(String name, String arn, Instant created, int maxRecordSizeBytes, List<MemoryShard> shards) {
        this.name = name;
        this.arn = arn;
        this.created = created;
        this.maxRecordSizeBytes = maxRecordSizeBytes;
        install(shards);
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
        this.shards = List.copyOf(all);
        this.routing = new Routing(List.copyOf(open), new ShardMap(open.stream().map(s -> s.range).toList()));
    }
}
