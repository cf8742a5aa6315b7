package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.reply;

import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** PutRecord: one record through the writer, checked as the kinesis-put component checks it. */
final class PutRecord extends Operation {

    private static final RequestShape REQUEST = RequestShape.of(RecordMembers.declared());

    PutRecord(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        PutRequest request = RecordMembers.toRequest(r);
        Optional<StreamDescription> stream = context.describeForPut(request.streamName());
        if (stream.isEmpty()) {
            int schemaLimit = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
            KinesisError e = PutRecordValidator.checkPutRecordSchema(request, schemaLimit)
                    .orElseGet(() -> context.notFound(request.streamName()));
            return done(error(f, e));
        }
        PutRecordCommand command =
                PutRecordValidator.validate(request, stream.get().maxRecordSizeBytes());
        return context.writer
                .putRecord(command)
                .thenApply(accepted -> reply(f, g -> {
                    g.writeStartObject();
                    g.writeStringField("ShardId", accepted.shardId());
                    g.writeStringField("SequenceNumber", accepted.sequenceNumber());
                    g.writeStringField("EncryptionType", accepted.encryptionType());
                    g.writeEndObject();
                }));
    }
}
