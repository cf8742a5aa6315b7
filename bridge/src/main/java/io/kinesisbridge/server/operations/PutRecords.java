package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.reply;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** PutRecords: up to 500 records through the writer, each answered on its own, checked as the kinesis-put component checks them. */
public final class PutRecords extends Operation {

    private static final String RECORDS = "Records";
    private static final RequestShape REQUEST =
            RequestShape.of(Member.string(PutRecordJson.STREAM_NAME), Member.listOf(RECORDS, RecordMembers.declared()));

    PutRecords(OperationContext context) {
        super(context, REQUEST);
    }

    /** A PutRecords request as it arrived: either member may be absent ({@code null}), entries too. */
    public record Input(String streamName, List<PutRequest> records) {}

    /** Reads a PutRecords request from the object whose START_OBJECT the parser is on. */
    public static Input read(JsonParser p) throws IOException {
        return input(REQUEST.read(p));
    }

    private static Input input(RequestValues r) {
        List<RequestValues> entries = r.list(RECORDS);
        List<PutRequest> records = null;
        if (entries != null) {
            records = new ArrayList<>(entries.size());
            for (RequestValues entry : entries) {
                records.add(RecordMembers.toRequest(entry));
            }
        }
        return new Input(r.string(PutRecordJson.STREAM_NAME), records);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        Input request = input(r);
        Optional<StreamDescription> stream = context.describeForPut(request.streamName());
        if (stream.isEmpty()) {
            KinesisError e = PutRecordValidator.checkPutRecordsSchema(
                            request.streamName(), request.records(), PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES)
                    .orElseGet(() -> context.notFound(request.streamName()));
            return done(error(f, e));
        }
        List<PutRecordCommand> commands = PutRecordValidator.validatePutRecords(
                request.streamName(), request.records(), stream.get().maxRecordSizeBytes());
        return context.writer
                .putRecords(request.streamName(), commands)
                .thenApply(response -> reply(f, g -> {
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
}
