package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.reply;

import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.server.ProtocolValues;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** ListStreams: one page of the stream names, in name order, with their summaries. */
final class ListStreams extends Operation {

    static final int DEFAULT_LIMIT = 100;

    private static final RequestShape REQUEST = RequestShape.of(
            Member.integer("Limit").range(1, 10_000),
            NameMembers.name("ExclusiveStartStreamName"),
            Member.string("NextToken").length(1, 1_048_576));

    ListStreams(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        Integer limit = r.integer("Limit");
        String nextToken = r.string("NextToken");
        String after = nextToken != null ? PageTokens.lastStreamOf(nextToken) : r.string("ExclusiveStartStreamName");
        int max = Math.min(limit == null ? DEFAULT_LIMIT : limit, DEFAULT_LIMIT);
        List<StreamSnapshot> page = new ArrayList<>();
        boolean more = false;
        for (String name : context.store.streamNames()) {
            if (after != null && name.compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            context.snapshot(name).ifPresent(page::add);
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
                g.writeStringField(
                        "NextToken",
                        PageTokens.streams(page.get(page.size() - 1).streamName()));
            }
            g.writeArrayFieldStart("StreamSummaries");
            for (StreamSnapshot s : page) {
                g.writeStartObject();
                DescribeStream.writeIdentity(g, s, context.modeOf(s.streamName()));
                ProtocolValues.writeTimestampField(
                        g, "StreamCreationTimestamp", s.created().toEpochMilli());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }
}
