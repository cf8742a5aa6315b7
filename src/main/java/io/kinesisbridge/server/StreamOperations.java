package io.kinesisbridge.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.ValidationErrors;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.invalidArgument;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeEnhancedMonitoring;
import static io.kinesisbridge.server.Replies.writeShard;
import static io.kinesisbridge.server.Replies.writeStreamMode;

/**
 * The stream operations of the endpoint: CreateStream, DeleteStream, DescribeStream, DescribeStreamSummary,
 * ListStreams, ListShards, with AWS's validation, paging and shapes. Each method reads the request's members from
 * a parser on the body's START_OBJECT and answers; type errors are thrown as SerializationExceptions.
 */
final class StreamOperations {

    static final int DESCRIBE_STREAM_DEFAULT_LIMIT = 100;
    static final int LIST_STREAMS_DEFAULT_LIMIT = 100;
    static final int LIST_SHARDS_DEFAULT_LIMIT = 1000;
    /** Shards an on-demand stream starts with, as Kinesis gives it. */
    static final int ON_DEMAND_SHARDS = 4;
    static final String PROVISIONED = "PROVISIONED";
    static final String ON_DEMAND = "ON_DEMAND";
    private static final List<String> STREAM_MODES = List.of(PROVISIONED, ON_DEMAND);
    private static final List<String> SHARD_FILTER_TYPES =
            List.of("AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP");

    private final InMemoryKinesis store;
    private final Map<String, String> streamModes = new ConcurrentHashMap<>();

    StreamOperations(InMemoryKinesis store) {
        this.store = store;
    }

    CompletableFuture<Reply> createStream(WireFormat f, JsonParser p) throws IOException {
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
            store.createStream(streamName, shards, maxRecordSize, store.settings().createDelay());
            streamModes.put(streamName, onDemand ? ON_DEMAND : PROVISIONED);
        }
        return done(Reply.ok(f, new byte[0]));
    }

    CompletableFuture<Reply> deleteStream(WireFormat f, JsonParser p) throws IOException {
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
            store.deleteStream(streamName, store.settings().deleteDelay());
            streamModes.remove(streamName);
        }
        return done(Reply.ok(f, new byte[0]));
    }

    CompletableFuture<Reply> describeStream(WireFormat f, JsonParser p) throws IOException {
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

    CompletableFuture<Reply> describeStreamSummary(WireFormat f, JsonParser p) throws IOException {
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

    CompletableFuture<Reply> listStreams(WireFormat f, JsonParser p) throws IOException {
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

    CompletableFuture<Reply> listShards(WireFormat f, JsonParser p) throws IOException {
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
        if (!s.status().equals(StreamSnapshot.ACTIVE)) {
            return done(error(f, new KinesisError(KinesisError.RESOURCE_IN_USE, "Stream " + name + " under account "
                    + store.settings().accountId() + " not ACTIVE or UPDATING, instead in state " + s.status())));
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

    static List<StreamSnapshot.Shard> shardsAfter(List<StreamSnapshot.Shard> shards, String exclusiveStart) {
        if (exclusiveStart == null) {
            return shards;
        }
        return shards.stream().filter(s -> s.shardId().compareTo(exclusiveStart) > 0).toList();
    }

    String modeOf(String streamName) {
        return streamModes.getOrDefault(streamName, PROVISIONED);
    }

    Optional<StreamSnapshot> snapshot(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describe(name));
        } catch (KinesisException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    KinesisError notFound(String streamName) {
        return KinesisError.resourceNotFound(streamName, store.settings().accountId());
    }
}
