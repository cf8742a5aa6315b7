package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
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
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.put.ValidationErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kinesis API over the in-memory backend, independent of HTTP: takes a request's Content-Type, X-Amz-Target
 * and body, and gives the status, Content-Type and body Kinesis would answer with, in JSON 1.1 or CBOR 1.1.
 *
 * <p>Order of the checks, as Kinesis makes them: the target and encoding; the body's syntax and member types
 * (SerializationException); the request's shape (ValidationException, texts from {@link ValidationErrors} and
 * {@link PutRecordValidator}); the stream (ResourceNotFoundException); the values against the stream
 * (InvalidArgumentException); then the operation. Reads go to the {@link InMemoryKinesis}; writes go to
 * {@code writer}, which is the same backend or a decorator of it (faults, latency).
 */
public final class KinesisApi {

    public static final String SERVICE = "Kinesis_20131202";
    public static final List<String> OPERATIONS = List.of("CreateStream", "DeleteStream", "DescribeStream",
            "DescribeStreamSummary", "ListStreams", "ListShards", "PutRecord", "PutRecords", "GetShardIterator",
            "GetRecords");
    /** GetRecords answers at most this much data per call, as Kinesis does. */
    static final int GET_RECORDS_MAX_BYTES = 10 * 1_048_576;
    static final int GET_RECORDS_DEFAULT_LIMIT = 10_000;
    static final int DESCRIBE_STREAM_DEFAULT_LIMIT = 100;
    static final int LIST_STREAMS_DEFAULT_LIMIT = 100;
    static final int LIST_SHARDS_DEFAULT_LIMIT = 1000;
    /** Shards an on-demand stream starts with, as Kinesis gives it. */
    static final int ON_DEMAND_SHARDS = 4;
    /** Open shards all streams may have together unless told otherwise (CreateStream past it: LimitExceededException). */
    public static final int DEFAULT_ACCOUNT_SHARD_LIMIT = 10_000;
    static final String PROVISIONED = "PROVISIONED";
    static final String ON_DEMAND = "ON_DEMAND";

    private static final Logger LOG = LoggerFactory.getLogger(KinesisApi.class);
    private static final String PLAIN_JSON = "application/json";
    private static final String ACCESS_DENIED = "<AccessDeniedException>\n  <Message>Unable to determine service/operation "
            + "name to be authorized</Message>\n</AccessDeniedException>\n";
    private static final List<String> ITERATOR_TYPES =
            List.of("AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON");
    private static final List<String> STREAM_MODES = List.of(PROVISIONED, ON_DEMAND);
    private static final List<String> SHARD_FILTER_TYPES =
            List.of("AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP");
    private static final Set<String> OPERATION_SET = Set.copyOf(OPERATIONS);

    private final InMemoryKinesis store;
    private final KinesisBackend writer;
    private final Clock clock;
    private final ShardIterators iterators;
    private final int accountShardLimit;
    private final Map<String, String> streamModes = new ConcurrentHashMap<>();
    private final java.util.EnumMap<WireFormat, java.util.concurrent.atomic.LongAdder> requests = new java.util.EnumMap<>(WireFormat.class);

    /**
     * @param store             the streams: read and administered here
     * @param writer            where PutRecord and PutRecords go: {@code store} itself or a decorator around it
     * @param accountShardLimit open shards all streams may have together (CreateStream beyond it: LimitExceededException)
     */
    public KinesisApi(InMemoryKinesis store, KinesisBackend writer, Clock clock, ShardIterators iterators,
                      int accountShardLimit) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.iterators = iterators;
        this.accountShardLimit = accountShardLimit;
        for (WireFormat f : WireFormat.values()) {
            requests.put(f, new java.util.concurrent.atomic.LongAdder());
        }
    }

    /** Requests answered so far in this encoding (whatever the answer). */
    public long requests(WireFormat format) {
        return requests.get(format).sum();
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    @FunctionalInterface
    private interface Operation {
        CompletableFuture<Reply> run(WireFormat format, JsonParser p) throws IOException;
    }

    /** Answers one request; the future never fails (errors are answers too). */
    public CompletableFuture<Reply> handle(String contentTypeHeader, String targetHeader, byte[] body) {
        String target = targetHeader == null ? "" : targetHeader;
        int dot = target.indexOf('.');
        String service = dot < 0 ? target : target.substring(0, dot);
        String operation = dot < 0 ? "" : target.substring(dot + 1);
        boolean known = service.equals(SERVICE) && OPERATION_SET.contains(operation);
        String contentType = contentTypeHeader == null ? "" : contentTypeHeader.split(";", 2)[0].trim();
        Optional<WireFormat> format = WireFormat.of(contentType);
        boolean plainJson = contentType.equalsIgnoreCase(PLAIN_JSON);

        if (body.length == 0) {
            WireFormat f = format.orElse(WireFormat.CBOR) == WireFormat.JSON ? WireFormat.JSON : WireFormat.CBOR;
            return done(error(f, new KinesisError(known ? KinesisError.SERIALIZATION : KinesisError.UNKNOWN_OPERATION, "")));
        }
        if (format.isEmpty() && !plainJson) {
            if (service.isEmpty() || operation.isEmpty()) {
                return done(notPost());
            }
            return done(bare(404, "UnknownOperationException", "<UnknownOperationException/>\n"));
        }
        if (plainJson) {
            // what Kinesis answers a request that is not of its protocol but looks like JSON
            boolean object = isObject(WireFormat.JSON, body);
            String type = object ? "UnknownOperationException" : "SerializationException";
            return done(new Reply(object ? 404 : 400, Optional.of(PLAIN_JSON),
                    ("{\"Output\":{\"__type\":\"com.amazon.coral.service#" + type + "\"},\"Version\":\"1.0\"}")
                            .getBytes(StandardCharsets.UTF_8), Optional.of(type)));
        }
        WireFormat f = format.get();
        requests.get(f).increment();
        if (!known) {
            return done(error(f, new KinesisError(isObject(f, body)
                    ? KinesisError.UNKNOWN_OPERATION : KinesisError.SERIALIZATION, "")));
        }
        Operation op = switch (operation) {
            case "PutRecord" -> this::putRecord;
            case "PutRecords" -> this::putRecords;
            case "GetRecords" -> this::getRecords;
            case "GetShardIterator" -> this::getShardIterator;
            case "CreateStream" -> this::createStream;
            case "DeleteStream" -> this::deleteStream;
            case "DescribeStream" -> this::describeStream;
            case "DescribeStreamSummary" -> this::describeStreamSummary;
            case "ListStreams" -> this::listStreams;
            case "ListShards" -> this::listShards;
            default -> throw new IllegalStateException("operation listed but not served: " + operation);
        };
        try (JsonParser p = f.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return done(error(f, new KinesisError(KinesisError.SERIALIZATION, "")));
            }
            return op.run(f, p).exceptionally(e -> failure(f, operation, e));
        } catch (KinesisException e) {
            return done(error(f, e.error()));
        } catch (StreamReadException e) {
            return done(error(f, new KinesisError(KinesisError.SERIALIZATION, "")));
        } catch (IOException | RuntimeException e) {
            return done(failure(f, operation, e));
        }
    }

    // ---- PutRecord, PutRecords -------------------------------------------------------------------------------

    private CompletableFuture<Reply> putRecord(WireFormat f, JsonParser p) throws IOException {
        PutRequest request = PutRecordJson.read(p);
        Optional<StreamDescription> stream = stream(request.streamName());
        if (stream.isEmpty()) {
            int schemaLimit = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
            KinesisError e = PutRecordValidator.checkPutRecordSchema(request, schemaLimit)
                    .orElseGet(() -> notFound(request.streamName()));
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

    private CompletableFuture<Reply> putRecords(WireFormat f, JsonParser p) throws IOException {
        PutRecordJson.PutRecordsRequest request = PutRecordJson.readPutRecords(p);
        Optional<StreamDescription> stream = stream(request.streamName());
        if (stream.isEmpty()) {
            KinesisError e = PutRecordValidator.checkPutRecordsSchema(request.streamName(), request.records(),
                    PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES).orElseGet(() -> notFound(request.streamName()));
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

    private static void writeEntries(JsonGenerator g, PutRecordsResponse response) throws IOException {
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

    // ---- GetShardIterator, GetRecords ------------------------------------------------------------------------

    private CompletableFuture<Reply> getShardIterator(WireFormat f, JsonParser p) throws IOException {
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
        Optional<StreamSnapshot> snapshot = snapshot(streamName);
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

    private CompletableFuture<Reply> getRecords(WireFormat f, JsonParser p) throws IOException {
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
        Optional<StreamSnapshot> snapshot = snapshot(from.streamName());
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
    private static int recordsWithin(List<StreamRecord> records, long maxBytes) {
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            total += records.get(i).data().length;
            if (total > maxBytes) {
                return Math.max(1, i);
            }
        }
        return records.size();
    }

    private record ChildShard(StreamSnapshot.Shard shard, List<String> parents) {
    }

    /**
     * The shards that took over a closed shard's hash keys: those of the next generation (created by the
     * reshard that closed it) whose ranges overlap its range, each with its parents of that generation.
     */
    private static List<ChildShard> childrenOf(StreamSnapshot stream, String shardId) {
        Map<String, Integer> generation = new java.util.HashMap<>();
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

    private static boolean overlaps(ShardRange a, ShardRange b) {
        return a.startingHashKey().compareTo(b.endingHashKey()) <= 0 && b.startingHashKey().compareTo(a.endingHashKey()) <= 0;
    }

    // ---- CreateStream, DeleteStream ----------------------------------------------------------------------------

    private CompletableFuture<Reply> createStream(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        Integer shardCount = null;
        String mode = null;
        boolean modeGiven = false;
        Integer maxRecordSizeKiB = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "StreamName" -> streamName = PutRecordJson.stringValue(p, t);
                case "ShardCount" -> shardCount = PutRecordJson.integerValue(p, t);
                case "MaxRecordSizeInKiB" -> maxRecordSizeKiB = PutRecordJson.integerValue(p, t);
                case "StreamModeDetails" -> {
                    if (PutRecordJson.structureStart(t)) {
                        modeGiven = true;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken it = p.nextToken();
                            if (inner.equals("StreamMode")) {
                                mode = PutRecordJson.stringValue(p, it);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        boolean onDemand = ON_DEMAND.equals(mode);
        ValidationErrors v = new ValidationErrors();
        v.integer("shardCount", shardCount, !onDemand, 1, 100_000);
        PutRecordValidator.checkStreamName(v, streamName);
        if (modeGiven) {
            v.oneOf("streamModeDetails.streamMode", mode, true, STREAM_MODES);
        }
        v.integer("maxRecordSizeInKiB", maxRecordSizeKiB, false, PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES / 1024,
                PutRecordValidator.LARGEST_MAX_RECORD_SIZE_BYTES / 1024);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        int shards = onDemand ? ON_DEMAND_SHARDS : shardCount;
        int maxRecordSize = maxRecordSizeKiB == null ? PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES : maxRecordSizeKiB * 1024;
        synchronized (streamModes) {
            if (!store.hasStream(streamName)) {
                int open = openShardCount();
                if (open + shards > accountShardLimit) {
                    return done(error(f, new KinesisError(KinesisError.LIMIT_EXCEEDED,
                            "This request would exceed the shard limit for the account " + store.settings().accountId()
                                    + " in " + store.settings().region() + ". Current shard count for the account: " + open
                                    + ". Limit: " + accountShardLimit + ". Number of additional shards that would have "
                                    + "resulted from this request: " + shards + ". Refer to the AWS Service Limits page "
                                    + "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current "
                                    + "limits and how to request higher limits.")));
                }
            }
            store.createStream(streamName, shards, maxRecordSize);
            streamModes.put(streamName, onDemand ? ON_DEMAND : PROVISIONED);
        }
        return done(Reply.ok(f, new byte[0]));
    }

    private int openShardCount() {
        int open = 0;
        for (String name : store.streamNames()) {
            open += snapshot(name).map(s -> s.openShards().size()).orElse(0);
        }
        return open;
    }

    private CompletableFuture<Reply> deleteStream(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "StreamName" -> streamName = PutRecordJson.stringValue(p, t);
                case "EnforceConsumerDeletion" -> PutRecordJson.booleanValue(p, t); // no consumers here: nothing to enforce
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        PutRecordValidator.checkStreamName(v, streamName);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        synchronized (streamModes) {
            store.deleteStream(streamName);
            streamModes.remove(streamName);
        }
        return done(Reply.ok(f, new byte[0]));
    }

    // ---- DescribeStream, DescribeStreamSummary, ListStreams, ListShards -----------------------------------------

    private CompletableFuture<Reply> describeStream(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        Integer limit = null;
        String exclusiveStart = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "StreamName" -> streamName = PutRecordJson.stringValue(p, t);
                case "Limit" -> limit = PutRecordJson.integerValue(p, t);
                case "ExclusiveStartShardId" -> exclusiveStart = PutRecordJson.stringValue(p, t);
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        v.integer("limit", limit, false, 1, 10_000);
        PutRecordValidator.checkStreamName(v, "exclusiveStartShardId", exclusiveStart, false);
        PutRecordValidator.checkStreamName(v, streamName);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        StreamSnapshot s = store.describe(streamName);
        int max = Math.min(limit == null ? DESCRIBE_STREAM_DEFAULT_LIMIT : limit, DESCRIBE_STREAM_DEFAULT_LIMIT);
        List<StreamSnapshot.Shard> after = shardsAfter(s.shards(), exclusiveStart);
        List<StreamSnapshot.Shard> page = after.subList(0, Math.min(max, after.size()));
        boolean more = after.size() > page.size();
        String mode = modeOf(s.streamName());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("StreamDescription");
            g.writeStringField("StreamName", s.streamName());
            g.writeStringField("StreamARN", s.streamArn());
            g.writeStringField("StreamStatus", s.status());
            writeStreamMode(g, mode);
            g.writeArrayFieldStart("Shards");
            for (StreamSnapshot.Shard shard : page) {
                writeShard(g, shard);
            }
            g.writeEndArray();
            g.writeBooleanField("HasMoreShards", more);
            g.writeNumberField("RetentionPeriodHours", 24);
            PutRecordJson.writeTimestampField(g, "StreamCreationTimestamp", s.created().toEpochMilli());
            writeEnhancedMonitoring(g);
            g.writeStringField("EncryptionType", "NONE");
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    private CompletableFuture<Reply> describeStreamSummary(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("StreamName")) {
                streamName = PutRecordJson.stringValue(p, t);
            } else {
                p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        PutRecordValidator.checkStreamName(v, streamName);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        StreamSnapshot s = store.describe(streamName);
        String mode = modeOf(s.streamName());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("StreamDescriptionSummary");
            g.writeStringField("StreamName", s.streamName());
            g.writeStringField("StreamARN", s.streamArn());
            g.writeStringField("StreamStatus", s.status());
            writeStreamMode(g, mode);
            g.writeNumberField("RetentionPeriodHours", 24);
            PutRecordJson.writeTimestampField(g, "StreamCreationTimestamp", s.created().toEpochMilli());
            writeEnhancedMonitoring(g);
            g.writeStringField("EncryptionType", "NONE");
            g.writeNumberField("OpenShardCount", s.openShards().size());
            g.writeNumberField("ConsumerCount", 0);
            g.writeNumberField("MaxRecordSizeInKiB", s.maxRecordSizeBytes() / 1024);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    private CompletableFuture<Reply> listStreams(WireFormat f, JsonParser p) throws IOException {
        Integer limit = null;
        String exclusiveStart = null;
        String nextToken = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "Limit" -> limit = PutRecordJson.integerValue(p, t);
                case "ExclusiveStartStreamName" -> exclusiveStart = PutRecordJson.stringValue(p, t);
                case "NextToken" -> nextToken = PutRecordJson.stringValue(p, t);
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        v.integer("limit", limit, false, 1, 10_000);
        PutRecordValidator.checkStreamName(v, "exclusiveStartStreamName", exclusiveStart, false);
        v.string("nextToken", nextToken, false, null, true, 1, 1_048_576);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        String after = nextToken != null ? PageTokens.lastStreamOf(nextToken) : exclusiveStart;
        int max = Math.min(limit == null ? LIST_STREAMS_DEFAULT_LIMIT : limit, LIST_STREAMS_DEFAULT_LIMIT);
        List<StreamSnapshot> page = new ArrayList<>();
        boolean more = false;
        for (String name : store.streamNames()) {
            if (after != null && name.compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            snapshot(name).ifPresent(page::add);
        }
        boolean hasMore = more;
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("StreamNames");
            for (StreamSnapshot s : page) {
                g.writeString(s.streamName());
            }
            g.writeEndArray();
            g.writeBooleanField("HasMoreStreams", hasMore);
            if (hasMore) {
                g.writeStringField("NextToken", PageTokens.streams(page.get(page.size() - 1).streamName()));
            }
            g.writeArrayFieldStart("StreamSummaries");
            for (StreamSnapshot s : page) {
                g.writeStartObject();
                g.writeStringField("StreamName", s.streamName());
                g.writeStringField("StreamARN", s.streamArn());
                g.writeStringField("StreamStatus", s.status());
                writeStreamMode(g, modeOf(s.streamName()));
                PutRecordJson.writeTimestampField(g, "StreamCreationTimestamp", s.created().toEpochMilli());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private CompletableFuture<Reply> listShards(WireFormat f, JsonParser p) throws IOException {
        String streamName = null;
        String nextToken = null;
        String exclusiveStart = null;
        Integer maxResults = null;
        String filterType = null;
        String filterShardId = null;
        Instant filterTimestamp = null;
        boolean filterGiven = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "StreamName" -> streamName = PutRecordJson.stringValue(p, t);
                case "NextToken" -> nextToken = PutRecordJson.stringValue(p, t);
                case "ExclusiveStartShardId" -> exclusiveStart = PutRecordJson.stringValue(p, t);
                case "MaxResults" -> maxResults = PutRecordJson.integerValue(p, t);
                case "StreamCreationTimestamp" -> PutRecordJson.timestampValue(p, t);
                case "ShardFilter" -> {
                    if (PutRecordJson.structureStart(t)) {
                        filterGiven = true;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken it = p.nextToken();
                            switch (inner) {
                                case "Type" -> filterType = PutRecordJson.stringValue(p, it);
                                case "ShardId" -> filterShardId = PutRecordJson.stringValue(p, it);
                                case "Timestamp" -> filterTimestamp = PutRecordJson.timestampValue(p, it);
                                default -> p.skipChildren();
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        ValidationErrors v = new ValidationErrors();
        PutRecordValidator.checkStreamName(v, "exclusiveStartShardId", exclusiveStart, false);
        v.integer("maxResults", maxResults, false, 1, 10_000);
        v.string("nextToken", nextToken, false, null, true, 1, 1_048_576);
        if (filterGiven) {
            v.oneOf("shardFilter.type", filterType, true, SHARD_FILTER_TYPES);
            PutRecordValidator.checkStreamName(v, "shardFilter.shardId", filterShardId, false);
        }
        PutRecordValidator.checkStreamName(v, "streamName", streamName, false);
        Optional<KinesisError> invalid = v.toError();
        if (invalid.isPresent()) {
            return done(error(f, invalid.get()));
        }
        if (streamName == null && nextToken == null) {
            return done(error(f, invalidArgument("Either NextToken or StreamName should be provided.")));
        }
        if (streamName != null && nextToken != null) {
            return done(error(f, invalidArgument("NextToken and StreamName cannot be provided together.")));
        }
        String after = exclusiveStart;
        String name = streamName;
        Optional<Long> tokenCreated = Optional.empty();
        if (nextToken != null) {
            PageTokens.ShardPage page = PageTokens.shards(nextToken);
            name = page.streamName();
            after = page.lastShardId();
            tokenCreated = Optional.of(page.streamCreatedMillis());
        }
        StreamSnapshot s = store.describe(name);
        if (tokenCreated.isPresent() && tokenCreated.get() != s.created().toEpochMilli()) {
            return done(error(f, notFound(name)));
        }
        if ("AFTER_SHARD_ID".equals(filterType)) {
            if (filterShardId == null) {
                return done(error(f, invalidArgument("Must specify ShardId when the ShardFilter type is AFTER_SHARD_ID.")));
            }
            after = after == null || filterShardId.compareTo(after) > 0 ? filterShardId : after;
        }
        if (("AT_TIMESTAMP".equals(filterType) || "FROM_TIMESTAMP".equals(filterType)) && filterTimestamp == null) {
            return done(error(f, invalidArgument("Must specify Timestamp when the ShardFilter type is " + filterType + ".")));
        }
        List<StreamSnapshot.Shard> candidates = shardsAfter(s.shards(), after);
        if ("AT_LATEST".equals(filterType)) {
            candidates = candidates.stream().filter(StreamSnapshot.Shard::open).toList();
        }
        int max = maxResults == null ? LIST_SHARDS_DEFAULT_LIMIT : maxResults;
        List<StreamSnapshot.Shard> page = candidates.subList(0, Math.min(max, candidates.size()));
        Optional<String> next = candidates.size() > page.size()
                ? Optional.of(PageTokens.shards(s.streamName(), s.created().toEpochMilli(), page.get(page.size() - 1).shardId()))
                : Optional.empty();
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("Shards");
            for (StreamSnapshot.Shard shard : page) {
                writeShard(g, shard);
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("NextToken", next.get());
            }
            g.writeEndObject();
        }));
    }

    private static List<StreamSnapshot.Shard> shardsAfter(List<StreamSnapshot.Shard> shards, String exclusiveStart) {
        if (exclusiveStart == null) {
            return shards;
        }
        return shards.stream().filter(s -> s.shardId().compareTo(exclusiveStart) > 0).toList();
    }

    private static void writeShard(JsonGenerator g, StreamSnapshot.Shard shard) throws IOException {
        g.writeStartObject();
        g.writeStringField("ShardId", shard.shardId());
        if (shard.parentShardId().isPresent()) {
            g.writeStringField("ParentShardId", shard.parentShardId().get());
        }
        writeHashKeyRange(g, shard.range());
        g.writeObjectFieldStart("SequenceNumberRange");
        g.writeStringField("StartingSequenceNumber", shard.startingSequenceNumber());
        if (shard.endingSequenceNumber().isPresent()) {
            g.writeStringField("EndingSequenceNumber", shard.endingSequenceNumber().get());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeHashKeyRange(JsonGenerator g, ShardRange range) throws IOException {
        g.writeObjectFieldStart("HashKeyRange");
        g.writeStringField("StartingHashKey", range.startingHashKey().toString());
        g.writeStringField("EndingHashKey", range.endingHashKey().toString());
        g.writeEndObject();
    }

    private static void writeStreamMode(JsonGenerator g, String mode) throws IOException {
        g.writeObjectFieldStart("StreamModeDetails");
        g.writeStringField("StreamMode", mode);
        g.writeEndObject();
    }

    private static void writeEnhancedMonitoring(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("EnhancedMonitoring");
        g.writeStartObject();
        g.writeArrayFieldStart("ShardLevelMetrics");
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
    }

    private String modeOf(String streamName) {
        return streamModes.getOrDefault(streamName, PROVISIONED);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

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

    private Optional<StreamDescription> stream(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describeStream(name).join());
        } catch (CompletionException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    private Optional<StreamSnapshot> snapshot(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describe(name));
        } catch (KinesisException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    private KinesisError notFound(String streamName) {
        return KinesisError.resourceNotFound(streamName, store.settings().accountId());
    }

    private KinesisError shardNotFound(String shardId, String streamName) {
        return new KinesisError(KinesisError.RESOURCE_NOT_FOUND, "Shard " + shardId + " in stream " + streamName
                + " under account " + store.settings().accountId() + " does not exist");
    }

    private static KinesisError invalidArgument(String message) {
        return new KinesisError(KinesisError.INVALID_ARGUMENT, message);
    }

    private static boolean isObject(WireFormat f, byte[] body) {
        try (JsonParser p = f.factory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Reply failure(WireFormat f, String operation, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof KinesisException k) {
            return error(f, k.error());
        }
        LOG.warn("Kinesis endpoint: {} failed", operation, cause);
        return error(f, new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure."));
    }

    /**
     * An error body as Kinesis writes it: {@code __type} and the message; SerializationException carries its text
     * in {@code Message} (as the AWS service framework writes it), every other error in {@code message}.
     */
    static Reply error(WireFormat f, KinesisError error) {
        byte[] body = bytes(f, g -> {
            g.writeStartObject();
            g.writeStringField("__type", error.code());
            if (!error.message().isEmpty()) {
                g.writeStringField(error.code().equals(KinesisError.SERIALIZATION) ? "Message" : "message", error.message());
            }
            g.writeEndObject();
        });
        return new Reply(error.httpStatus(), Optional.of(f.contentType()), body, Optional.of(error.code()));
    }

    /** What Kinesis answers a request that is not a POST. */
    static Reply notPost() {
        return bare(403, "AccessDeniedException", ACCESS_DENIED);
    }

    private static Reply bare(int status, String type, String body) {
        return new Reply(status, Optional.empty(), body.getBytes(StandardCharsets.UTF_8), Optional.of(type));
    }

    private static Reply reply(WireFormat f, Body body) {
        return Reply.ok(f, bytes(f, body));
    }

    private static byte[] bytes(WireFormat f, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = f.factory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
