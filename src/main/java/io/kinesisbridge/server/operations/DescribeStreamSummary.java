package io.kinesisbridge.server.operations;

import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.server.ProtocolValues;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;

import java.util.concurrent.CompletableFuture;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeEnhancedMonitoring;
import static io.kinesisbridge.server.Replies.writeStreamMode;

/** DescribeStreamSummary: the stream without its shards. */
final class DescribeStreamSummary implements Operation {

    private static final RequestShape REQUEST = RequestShape.of(NameMembers.streamName());

    private final OperationContext context;

    DescribeStreamSummary(OperationContext context) {
        this.context = context;
    }

    @Override
    public RequestShape request() {
        return REQUEST;
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        StreamSnapshot s = context.store.describe(r.string("StreamName"));
        String mode = context.modeOf(s.streamName());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("StreamDescriptionSummary");
            g.writeStringField("StreamName", s.streamName());
            g.writeStringField("StreamARN", s.streamArn());
            g.writeStringField("StreamStatus", s.status());
            writeStreamMode(g, mode);
            g.writeNumberField("RetentionPeriodHours", 24);
            ProtocolValues.writeTimestampField(g, "StreamCreationTimestamp", s.created().toEpochMilli());
            writeEnhancedMonitoring(g);
            g.writeStringField("EncryptionType", "NONE");
            g.writeNumberField("OpenShardCount", s.openShards().size());
            g.writeNumberField("ConsumerCount", 0);
            g.writeNumberField("MaxRecordSizeInKiB", s.maxRecordSizeBytes() / 1024);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }
}
