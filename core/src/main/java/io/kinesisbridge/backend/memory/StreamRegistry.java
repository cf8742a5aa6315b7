package io.kinesisbridge.backend.memory;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams of an {@link InMemoryKinesis} by name, through their lifecycle: created (CREATING for a while, within
 * the account shard quota), resharded, deleted (DELETING for a while), restored from and saved to the persistence
 * directory of a durable backend; and the memory cap, past which the oldest records are trimmed.
 */
final class StreamRegistry {

    private final MemoryBackendSettings settings;
    private final Clock clock;
    private final MemoryPersistence persistence;
    private final Map<String, MemoryStream> streams = new ConcurrentHashMap<>();
    private final AtomicLong footprint = new AtomicLong();
    private final ReentrantLock trimming = new ReentrantLock();

    /** @param persistence where a durable backend keeps its streams (loaded now), or null */
    StreamRegistry(MemoryBackendSettings settings, Clock clock, MemoryPersistence persistence) {
        this.settings = settings;
        this.clock = clock;
        this.persistence = persistence;
        if (persistence != null) {
            restore();
        }
    }

    /** Whether streams are also written to disk. */
    boolean durable() {
        return persistence != null;
    }

    Optional<Path> persistenceDir() {
        return persistence == null ? Optional.empty() : Optional.of(persistence.dir());
    }

    private void restore() {
        for (MemoryPersistence.StreamMeta meta : persistence.savedStreams()) {
            List<MemoryShard> shards = new ArrayList<>();
            for (MemoryPersistence.ShardMeta s : meta.shards()) {
                ShardJournal.Loaded loaded = persistence.openShard(meta.name(), s.shardId());
                MemoryShard shard = new MemoryShard(
                        s.index(),
                        s.range(),
                        Optional.ofNullable(s.parentShardId()),
                        limiter(),
                        loaded.journal(),
                        s.numbering(meta.createdMillis()));
                shard.restore(loaded.keepFrom(), loaded.records(), s.open());
                for (StoredRecord r : loaded.records()) {
                    footprint.addAndGet(r.footprintBytes());
                }
                shards.add(shard);
            }
            streams.put(
                    meta.name(),
                    new MemoryStream(
                            meta.name(),
                            arn(meta.name()),
                            Instant.ofEpochMilli(meta.createdMillis()),
                            meta.maxRecordSizeBytes(),
                            shards,
                            0));
        }
        trimIfOverCap();
    }

    /** As {@link InMemoryKinesis#createStream(String, int, int, Duration)}. */
    void create(String name, int shardCount, int maxRecordSizeBytes, Duration creating) {
        if (maxRecordSizeBytes < PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES
                || maxRecordSizeBytes > PutRecordValidator.LARGEST_MAX_RECORD_SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "maximum record size must lie in [1 MiB, 10 MiB], got " + maxRecordSizeBytes);
        }
        synchronized (streams) {
            purgeDeleted();
            if (streams.containsKey(name)) {
                throw KinesisException.of(
                        new KinesisError(
                                KinesisError.RESOURCE_IN_USE,
                                "Stream " + name + " under account " + settings.accountId() + " already exists."),
                        name,
                        null);
            }
            checkShardQuota(name, shardCount);
            Instant now = clock.instant();
            List<MemoryShard> shards = new ArrayList<>(shardCount);
            List<ShardRange> ranges = ShardMap.evenSplit(shardCount).shards();
            for (int i = 0; i < ranges.size(); i++) {
                shards.add(newShard(name, i, ranges.get(i), Optional.empty(), now));
            }
            MemoryStream stream = new MemoryStream(
                    name, arn(name), now, maxRecordSizeBytes, shards, now.toEpochMilli() + creating.toMillis());
            streams.put(name, stream);
            if (persistence != null) {
                persistence.saveStream(stream);
            }
        }
    }

    /** AWS's answer to a stream that would take the account past its shard quota (kinesalite checked the text). */
    private void checkShardQuota(String name, int shardCount) {
        int limit = settings.accountShardLimit();
        if (limit <= 0) {
            return;
        }
        int open = 0;
        for (MemoryStream s : streams.values()) {
            if (!s.isDeleting()) {
                open += s.openMap().shards().size();
            }
        }
        if ((long) open + shardCount > limit) {
            throw KinesisException.of(
                    new KinesisError(
                            KinesisError.LIMIT_EXCEEDED,
                            "This request would exceed the shard limit for the account " + settings.accountId() + " in "
                                    + settings.region() + ". Current shard count for the account: " + open + ". Limit: "
                                    + limit
                                    + ". Number of additional shards that would have resulted from this request: "
                                    + shardCount
                                    + ". Refer to the AWS Service Limits page "
                                    + "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits "
                                    + "and how to request higher limits."),
                    name,
                    null);
        }
    }

    /** As {@link InMemoryKinesis#deleteStream(String, Duration)}. */
    /**
     * Deletes a stream's records now and the stream after {@code deleting}, DELETING until then (no writes, nothing
     * to read, its name still taken); ResourceNotFoundException if there is none.
     */
    void delete(String name, Duration deleting) {
        MemoryStream stream;
        synchronized (streams) {
            purgeDeleted();
            stream = streams.get(name);
            if (stream == null) {
                throw notFound(name);
            }
            boolean first = !stream.isDeleting();
            if (deleting.isZero()) {
                streams.remove(name);
            } else if (first) {
                stream.markDeleting(clock.millis() + deleting.toMillis());
            }
            if (!first) {
                return; // its records went with the first delete
            }
            if (persistence != null) {
                stream.shards().forEach(MemoryShard::closeJournal);
                persistence.deleteStream(name);
            }
        }
        long freed = 0;
        for (MemoryShard shard : stream.shards()) {
            freed += shard.drop();
        }
        footprint.addAndGet(-freed);
    }

    /** Forgets the streams whose DELETING time is over; the caller holds the streams lock or needs no atomicity. */
    private void purgeDeleted() {
        long now = clock.millis();
        streams.values().removeIf(s -> s.isGone(now));
    }

    /** Every stream's name, whatever its status. */
    List<String> names() {
        purgeDeleted();
        return List.copyOf(new TreeSet<>(streams.keySet()));
    }

    /** As {@link InMemoryKinesis#updateShardCount(String, int)}. */
    /**
     * Reshards to {@code shardCount} evenly split shards: the open shards close (their records stay readable)
     * and new ones open, each naming the old shard that owned its start as parent.
     */
    void updateShardCount(String name, int shardCount) {
        MemoryStream stream = activeStream(name);
        synchronized (stream) {
            List<ShardRange> ranges = ShardMap.evenSplit(shardCount).shards();
            ShardMap old = stream.openMap();
            int next = stream.shards().size();
            Instant now = clock.instant();
            List<MemoryShard> fresh = new ArrayList<>(shardCount);
            for (ShardRange r : ranges) {
                ShardRange renamed = new ShardRange(ShardRange.shardId(next), r.startingHashKey(), r.endingHashKey());
                Optional<String> parent = old.shardFor(r.startingHashKey()).map(ShardRange::shardId);
                fresh.add(newShard(name, next++, renamed, parent, now));
            }
            stream.replaceOpenShards(fresh);
            if (persistence != null) {
                persistence.saveStream(stream);
            }
        }
    }

    long footprintBytes() {
        return footprint.get();
    }

    /** Counts bytes taken by records just stored. */
    void added(long bytes) {
        footprint.addAndGet(bytes);
    }

    void trimIfOverCap() {
        if (footprint.get() <= settings.maxBytes() || !trimming.tryLock()) {
            return;
        }
        try {
            long target =
                    settings.maxBytes() - settings.maxBytes() / 10; // trim to 90% so the next puts don't trim again
            while (footprint.get() > target) {
                MemoryStream oldestStream = null;
                MemoryShard oldest = null;
                long oldestArrival = Long.MAX_VALUE;
                for (MemoryStream stream : streams.values()) {
                    for (MemoryShard shard : stream.shards()) {
                        long arrival = shard.oldestArrival();
                        if (arrival < oldestArrival) {
                            oldestArrival = arrival;
                            oldest = shard;
                            oldestStream = stream;
                        }
                    }
                }
                if (oldest == null) {
                    return;
                }
                // trim a run from the oldest shard rather than rescanning every shard for each record
                MemoryShard.Trimmed trimmed = oldest.trimOldest(256, footprint.get() - target);
                if (trimmed.records() == 0) {
                    return;
                }
                footprint.addAndGet(-trimmed.bytes());
                oldestStream.trimmedRecords.addAndGet(trimmed.records());
            }
        } finally {
            trimming.unlock();
        }
    }

    private MemoryShard newShard(
            String streamName, int index, ShardRange range, Optional<String> parent, Instant created) {
        ShardJournal journal = persistence == null
                ? null
                : persistence.openShard(streamName, range.shardId()).journal();
        return new MemoryShard(
                index, range, parent, limiter(), journal, ShardNumbering.aws(index, created.getEpochSecond()));
    }

    private ShardWriteLimiter limiter() {
        return settings.shardLimits()
                ? new ShardWriteLimiter(settings.recordsPerSecond(), settings.bytesPerSecond(), System.nanoTime())
                : null;
    }

    /** The stream as registered, whatever its status; null when there is none. */
    MemoryStream get(String name) {
        return streams.get(name);
    }

    /** The stream, whatever its status; null when there is none (or its DELETING time is over). */
    MemoryStream visible(String name) {
        MemoryStream stream = streams.get(name);
        if (stream != null && stream.isGone(clock.millis())) {
            streams.remove(name, stream);
            return null;
        }
        return stream;
    }

    MemoryStream visibleStream(String name) {
        MemoryStream stream = visible(name);
        if (stream == null) {
            throw notFound(name);
        }
        return stream;
    }

    /** An ACTIVE stream: a CREATING or DELETING one is not found, as AWS answers writes to it. */
    MemoryStream activeStream(String name) {
        MemoryStream stream = streams.get(name);
        if (stream == null || !stream.isActive(clock.millis())) {
            throw notFound(name);
        }
        return stream;
    }

    KinesisException notFound(String name) {
        return KinesisException.of(KinesisError.resourceNotFound(name, settings.accountId()), name, null);
    }

    String arn(String name) {
        return "arn:aws:kinesis:" + settings.region() + ":" + settings.accountId() + ":stream/" + name;
    }

    void close() {
        if (persistence != null) {
            streams.values().forEach(s -> s.shards().forEach(MemoryShard::closeJournal));
        }
    }
}
