package io.kinesisbridge.testing;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * A stream that does not answer: every put waits, unsent, until the test releases it, then goes to the real backend
 * underneath. DescribeStream answers at once.
 */
public final class HeldBackend implements KinesisBackend {

    private final KinesisBackend delegate;
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private boolean open;

    public HeldBackend(KinesisBackend delegate) {
        this.delegate = delegate;
    }

    /** Over an in-memory backend holding {@code stream} with one shard. */
    public static HeldBackend withStream(String stream) {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream(stream, 1);
        return new HeldBackend(kinesis);
    }

    /** How many puts wait. */
    public int heldCount() {
        return held.size();
    }

    /** Sends every put held so far; later ones are held again. */
    public void releaseAll() {
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    /** Sends every put held so far and holds none from now on. */
    public void open() {
        synchronized (this) {
            open = true;
        }
        releaseAll();
    }

    private <T> CompletableFuture<T> hold(Supplier<CompletableFuture<T>> call) {
        synchronized (this) {
            if (!open) {
                CompletableFuture<T> answer = new CompletableFuture<>();
                held.add(() -> call.get().whenComplete((r, e) -> {
                    if (e != null) {
                        answer.completeExceptionally(e);
                    } else {
                        answer.complete(r);
                    }
                }));
                return answer;
            }
        }
        return call.get();
    }

    @Override
    public String name() {
        return "held";
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        return delegate.describeStream(streamName);
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        return hold(() -> delegate.putRecord(command));
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        return hold(() -> delegate.putRecords(streamName, commands));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
