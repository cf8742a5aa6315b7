package io.kinesisbridge.server.operations;

import static io.kinesisbridge.server.Replies.done;
import static io.kinesisbridge.server.Replies.error;
import static io.kinesisbridge.server.Replies.reply;
import static io.kinesisbridge.server.Replies.writeHashKeyRange;

import io.kinesisbridge.backend.memory.ReadResult;
import io.kinesisbridge.backend.memory.ShardPosition;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.server.ProtocolValues;
import io.kinesisbridge.server.Reply;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.server.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** GetRecords: records from an iterator's position, the next iterator, and a closed shard's children at its end. */
final class GetRecords extends Operation {

    /** GetRecords answers at most this much data per call, as Kinesis does. */
    static final int MAX_BYTES = 10 * 1_048_576;

    static final int DEFAULT_LIMIT = 10_000;

    private static final RequestShape REQUEST = RequestShape.of(
            Member.integer("Limit").range(1, 10_000),
            Member.string("ShardIterator").required().length(1, 512));

    GetRecords(OperationContext context) {
        super(context, REQUEST);
    }

    @Override
    public CompletableFuture<Reply> answer(WireFormat f, RequestValues r) {
        Integer limit = r.integer("Limit");
        ShardIterators.Decoded decoded = context.iterators.decode(r.string("ShardIterator"));
        ShardPosition from = decoded.position();
        Optional<StreamSnapshot> snapshot = context.snapshot(from.streamName());
        if (snapshot.isEmpty() || snapshot.get().created().toEpochMilli() != decoded.streamCreatedMillis()) {
            return done(error(f, context.shardNotFound(from.shardId(), from.streamName())));
        }
        ReadResult read = context.store.read(from, limit == null ? DEFAULT_LIMIT : limit);
        int fitting = recordsWithin(read.records(), MAX_BYTES);
        if (fitting < read.records().size()) {
            read = context.store.read(from, fitting);
        }
        ReadResult result = read;
        Optional<String> next = result.next().map(n -> context.iterators.encode(n, decoded.streamCreatedMillis()));
        List<ChildShard> children = next.isPresent() ? List.of() : childrenOf(snapshot.get(), from.shardId());
        return done(reply(f, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (StreamRecord record : result.records()) {
                g.writeStartObject();
                g.writeStringField("SequenceNumber", record.sequenceNumber());
                ProtocolValues.writeTimestampField(g, "ApproximateArrivalTimestamp", record.approximateArrivalMillis());
                g.writeBinaryField("Data", record.data());
                g.writeStringField("PartitionKey", record.partitionKey());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (next.isPresent()) {
                g.writeStringField("NextShardIterator", next.get());
            }
            g.writeNumberField("MillisBehindLatest", result.millisBehindLatest());
            if (next.isEmpty()) {
                g.writeArrayFieldStart("ChildShards");
                for (ChildShard c : children) {
                    g.writeStartObject();
                    g.writeStringField("ShardId", c.shard().shardId());
                    g.writeArrayFieldStart("ParentShards");
                    for (String parent : c.parents()) {
                        g.writeString(parent);
                    }
                    g.writeEndArray();
                    writeHashKeyRange(g, c.shard().range());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }));
    }

    /** How many of the records, from the first, fit in {@code maxBytes} of data; at least one. */
    static int recordsWithin(List<StreamRecord> records, long maxBytes) {
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            total += records.get(i).data().length;
            if (total > maxBytes) {
                return Math.max(1, i);
            }
        }
        return records.size();
    }

    record ChildShard(StreamSnapshot.Shard shard, List<String> parents) {}

    /**
     * The shards that took over a closed shard's hash keys: those of the next generation (created by the
     * reshard that closed it) whose ranges overlap its range, each with its parents of that generation.
     */
    static List<ChildShard> childrenOf(StreamSnapshot stream, String shardId) {
        Map<String, Integer> generation = new HashMap<>();
        for (StreamSnapshot.Shard s : stream.shards()) {
            generation.put(
                    s.shardId(),
                    s.parentShardId()
                            .map(parent -> generation.getOrDefault(parent, 0) + 1)
                            .orElse(0));
        }
        StreamSnapshot.Shard closed = stream.shards().stream()
                .filter(s -> s.shardId().equals(shardId))
                .findFirst()
                .orElseThrow();
        int childGeneration = generation.get(shardId) + 1;
        List<ChildShard> children = new ArrayList<>();
        for (StreamSnapshot.Shard s : stream.shards()) {
            if (generation.get(s.shardId()) == childGeneration && overlaps(s.range(), closed.range())) {
                List<String> parents = new ArrayList<>();
                for (StreamSnapshot.Shard parent : stream.shards()) {
                    if (generation.get(parent.shardId()) == childGeneration - 1
                            && overlaps(parent.range(), s.range())) {
                        parents.add(parent.shardId());
                    }
                }
                children.add(new ChildShard(s, parents));
            }
        }
        return children;
    }

    static boolean overlaps(ShardRange a, ShardRange b) {
        return a.startingHashKey().compareTo(b.endingHashKey()) <= 0
                && b.startingHashKey().compareTo(a.endingHashKey()) <= 0;
    }
}
