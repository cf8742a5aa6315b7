package io.kinesisbridge.backend.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.files.StreamFileNames;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the in-memory backend keeps its streams when it is made durable: one directory per stream, named by
 * {@link StreamFileNames} (so that {@code .} or {@code ..} name a directory of their own), holding
 * {@code stream.json} (the shards, open and closed) and one {@link ShardJournal} per shard.
 */
final class MemoryPersistence {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryPersistence.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "stream.json";

    private final Path dir;
    private final boolean fsync;

    MemoryPersistence(Path dir, boolean fsync) {
        this.dir = dir;
        this.fsync = fsync;
    }

    Path dir() {
        return dir;
    }

    /** How a shard numbers its records in stream.json; absent in files of versions before AWS's layout. */
    static final String AWS_NUMBERING = "aws-v2";

    static final String LEGACY_NUMBERING = "legacy";

    /**
     * @param numbering      {@link #AWS_NUMBERING}, or {@link #LEGACY_NUMBERING} / absent for a shard of an earlier
     *                       version, whose records keep their numbers
     * @param createdSeconds the shard's creation second in its sequence numbers; absent: the stream's
     */
    record ShardMeta(
            int index,
            String shardId,
            String startingHashKey,
            String endingHashKey,
            String parentShardId,
            boolean open,
            String numbering,
            Long createdSeconds) {
        ShardRange range() {
            return new ShardRange(shardId, HashKey.parse(startingHashKey), HashKey.parse(endingHashKey));
        }

        ShardNumbering numbering(long streamCreatedMillis) {
            long seconds = createdSeconds != null ? createdSeconds : streamCreatedMillis / 1000;
            if (numbering == null || numbering.equals(LEGACY_NUMBERING)) {
                return ShardNumbering.legacy(index, seconds);
            }
            if (numbering.equals(AWS_NUMBERING)) {
                return ShardNumbering.aws(index, seconds);
            }
            throw new IllegalStateException("shard " + shardId + " numbers its records as '" + numbering
                    + "', which this version does not know (a newer version wrote it)");
        }
    }

    record StreamMeta(String name, long createdMillis, int maxRecordSizeBytes, List<ShardMeta> shards) {}

    /** Writes the stream's layout; called on create and on every reshard. */
    void saveStream(MemoryStream stream) {
        List<ShardMeta> shards = new ArrayList<>();
        for (MemoryShard s : stream.shards()) {
            shards.add(new ShardMeta(
                    s.index,
                    s.shardId(),
                    s.range.startingHashKey().toString(),
                    s.range.endingHashKey().toString(),
                    s.parentShardId.orElse(null),
                    s.isOpen(),
                    s.numbering.isLegacy() ? LEGACY_NUMBERING : AWS_NUMBERING,
                    s.numbering.createSeconds()));
        }
        StreamMeta meta = new StreamMeta(stream.name, stream.created.toEpochMilli(), stream.maxRecordSizeBytes, shards);
        try {
            Files.createDirectories(streamDir(stream.name));
            ShardJournal.writeAtomically(
                    StreamFileNames.childOf(streamDir(stream.name), META), JSON.writeValueAsBytes(meta));
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
        return ShardJournal.open(StreamFileNames.childOf(streamDir(streamName), shardId + ".log"), fsync);
    }

    /**
     * The streams saved under the directory; a directory without stream.json is not a stream. A stream saved by a
     * version before the encoding of directory names (its directory named as the stream) is moved to its directory
     * now; streams such a version wrote for the names {@code .} and {@code ..} (into this directory itself or its
     * parent) cannot be told from other files and are not loaded.
     */
    List<StreamMeta> savedStreams() {
        List<StreamMeta> streams = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return streams;
        }
        if (Files.isRegularFile(dir.resolve(META))) {
            LOG.warn(
                    "In-memory backend: {} holds a {} written for stream '.' by an older version; it is not loaded",
                    dir,
                    META);
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                Path meta = child.resolve(META);
                if (!Files.isRegularFile(meta)) {
                    continue;
                }
                StreamMeta saved = JSON.readValue(meta.toFile(), StreamMeta.class);
                String found = child.getFileName().toString();
                if (!StreamFileNames.isStreamName(saved.name())) {
                    LOG.warn("In-memory backend: {} names no valid stream ('{}'); not loaded", meta, saved.name());
                } else if (found.equals(StreamFileNames.of(saved.name()))) {
                    streams.add(saved);
                } else if (found.equals(saved.name()) && migrate(child, saved.name())) {
                    streams.add(saved);
                } else {
                    LOG.warn(
                            "In-memory backend: {} holds stream '{}' but is not its directory {}; not loaded",
                            child,
                            saved.name(),
                            StreamFileNames.of(saved.name()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the streams saved under " + dir, e);
        }
        return streams;
    }

    /** Moves a stream saved under its own name to its encoded directory; false when that is taken. */
    private boolean migrate(Path old, String name) throws IOException {
        Path target = streamDir(name);
        if (Files.exists(target)) {
            LOG.warn(
                    "In-memory backend: stream '{}' is saved both in {} and in {}; {} is not loaded",
                    name,
                    old,
                    target,
                    old);
            return false;
        }
        Files.move(old, target);
        LOG.info(
                "In-memory backend: stream '{}' moved from {} to {} (directory names are now encoded)",
                name,
                old,
                target);
        return true;
    }

    private Path streamDir(String name) {
        return StreamFileNames.childOf(dir, StreamFileNames.of(name));
    }
}
