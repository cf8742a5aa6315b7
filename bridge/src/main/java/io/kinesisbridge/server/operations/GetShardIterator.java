package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.invalidArgument;
import static io.kinesisbridge.server.Replies.reply;

import io.kinesisbridge.backend.memory.IteratorType;
import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.WireFormat;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** GetShardIterator: a position in a shard, by type, sequence number or time, as an opaque iterator. */
final class GetShardIterator extends Operation {

    private static final RequestShape REQUEST = RequestShape.of(
            NameMembers.name("ShardId").required(),
            Member.string("ShardIteratorType")
                    .required()
                    .oneOf(List.of(
                            "AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON")),
            Member.string("StartingSequenceNumber").pattern("0|([1-9]\\d{0,128})"),
            NameMembers.streamName(),
            Member.timestamp("Timestamp"));

    GetShardIterator(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        String streamName = r.string("StreamName");
        String shardId = r.string("ShardId");
        String type = r.string("ShardIteratorType");
        String sequence = r.string("StartingSequenceNumber");
        Instant timestamp = r.timestamp("Timestamp");
        Optional<String> resolved = resolveShardId(shardId);
        if (resolved.isEmpty()) {
            return done(error(
                    f,
                    new KinesisError(
                            KinesisError.RESOURCE_NOT_FOUND,
                            "Could not find shard " + shardId + " in stream " + streamName + " under account "
                                    + context.accountId() + ".")));
        }
        String shard = resolved.get();
        Optional<StreamSnapshot> snapshot = context.snapshot(streamName);
        if (snapshot.isEmpty()
                || snapshot.get().shards().stream().noneMatch(s -> s.shardId().equals(shard))) {
            return done(error(f, context.shardNotFound(shard, streamName)));
        }
        IteratorType iteratorType = IteratorType.valueOf(type);
        boolean bySequence =
                iteratorType == IteratorType.AT_SEQUENCE_NUMBER || iteratorType == IteratorType.AFTER_SEQUENCE_NUMBER;
        if (sequence != null && (iteratorType == IteratorType.TRIM_HORIZON || iteratorType == IteratorType.LATEST)) {
            return done(error(
                    f,
                    invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                            + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                            + type + " and also a StartingSequenceNumber.")));
        }
        if (bySequence && sequence == null) {
            return done(error(
                    f,
                    invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                            + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
                            + type + " and no StartingSequenceNumber.")));
        }
        if (iteratorType == IteratorType.AT_TIMESTAMP) {
            if (timestamp == null) {
                return done(error(
                        f,
                        invalidArgument("Must specify timestampInMillis parameter for iterator of type "
                                + "AT_TIMESTAMP. Current request has no timestamp parameter.")));
            }
            long now = context.clock.millis();
            if (timestamp.toEpochMilli() > now) {
                return done(error(
                        f,
                        invalidArgument("The timestampInMillis parameter cannot be greater than the "
                                + "currentTimestampInMillis. timestampInMillis: " + timestamp.toEpochMilli()
                                + ", currentTimestampInMillis: " + now)));
            }
        }
        ShardPosition position = context.store.iterator(streamName, shard, iteratorType, sequence, timestamp);
        String iterator =
                context.iterators.encode(position, snapshot.get().created().toEpochMilli());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeStringField("ShardIterator", iterator);
            g.writeEndObject();
        }));
    }

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
}
