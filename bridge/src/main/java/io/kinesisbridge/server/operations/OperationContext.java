package io.kinesisbridge.server.operations;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.server.ShardIterators;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operations share: the streams (read and administered in the {@link InMemoryKinesis}), the writer that
 * PutRecord and PutRecords go to (the store or a decorator of it), the clock, the shard iterators, and the
 * capacity mode each stream was created with.
 */
final class OperationContext {

    static final String PROVISIONED = "PROVISIONED";
    static final String ON_DEMAND = "ON_DEMAND";

    final InMemoryKinesis store;
    final KinesisBackend writer;
    final Clock clock;
    final ShardIterators iterators;
    /** Guarded by itself together with the stream's creation or deletion in the store. */
    final Map<String, String> streamModes = new ConcurrentHashMap<>();

    OperationContext(InMemoryKinesis store, KinesisBackend writer, Clock clock, ShardIterators iterators) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.iterators = iterators;
    }

    String accountId() {
        return store.settings().accountId();
    }

    String modeOf(String streamName) {
        return streamModes.getOrDefault(streamName, PROVISIONED);
    }

    Optional<StreamSnapshot> snapshot(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describe(name));
        } catch (KinesisException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    /** The stream a put goes to, as the writer's backend describes it. */
    Optional<StreamDescription> describeForPut(String name) {
        if (name == null || !store.hasStream(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.describeStream(name).join());
        } catch (CompletionException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    KinesisError notFound(String streamName) {
        return KinesisError.resourceNotFound(streamName, accountId());
    }

    KinesisError shardNotFound(String shardId, String streamName) {
        return new KinesisError(
                KinesisError.RESOURCE_NOT_FOUND,
                "Shard " + shardId + " in stream " + streamName + " under account " + accountId() + " does not exist");
    }

    static List<StreamSnapshot.Shard> shardsAfter(List<StreamSnapshot.Shard> shards, String exclusiveStart) {
        if (exclusiveStart == null) {
            return shards;
        }
        return shards.stream()
                .filter(s -> s.shardId().compareTo(exclusiveStart) > 0)
                .toList();
    }
}
