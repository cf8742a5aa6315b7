package io.kinesisbridge.server.operations;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.server.ShardIterators;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The operations the endpoint serves, by the name X-Amz-Target gives them. */
public final class Operations {

    private static final Map<String, Function<OperationContext, Operation>> SERVED = new LinkedHashMap<>();

    static {
        SERVED.put("CreateStream", CreateStream::new);
        SERVED.put("DeleteStream", DeleteStream::new);
        SERVED.put("DescribeStream", DescribeStream::new);
        SERVED.put("DescribeStreamSummary", DescribeStreamSummary::new);
        SERVED.put("ListStreams", ListStreams::new);
        SERVED.put("ListShards", ListShards::new);
        SERVED.put("PutRecord", PutRecord::new);
        SERVED.put("PutRecords", PutRecords::new);
        SERVED.put("GetShardIterator", GetShardIterator::new);
        SERVED.put("GetRecords", GetRecords::new);
    }

    /** The names of the operations served, in a fixed order. */
    public static final List<String> NAMES = List.copyOf(SERVED.keySet());

    private final Map<String, Operation> byName = new LinkedHashMap<>();

    /**
     * @param store  the streams: read and administered here (CREATING and DELETING times and the account shard
     *               limit are its settings)
     * @param writer where PutRecord and PutRecords go: {@code store} itself or a decorator around it
     */
    public Operations(InMemoryKinesis store, KinesisBackend writer, Clock clock, ShardIterators iterators) {
        OperationContext context = new OperationContext(store, writer, clock, iterators);
        SERVED.forEach((name, create) -> byName.put(name, create.apply(context)));
    }

    public Optional<Operation> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
