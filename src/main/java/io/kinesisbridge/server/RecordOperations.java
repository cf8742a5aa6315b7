package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.IteratorType;
import io.kinesisbridge.backend.memory.ReadResult;
import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.put.ValidationErrors;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.invalidArgument;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeHashKeyRange;

/**
 * The record operations of the endpoint: PutRecord and PutRecords (through the writer, the backend or its fault
 * decorator), GetShardIterator and GetRecords (from the backend), with AWS's checks in AWS's order.
 */
final class RecordOperations {

    /** GetRecords answers at most this much data per call, as Kinesis does. */
    static final int GET_RECORDS_MAX_BYTES = 10 * 1_048_576;
    static final int GET_RECORDS_DEFAULT_LIMIT = 10_000;
    private static final List<String> ITERATOR_TYPES =
            List.of("AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON");

    private final InMemoryKinesis store;
    private final KinesisBackend writer;
    private final Clock clock;
    private final ShardIterators iterators;
    private final StreamOperations streams;

    RecordOperations(InMemoryKinesis store, KinesisBackend writer, Clock clock, ShardIterators iterators, StreamOperations streams) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.iterators = iterators;
        this.streams = streams;
    }

    CompletableFuture<Reply> putRecord(WireFormat f, JsonParser p) throws IOException {
        PutRequest request = PutRecordJson.read(p);
        Optional<StreamDescription> stream = stream(request.streamName());
        if (stream.isEmpty()) {
            int schemaLimit = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
            KinesisError e = PutRecordValidator.checkPutRecordSchema(request, schemaLimit)
                    .orElseGet(() -> streams.notFound(request.streamName()));
            return done(error(f, e));
        }
        PutRecordCommand command = PutRecordValidator.validate(request, stream.get().maxRecordSizeBytes());
        return writer.putRecord(command).thenApply(accepted -> reply(f, g -> {
            g.writeStartObject();
            g.writeStringField("ShardId", accepted.shardId());
            g.writeStringField("SequenceNumber", accepted.sequenceNumber());
            g.writeStringField("EncryptionType", accepted.encryptionType());
            g.writeEndObject();
        }));
    }

    CompletableFuture<Reply> putRecords(WireFormat f, JsonParser p) throws IOException {
        PutRecordJson.PutRecordsRequest request = PutRecordJson.readPutRecords(p);
        Optional<StreamDescription> stream = stream(request.streamName());
        if (stream.isEmpty()) {
            KinesisError e = PutRecordValidator.checkPutRecordsSchema(request.streamName(), request.records(),
                    PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES).orElseGet(() -> streams.notFound(request.streamName()));
            return done(error(f, e));
        }
        List<PutRecordCommand> commands = PutRecordValidator.validatePutRecords(request.streamName(), request.records(),
                stream.get().maxRecordSizeBytes());
        return writer.putRecords(request.streamName(), commands).thenApply(response -> reply(f, g -> {
            g.writeStartObject();
            g.writeNumberField("FailedRecordCount", response.failedRecordCount());
            g.writeArrayFieldStart("Records");
            writeEntries(g, response);
            g.writeEndArray();
            g.writeStringField("EncryptionType", RecordResult.Accepted.ENCRYPTION_NONE);
            g.writeEndObject();
        }));
    }

    static void writeEntries(JsonGenerator g, PutRecordsResponse response) throws IOException {
        for (RecordResult r : response.results()) {
            g.writeStartObject();
            if (r instanceof RecordResult.Accepted a) {
                g.writeStringField("SequenceNumber", a.sequenceNumber());
                g.writeStringField("ShardId", a.shardId());
            } else {
                KinesisError e = ((RecordResult.Failed) r).error();
                g.writeStringField("ErrorCode", e.code());
                g.writeStringField("ErrorMessage", e.message());
            }
            g.writeEndObject();
        }
    }

    CompletableFuture<Reply> getShardIterator(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        String shardId = null;
        String type = null;
        String sequence = null;
        Instant timestamp = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "StreamName" -> streamName = PutRecordJson.stringValue(p, t);
                case "ShardId" -> shardId = PutRecordJson.stringValue(p, t);
                case "ShardIteratorType" -> type = PutRecordJson.stringValue(p, t);
                case "StartingSequenceNumber" -> sequence = PutRecordJson.stringValue(p, t);
                case "Timestamp" -> timestamp = PutRecordJson.timestampValue(p, t);
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        PutRecordValidator.checkStreamName(v, "shardId", shardId, true);
        v.oneOf("shardIteratorType", type, true, ITERATOR_TYPES);
        PutRecordValidator.checkSequenceNumber(v, "startingSequenceNumber", sequence);
        PutRecordValidator.checkStreamName(v, streamName);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        String account = store.settings().accountId();
        Optional<String> resolved = resolveShardId(shardId);
        if (resolved.isEmpty()) {
            return done(error(f, new KinesisError(KinesisError.RESOURCE_NOT_FOUND, "Could not find shard " + shardId
                    + " in stream " + streamName + " under account " + account + ".")));
        }
        String shard = resolved.get();
        Optional<StreamSnapshot> snapshot = streams.snapshot(streamName);
        if (snapshot.isEmpty() || snapshot.get().shards().stream().noneMatch(s -> s.shardId().equals(shard))) {
            return done(error(f, shardNotFound(shard, streamName)));
        }
        IteratorType iteratorType = IteratorType.valueOf(type);
        boolean bySequence = iteratorType == IteratorType.AT_SEQUENCE_NUMBER || iteratorType == IteratorType.AFTER_SEQUENCE_NUMBER;
        if (sequence != null && (iteratorType == IteratorType.TRIM_HORIZON || iteratorType == IteratorType.LATEST)) {
            return done(error(f, invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                    + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                    + type + " and also a StartingSequenceNumber.")));
        }
        if (bySequence && sequence == null) {
            return done(error(f, invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                    + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                    + type + " and no StartingSequenceNumber.")));
        }
        if (iteratorType == IteratorType.AT_TIMESTAMP) {
            if (timestamp == null) {
                return done(error(f, invalidArgument("Must specify timestampInMillis parameter for iterator of type "
                        + "AT_TIMESTAMP. Current request has no timestamp parameter.")));
            }
            long now = clock.millis();
            if (timestamp.toEpochMilli() > now) {
                return done(error(f, invalidArgument("The timestampInMillis parameter cannot be greater than the "
                        + "currentTimestampInMillis. timestampInMillis: " + timestamp.toEpochMilli()
                        + ", currentTimestampInMillis: " + now)));
            }
        }
        ShardPosition position = store.iterator(streamName, shard, iteratorType, sequence, timestamp);
        String iterator = iterators.encode(position, snapshot.get().created().toEpochMilli());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeStringField("ShardIterator", iterator);
            g.writeEndObject();
        }));
    }

    CompletableFuture<Reply> getRecords(WireFormat f, JsonParser p) throws IOException {
        String iterator = null;
        Integer limit = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "ShardIterator" -> iterator = PutRecordJson.stringValue(p, t);
                case "Limit" -> limit = PutRecordJson.integerValue(p, t);
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        v.integer("limit", limit, false, 1, 10_000);
        v.string("shardIterator", iterator, true, null, true, 1, 512);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        ShardIterators.Decoded decoded = iterators.decode(iterator);
        ShardPosition from = decoded.position();
        Optional<StreamSnapshot> snapshot = streams.snapshot(from.streamName());
        if (snapshot.isEmpty() || snapshot.get().created().toEpochMilli() != decoded.streamCreatedMillis()) {
            return done(error(f, shardNotFound(from.shardId(), from.streamName())));
        }
        ReadResult read = store.read(from, limit == null ? GET_RECORDS_DEFAULT_LIMIT : limit);
        int fitting = recordsWithin(read.records(), GET_RECORDS_MAX_BYTES);
        if (fitting < read.records().size()) {
            read = store.read(from, fitting);
        }
        ReadResult result = read;
        Optional<String> next = result.next().map(n -> iterators.encode(n, decoded.streamCreatedMillis()));
        List<ChildShard> children = next.isPresent() ? List.of() : childrenOf(snapshot.get(), from.shardId());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (StreamRecord r : result.records()) {
                g.writeStartObject();
                g.writeStringField("SequenceNumber", r.sequenceNumber());
                PutRecordJson.writeTimestampField(g, "ApproximateArrivalTimestamp", r.approximateArrivalMillis());
                g.writeBinaryField("Data", r.data());
                g.writeStringField("PartitionKey", r.partitionKey());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("NextShardIterator", next.get());
            }
            g.writeNumberField("MillisBehindLatest", result.millisBehindLatest());
            if (next.isEmpty()) {
                g.writeArrayFieldStart("ChildShards");
                for (ChildShard c : children) {
                    g.writeStartObject();
                    g.writeStringField("ShardId", c.shard().shardId());
                    g.writeArrayFieldStart("ParentShards");
                    for (String parent : c.parents()) {
                        g.writeString(parent);
                    }
                    g.writeEndArray();
                    writeHashKeyRange(g, c.shard().range());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }));
    }

    /** How many of the records, from the first, fit in {@code maxBytes} of data; at least one. */
    static int recordsWithin(List<StreamRecord> records, long maxBytes) {
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            total += records.get(i).data().length;
            if (total > maxBytes) {
                return Math.max(1, i);
            }
        }
        return records.size();
    }

    record ChildShard(StreamSnapshot.Shard shard, List<String> parents) {
    }

    /**
     * The shards that took over a closed shard's hash keys: those of the next generation (created by the
     * reshard that closed it) whose ranges overlap its range, each with its parents of that generation.
     */
    static List<ChildShard> childrenOf(StreamSnapshot stream, String shardId) {
        Map<String, Integer> generation = new HashMap<>();
        for (StreamSnapshot.Shard s : stream.shards()) {
            generation.put(s.shardId(), s.parentShardId().map(parent -> generation.getOrDefault(parent, 0) + 1).orElse(0));
        }
        StreamSnapshot.Shard closed = stream.shards().stream().filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        int childGeneration = generation.get(shardId) + 1;
        List<ChildShard> children = new ArrayList<>();
        for (StreamSnapshot.Shard s : stream.shards()) {
            if (generation.get(s.shardId()) == childGeneration && overlaps(s.range(), closed.range())) {
                List<String> parents = new ArrayList<>();
                for (StreamSnapshot.Shard parent : stream.shards()) {
                    if (generation.get(parent.shardId()) == childGeneration - 1 && overlaps(parent.range(), s.range())) {
                        parents.add(parent.shardId());
                    }
                }
                children.add(new ChildShard(s, parents));
            }
        }
        return children;
    }

    static boolean overlaps(ShardRange a, ShardRange b) {
        return a.startingHashKey().compareTo(b.endingHashKey()) <= 0 && b.startingHashKey().compareTo(a.endingHashKey()) <= 0;
    }

    /**
     * The shard id a request names: Kinesis takes {@code shardId-000000000001}, {@code shardId-1}, {@code 1} and
     * {@code 000000000001} alike; empty when the text holds no shard number.
     */
    static Optional<String> resolveShardId(String shardId) {
        int dash = shardId.indexOf('-');
        String digits = dash >= 0 && dash + 1 < shardId.length() ? shardId.substring(dash + 1) : shardId;
        int end = digits.indexOf('-');
        if (end >= 0) {
            digits = digits.substring(0, end);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 10) {
            return Optional.empty();
        }
        long index = Long.parseLong(significant);
        return index > Integer.MAX_VALUE ? Optional.empty() : Optional.of(ShardRange.shardId((int) index));
    }

    Optional<StreamDescription> stream(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describeStream(name).join());
        } catch (CompletionException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    KinesisError shardNotFound(String shardId, String streamName) {
        return new KinesisError(KinesisError.RESOURCE_NOT_FOUND, "Shard " + shardId + " in stream " + streamName
                + " under account " + store.settings().accountId() + " does not exist");
    }
}
