package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.reply;

import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.concurrent.CompletableFuture;

/** DescribeStreamSummary: the stream without its shards. */
final class DescribeStreamSummary extends Operation {

    private static final RequestShape REQUEST = RequestShape.of(NameMembers.streamName());

    DescribeStreamSummary(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        StreamSnapshot s = context.store.describe(r.string("StreamName"));
        String mode = context.modeOf(s.streamName());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("StreamDescriptionSummary");
            DescribeStream.writeIdentity(g, s, mode);
            DescribeStream.writeSettings(g, s);
            g.writeNumberField("OpenShardCount", s.openShards().size());
            g.writeNumberField("ConsumerCount", 0);
            g.writeNumberField("MaxRecordSizeInKiB", s.maxRecordSizeBytes() / 1024);
            g.writeEndObject();
            g.writeEndObject();
        }));
    }
}
