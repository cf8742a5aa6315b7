package io.kinesisbridge.backend.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardRange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the in-memory backend keeps its streams when it is made durable: one directory per stream holding
 * {@code stream.json} (the shards, open and closed) and one {@link ShardJournal} per shard.
 */
final class MemoryPersistence {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final boolean fsync;

    MemoryPersistence(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    Path dir() {
        return dir;
    }

    record ShardMeta(int index, String shardId, String startingHashKey, String endingHashKey, String parentShardId,
                     boolean open) {
        ShardRange range() {
            return new ShardRange(shardId, HashKey.parse(startingHashKey), HashKey.parse(endingHashKey));
        }
    }

    record StreamMeta(String name, long createdMillis, int maxRecordSizeBytes, List<ShardMeta> shards) {
    }

    /** Writes the stream's layout; called on create and on every reshard. */
    void saveStream(MemoryStream stream) {
        List<ShardMeta> shards = new ArrayList<>();
        for (MemoryShard s : stream.shards()) {
            shards.add(new ShardMeta(s.index, s.shardId(), s.range.startingHashKey().toString(),
                    s.range.endingHashKey().toString(), s.parentShardId.orElse(null), s.isOpen()));
        }
        StreamMeta meta = new StreamMeta(stream.name, stream.created.toEpochMilli(), stream.maxRecordSizeBytes, shards);
        try {
            Files.createDirectories(streamDir(stream.name));
            ShardJournal.writeAtomically(streamDir(stream.name).resolve("stream.json"), JSON.writeValueAsBytes(meta));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save stream " + stream.name + " under " + dir, e);
        }
    }

    void deleteStream(String name) {
        Path streamDir = streamDir(name);
        if (!Files.exists(streamDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(streamDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stream " + name + " under " + dir, e);
        }
    }

    ShardJournal.Loaded openShard(String streamName, String shardId) {
        return ShardJournal.open(streamDir(streamName).resolve(shardId + ".log"), fsync);
    }

    /** The streams saved under the directory; a directory without stream.json is not a stream. */
    List<StreamMeta> savedStreams() {
        List<StreamMeta> streams = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return streams;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                Path meta = child.resolve("stream.json");
                if (Files.isRegularFile(meta)) {
                    streams.add(JSON.readValue(meta.toFile(), StreamMeta.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the streams saved under " + dir, e);
        }
        return streams;
    }

    Optional<Path> streamDirIfPresent(String name) {
        Path p = streamDir(name);
        return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
    }

    private Path streamDir(String name) {
        return dir.resolve(name);
    }
}
