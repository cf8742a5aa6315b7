package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeEnhancedMonitoring;
import static io.kinesisbridge.server.Replies.writeShard;
import static io.kinesisbridge.server.Replies.writeStreamMode;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.server.ProtocolValues;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** DescribeStream: the stream and one page of its shards. */
final class DescribeStream extends Operation {

    static final int DEFAULT_LIMIT = 100;

    private static final RequestShape REQUEST = RequestShape.of(
            Member.integer("Limit").range(1, 10_000),
            NameMembers.name("ExclusiveStartShardId"),
            NameMembers.streamName());

    DescribeStream(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        Integer limit = r.integer("Limit");
        StreamSnapshot s = context.store.describe(r.string("StreamName"));
        int max = Math.min(limit == null ? DEFAULT_LIMIT : limit, DEFAULT_LIMIT);
        List<StreamSnapshot.Shard> after = OperationContext.shardsAfter(s.shards(), r.string("ExclusiveStartShardId"));
        List<StreamSnapshot.Shard> page = after.subList(0, Math.min(max, after.size()));
        boolean more = after.size() > page.size();
        String mode = context.modeOf(s.streamName());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("StreamDescription");
            writeIdentity(g, s, mode);
            g.writeArrayFieldStart("Shards");
            for (StreamSnapshot.Shard shard : page) {
                writeShard(g, shard);
            }
            g.writeEndArray();
            g.writeBooleanField("HasMoreShards", more);
            writeSettings(g, s);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    /** The members that name a stream, in DescribeStream, DescribeStreamSummary and ListStreams' summaries. */
    static void writeIdentity(JsonGenerator g, StreamSnapshot s, String mode) throws IOException {
        g.writeStringField("StreamName", s.streamName());
        g.writeStringField("StreamARN", s.streamArn());
        g.writeStringField("StreamStatus", s.status());
        writeStreamMode(g, mode);
    }

    /** Retention, creation time, monitoring and encryption, as DescribeStream and DescribeStreamSummary give them. */
    static void writeSettings(JsonGenerator g, StreamSnapshot s) throws IOException {
        g.writeNumberField("RetentionPeriodHours", 24);
        ProtocolValues.writeTimestampField(
                g, "StreamCreationTimestamp", s.created().toEpochMilli());
        writeEnhancedMonitoring(g);
        g.writeStringField("EncryptionType", "NONE");
    }
}
