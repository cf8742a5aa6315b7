package io.kinesisbridge.server.operations;

import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.server.ProtocolValues;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeEnhancedMonitoring;
import static io.kinesisbridge.server.Replies.writeShard;
import static io.kinesisbridge.server.Replies.writeStreamMode;

/** DescribeStream: the stream and one page of its shards. */
final class DescribeStream implements Operation {

    static final int DEFAULT_LIMIT = 100;

    private static final RequestShape REQUEST = RequestShape.of(
            Member.integer("Limit").range(1, 10_000),
            NameMembers.name("ExclusiveStartShardId"),
            NameMembers.streamName());

    private final OperationContext context;

    DescribeStream(OperationContext context) {
        this.context = context;
    }

    @Override
    public RequestShape request() {
        return REQUEST;
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
            ProtocolValues.writeTimestampField(g, "StreamCreationTimestamp", s.created().toEpochMilli());
            writeEnhancedMonitoring(g);
            g.writeStringField("EncryptionType", "NONE");
            g.writeEndObject();
            g.writeEndObject();
        }));
    }
}
