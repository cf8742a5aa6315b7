package io.kinesisbridge.backend.memory;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.Utf8;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A local Kinesis: named streams of shards split over the hash-key space as Kinesis splits them, MD5 routing,
 * ExplicitHashKey, sequence numbers of AWS's layout strictly increasing per shard, optional per-shard write limits,
 * readers by iterator, and a memory cap past which the oldest records are trimmed and counted. Streams created or
 * deleted as the endpoint's CreateStream and DeleteStream do it can spend a while CREATING and DELETING, and an
 * account shard quota can refuse a stream, as AWS does. Thread-safe; every put completes before its future is
 * returned.
 */
public final class InMemoryKinesis implements KinesisBackend {

    private final MemoryBackendSettings settings;
    private final Clock clock;
    private final StreamRegistry streams;

    public InMemoryKinesis(MemoryBackendSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public InMemoryKinesis(MemoryBackendSettings settings, Clock clock) {
        this(settings, clock, null);
    }

    private InMemoryKinesis(MemoryBackendSettings settings, Clock clock, MemoryPersistence persistence) {
        this.settings = settings;
        this.clock = clock;
        this.streams = new StreamRegistry(settings, clock, persistence);
    }

    /**
     * A backend whose streams survive a restart: every stream, shard and record is also written under
     * {@code dir}, and what is there is loaded now. A put is acknowledged once its records were handed to the
     * operating system (a killed process loses nothing), and with {@code fsync} once they are on the disk.
     */
    public static InMemoryKinesis durable(MemoryBackendSettings settings, Path dir, boolean fsync) {
        return new InMemoryKinesis(settings, Clock.systemUTC(), new MemoryPersistence(dir, fsync));
    }

    /** Where a durable backend keeps its streams. */
    public Optional<Path> persistenceDir() {
        return streams.persistenceDir();
    }

    public MemoryBackendSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "memory";
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    /**
     * Creates an ACTIVE stream of {@code shardCount} evenly split shards: ResourceInUseException if it exists,
     * LimitExceededException past the account shard limit.
     */
    public void createStream(String name, int shardCount, int maxRecordSizeBytes) {
        createStream(name, shardCount, maxRecordSizeBytes, Duration.ZERO);
    }

    /** As {@link #createStream(String, int, int)}, the stream CREATING (no shards shown, no writes) for {@code creating}. */
    public void createStream(String name, int shardCount, int maxRecordSizeBytes, Duration creating) {
        streams.create(name, shardCount, maxRecordSizeBytes, creating);
    }

    public void createStream(String name, int shardCount) {
        createStream(name, shardCount, PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES);
    }

    /** Deletes a stream and its records at once; ResourceNotFoundException if there is none. */
    public void deleteStream(String name) {
        deleteStream(name, Duration.ZERO);
    }

    /**
     * Deletes a stream's records now and the stream after {@code deleting}, DELETING until then (no writes, nothing
     * to read, its name still taken); ResourceNotFoundException if there is none.
     */
    public void deleteStream(String name, Duration deleting) {
        streams.delete(name, deleting);
    }

    /** Every stream's name, whatever its status. */
    public List<String> streamNames() {
        return streams.names();
    }

    /** Whether the name is taken by a stream, whatever its status. */
    public boolean hasStream(String name) {
        return streams.visible(name) != null;
    }

    /**
     * Reshards to {@code shardCount} evenly split shards: the open shards close (their records stay readable)
     * and new ones open, each naming the old shard that owned its start as parent.
     */
    public void updateShardCount(String name, int shardCount) {
        streams.updateShardCount(name, shardCount);
    }

    /** The stream as DescribeStream shows it, whatever its status (no shards while CREATING). */
    public StreamSnapshot describe(String name) {
        MemoryStream stream = streams.visibleStream(name);
        String status = stream.status(clock.millis());
        List<StreamSnapshot.Shard> shards = new ArrayList<>();
        long count = 0;
        if (!status.equals(StreamSnapshot.CREATING)) {
            for (MemoryShard s : stream.shards()) {
                count += s.size();
                Optional<String> ending = s.isOpen()
                        ? Optional.empty()
                        : Optional.of(s.numbering.ending(s.nextPosition(), s.lastArrivalMillis()));
                shards.add(new StreamSnapshot.Shard(s.range, s.parentShardId, s.numbering.starting(), ending));
            }
        }
        return new StreamSnapshot(
                stream.name,
                stream.arn,
                status,
                stream.created,
                stream.maxRecordSizeBytes,
                List.copyOf(shards),
                count,
                stream.trimmedRecords.get());
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        MemoryStream stream = streams.get(streamName);
        if (stream == null || !stream.isActive(clock.millis())) {
            return CompletableFuture.failedFuture(streams.notFound(streamName));
        }
        return CompletableFuture.completedFuture(
                new StreamDescription(streamName, stream.openMap(), stream.maxRecordSizeBytes));
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        try {
            MemoryStream stream = streams.activeStream(command.streamName());
            checkRecordSize(stream, command);
            command.sequenceNumberForOrdering().ifPresent(seq -> checkOrderingSequence(stream, seq));
            List<MemoryShard> touched = new ArrayList<>(1);
            RecordResult result = append(stream, command, touched);
            flush(touched);
            streams.trimIfOverCap();
            if (result instanceof RecordResult.Failed failed) {
                return CompletableFuture.failedFuture(
                        KinesisException.of(failed.error(), command.streamName(), command.partitionKey()));
            }
            return CompletableFuture.completedFuture((RecordResult.Accepted) result);
        } catch (KinesisException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        try {
            MemoryStream stream = streams.activeStream(streamName);
            long requestBytes = 0;
            for (PutRecordCommand c : commands) {
                checkRecordSize(stream, c);
                requestBytes += c.sizeBytes();
            }
            if (commands.isEmpty()
                    || commands.size() > PutRecordValidator.MAX_RECORDS_PER_REQUEST
                    || requestBytes > PutRecordValidator.MAX_REQUEST_BYTES) {
                throw KinesisException.of(
                        new KinesisError(
                                KinesisError.INVALID_ARGUMENT,
                                commands.isEmpty() || commands.size() > PutRecordValidator.MAX_RECORDS_PER_REQUEST
                                        ? "A PutRecords request holds 1 to 500 records, got " + commands.size()
                                        : "Records size exceeds 5 MB limit"),
                        streamName,
                        null);
            }
            List<RecordResult> results = new ArrayList<>(commands.size());
            List<MemoryShard> touched = new ArrayList<>(4);
            for (PutRecordCommand c : commands) {
                results.add(append(stream, c, touched));
            }
            flush(touched);
            streams.trimIfOverCap();
            return CompletableFuture.completedFuture(new PutRecordsResponse(results));
        } catch (KinesisException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** With a journal: the put is acknowledged only after its records were handed to the operating system. */
    private void flush(List<MemoryShard> touched) {
        if (streams.durable()) {
            touched.forEach(MemoryShard::flushJournal);
        }
    }

    private RecordResult append(MemoryStream stream, PutRecordCommand command, List<MemoryShard> touched) {
        HashKey hashKey = command.hashKey();
        long size = command.sizeBytes();
        while (true) {
            MemoryShard shard = stream.openShardFor(hashKey);
            if (shard == null) {
                return new RecordResult.Failed(new KinesisError(
                        KinesisError.INTERNAL_FAILURE,
                        "No open shard owns hash key " + hashKey + " of stream " + stream.name + "."));
            }
            long now = clock.millis();
            long position = shard.append(command.partitionKey(), command.data(), size, now, System.nanoTime());
            if (position >= 0) {
                if (streams.durable() && !touched.contains(shard)) {
                    touched.add(shard);
                }
                streams.added(StoredRecord.footprintOf(command.partitionKey(), command.data()));
                return new RecordResult.Accepted(shard.shardId(), shard.numbering.ofRecord(position, now));
            }
            if (position == -1) {
                return new RecordResult.Failed(
                        KinesisError.throughputExceeded(shard.shardId(), stream.name, settings.accountId()));
            }
            // -2: the shard closed under a concurrent reshard; route again on the new map
        }
    }

    private void checkRecordSize(MemoryStream stream, PutRecordCommand command) {
        long size = (long) command.data().length + Utf8.encodedLength(command.partitionKey());
        if (size > stream.maxRecordSizeBytes) {
            throw KinesisException.of(
                    PutRecordValidator.checkPutRecordArguments(command.toRequest(), stream.maxRecordSizeBytes)
                            .orElseThrow(),
                    stream.name,
                    command.partitionKey());
        }
    }

    /**
     * AWS takes a SequenceNumberForOrdering of any of its layouts from any stream, unless it is from the future. A
     * shard restored from an earlier version's journal also takes back the numbers of that version it issued.
     */
    private void checkOrderingSequence(MemoryStream stream, String sequenceNumber) {
        if (stream.hasLegacyShards() && stream.shards().stream().anyMatch(s -> s.issuedLegacyNumber(sequenceNumber))) {
            return;
        }
        PutRecordValidator.checkSequenceNumberForOrdering(
                        sequenceNumber, stream.name, settings.accountId(), clock.millis())
                .ifPresent(error -> {
                    throw KinesisException.of(error, stream.name, null);
                });
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    /**
     * Where a GetShardIterator of this type starts. {@code sequenceNumber} is read for AT_/AFTER_SEQUENCE_NUMBER,
     * {@code timestamp} for AT_TIMESTAMP.
     */
    public ShardPosition iterator(
            String streamName, String shardId, IteratorType type, String sequenceNumber, Instant timestamp) {
        MemoryStream stream = streams.visibleStream(streamName);
        KinesisException noShard = KinesisException.of(
                new KinesisError(
                        KinesisError.RESOURCE_NOT_FOUND,
                        "Shard " + shardId + " in stream " + streamName + " under account " + settings.accountId()
                                + " does not exist"),
                streamName,
                null);
        if (stream.status(clock.millis()).equals(StreamSnapshot.CREATING)) {
            throw noShard; // a CREATING stream shows no shards yet
        }
        MemoryShard shard = stream.shard(shardId).orElseThrow(() -> noShard);
        long position = switch (type) {
            case TRIM_HORIZON -> shard.firstPosition();
            case LATEST -> shard.nextPosition();
            case AT_TIMESTAMP -> shard.positionAtOrAfter(timestamp.toEpochMilli());
            case AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER -> {
                ShardNumbering.Found found =
                        found(shard.numbering.locate(sequenceNumber), sequenceNumber, streamName, shardId);
                yield type == IteratorType.AT_SEQUENCE_NUMBER ? found.at() : found.after();
            }
        };
        return new ShardPosition(streamName, shardId, position);
    }

    /** Where a StartingSequenceNumber points, or AWS's error for one that points nowhere in the shard. */
    private ShardNumbering.Found found(
            ShardNumbering.Location location, String sequenceNumber, String streamName, String shardId) {
        if (location instanceof ShardNumbering.Found found) {
            return found;
        }
        String usedOn = "StartingSequenceNumber " + sequenceNumber + " used in GetShardIterator on shard " + shardId
                + " in stream " + streamName + " under account " + settings.accountId() + " is invalid";
        KinesisError error;
        if (location instanceof ShardNumbering.OtherShard other) {
            error = new KinesisError(
                    KinesisError.INVALID_ARGUMENT,
                    "Invalid StartingSequenceNumber. It encodes " + other.encodedShardId()
                            + ", while it was used in a call to a shard with " + shardId);
        } else if (location instanceof ShardNumbering.OtherStream other) {
            error = other.oldestLayout()
                    ? new KinesisError(KinesisError.INTERNAL_FAILURE, "")
                    : new KinesisError(
                            KinesisError.INVALID_ARGUMENT, usedOn + " because it did not come from this stream.");
        } else {
            error = new KinesisError(KinesisError.INVALID_ARGUMENT, usedOn + ".");
        }
        throw KinesisException.of(error, streamName, null);
    }

    /** Up to {@code limit} records from a position; {@code next} is empty once a closed shard is exhausted. */
    public ReadResult read(ShardPosition from, int limit) {
        MemoryStream stream = streams.visibleStream(from.streamName());
        MemoryShard shard = stream.shard(from.shardId()).orElseThrow(() -> streams.notFound(from.streamName()));
        List<StoredRecord> stored = shard.read(from.position(), limit);
        List<StreamRecord> records = new ArrayList<>(stored.size());
        long next = Math.max(from.position(), shard.firstPosition());
        for (StoredRecord r : stored) {
            records.add(new StreamRecord(
                    shard.shardId(),
                    shard.numbering.ofRecord(r.position(), r.arrivalMillis()),
                    r.partitionKey(),
                    r.data(),
                    r.arrivalMillis()));
            next = r.position() + 1;
        }
        long tip = shard.nextPosition();
        long behind = next >= tip ? 0 : Math.max(0, clock.millis() - shard.arrivalOf(next));
        Optional<ShardPosition> nextPosition = !shard.isOpen() && next >= tip
                ? Optional.empty()
                : Optional.of(new ShardPosition(from.streamName(), from.shardId(), next));
        return new ReadResult(records, nextPosition, behind);
    }

    /** Every record the stream holds, shard by shard in shard order, each shard in sequence order. */
    public List<StreamRecord> readAll(String streamName) {
        List<StreamRecord> all = new ArrayList<>();
        for (StreamSnapshot.Shard s : describe(streamName).shards()) {
            ShardPosition p = iterator(streamName, s.shardId(), IteratorType.TRIM_HORIZON, null, null);
            while (true) {
                ReadResult r = read(p, 10_000);
                all.addAll(r.records());
                if (r.records().isEmpty() || r.next().isEmpty()) {
                    break;
                }
                p = r.next().get();
            }
        }
        return all;
    }

    public long footprintBytes() {
        return streams.footprintBytes();
    }

    @Override
    public void close() {
        streams.close();
    }
}
