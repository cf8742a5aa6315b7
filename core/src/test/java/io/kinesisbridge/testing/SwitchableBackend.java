package io.kinesisbridge.testing;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A real backend that can be taken away: while down, every call fails (on another thread, as a network client's
 * would) with ServiceUnreachable, as when Kinesis cannot be reached at all.
 */
public final class SwitchableBackend implements KinesisBackend {

    private final KinesisBackend delegate;
    private final Executor answers;
    private volatile boolean down;
    public final AtomicInteger refusedCalls = new AtomicInteger();

    public SwitchableBackend(KinesisBackend delegate, Executor answers) {
        this.delegate = delegate;
        this.answers = answers;
    }

    public void down() {
        down = true;
    }

    public void up() {
        down = false;
    }

    @Override
    public String name() {
        return "switchable-" + delegate.name();
    }

    private <T> CompletableFuture<T> call(String stream, Supplier<CompletableFuture<T>> real) {
        if (down) {
            refusedCalls.incrementAndGet();
            return CompletableFuture.supplyAsync(
                    () -> {
                        throw KinesisException.of(
                                new KinesisError(
                                        KinesisError.SERVICE_UNREACHABLE,
                                        "Kinesis could not be reached: Connection refused"),
                                stream,
                                null);
                    },
                    answers);
        }
        return real.get().thenApplyAsync(x -> x, answers);
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        return call(streamName, () -> delegate.describeStream(streamName));
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        return call(command.streamName(), () -> delegate.putRecord(command));
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        return call(streamName, () -> delegate.putRecords(streamName, commands));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
