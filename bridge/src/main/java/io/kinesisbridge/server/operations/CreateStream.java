package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.operations.OperationContext.ON_DEMAND;
import static io.kinesisbridge.server.operations.OperationContext.PROVISIONED;

import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** CreateStream: a provisioned stream of ShardCount shards, or an on-demand one of the shards Kinesis starts it with. */
final class CreateStream extends Operation {

    /** Shards an on-demand stream starts with, as Kinesis gives it. */
    static final int ON_DEMAND_SHARDS = 4;

    private static final RequestShape REQUEST = RequestShape.of(
            Member.integer("ShardCount").range(1, 100_000).requiredWhen(r -> !onDemand(r)),
            NameMembers.streamName(),
            Member.structure(
                    "StreamModeDetails", Member.string("StreamMode").required().oneOf(List.of(PROVISIONED, ON_DEMAND))),
            Member.integer("MaxRecordSizeInKiB")
                    .range(
                            PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES / 1024,
                            PutRecordValidator.LARGEST_MAX_RECORD_SIZE_BYTES / 1024));

    CreateStream(OperationContext context) {
        super(context, REQUEST);
    }

    private static boolean onDemand(RequestValues r) {
        RequestValues details = r.structure("StreamModeDetails");
        return details != null && ON_DEMAND.equals(details.string("StreamMode"));
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        String streamName = r.string("StreamName");
        boolean onDemand = onDemand(r);
        Integer maxRecordSizeKiB = r.integer("MaxRecordSizeInKiB");
        int shards = onDemand ? ON_DEMAND_SHARDS : r.integer("ShardCount");
        int maxRecordSize =
                maxRecordSizeKiB == null ? PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES : maxRecordSizeKiB * 1024;
        synchronized (context.streamModes) {
            context.store.createStream(
                    streamName, shards, maxRecordSize, context.store.settings().createDelay());
            context.streamModes.put(streamName, onDemand ? ON_DEMAND : PROVISIONED);
        }
        return done(Reply.ok(f, new byte[0]));
    }
}
