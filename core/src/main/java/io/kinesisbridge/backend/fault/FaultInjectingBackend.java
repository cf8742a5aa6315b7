package io.kinesisbridge.backend.fault;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A backend that fails a seeded share of the writes it is given and slows them down, around a real backend: what
 * a producer must survive against Kinesis (throttling, internal failures, partly failed PutRecords), on demand and
 * reproducibly. A failed PutRecords entry is never written; the others are, in one call to the real backend, and
 * the answer lists every entry in request order. DescribeStream passes through untouched.
 *
 * <p>Draws come from one {@link SplittableRandom} seeded by {@link FaultSettings#seed()}, one draw per request and
 * one per entry, in call order: a single caller that repeats its calls meets the same faults again.
 */
public final class FaultInjectingBackend implements KinesisBackend {

    static final String INTERNAL_FAILURE_MESSAGE = "Internal service failure.";

    private final KinesisBackend delegate;
    private final FaultSettings settings;
    private final String accountId;
    private final SplittableRandom random;

    /** @param accountId the account named in throttling messages */
    public FaultInjectingBackend(KinesisBackend delegate, FaultSettings settings, String accountId) {
        this.delegate = delegate;
        this.settings = settings;
        this.accountId = accountId;
        this.random = new SplittableRandom(settings.seed());
    }

    public FaultSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        return delegate.describeStream(streamName);
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        String requestFault = drawRequestFault();
        long delay = drawDelayMillis();
        CompletableFuture<RecordResult.Accepted> result;
        if (requestFault != null) {
            result = delegate.describeStream(command.streamName()).thenApply(d -> {
                throw KinesisException.of(
                        error(requestFault, d, command), command.streamName(), command.partitionKey());
            });
        } else {
            result = delegate.putRecord(command);
        }
        return delayed(result, delay);
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        String requestFault = drawRequestFault();
        String[] entryFaults = new String[commands.size()];
        if (requestFault == null) {
            for (int i = 0; i < entryFaults.length; i++) {
                entryFaults[i] = drawEntryFault();
            }
        }
        long delay = drawDelayMillis();
        CompletableFuture<PutRecordsResponse> result = delegate.describeStream(streamName)
                .thenCompose(d -> {
                    if (requestFault != null) {
                        PutRecordCommand first = commands.isEmpty() ? null : commands.get(0);
                        throw KinesisException.of(error(requestFault, d, first), streamName, null);
                    }
                    List<PutRecordCommand> passed = new ArrayList<>(commands.size());
                    for (int i = 0; i < commands.size(); i++) {
                        if (entryFaults[i] == null) {
                            passed.add(commands.get(i));
                        }
                    }
                    CompletableFuture<PutRecordsResponse> written = passed.isEmpty()
                            ? CompletableFuture.completedFuture(new PutRecordsResponse(List.of()))
                            : delegate.putRecords(streamName, passed);
                    return written.thenApply(response -> {
                        List<RecordResult> merged = new ArrayList<>(commands.size());
                        int next = 0;
                        for (int i = 0; i < commands.size(); i++) {
                            merged.add(
                                    entryFaults[i] == null
                                            ? response.results().get(next++)
                                            : new RecordResult.Failed(error(entryFaults[i], d, commands.get(i))));
                        }
                        return new PutRecordsResponse(merged);
                    });
                });
        return delayed(result, delay);
    }

    private KinesisError error(String code, StreamDescription stream, PutRecordCommand command) {
        if (code.equals(KinesisError.THROUGHPUT_EXCEEDED)) {
            String shard = command == null
                    ? stream.shards().shards().get(0).shardId()
                    : stream.shards()
                            .shardFor(command.hashKey())
                            .map(ShardRange::shardId)
                            .orElse(stream.shards().shards().get(0).shardId());
            return KinesisError.throughputExceeded(shard, stream.streamName(), accountId);
        }
        return new KinesisError(KinesisError.INTERNAL_FAILURE, INTERNAL_FAILURE_MESSAGE);
    }

    private synchronized String drawRequestFault() {
        return settings.requestFailureRate() > 0 && random.nextDouble() < settings.requestFailureRate()
                ? pickError()
                : null;
    }

    private synchronized String drawEntryFault() {
        return settings.entryFailureRate() > 0 && random.nextDouble() < settings.entryFailureRate()
                ? pickError()
                : null;
    }

    private String pickError() {
        List<String> codes = settings.errorCodes();
        return codes.size() == 1 ? codes.get(0) : codes.get(random.nextInt(codes.size()));
    }

    private synchronized long drawDelayMillis() {
        long jitter = settings.latencyJitter().toMillis();
        return settings.latency().toMillis() + (jitter > 0 ? random.nextLong(jitter + 1) : 0);
    }

    /** The same outcome, {@code millis} later, without holding a thread meanwhile. */
    private static <T> CompletableFuture<T> delayed(CompletableFuture<T> future, long millis) {
        if (millis <= 0) {
            return future;
        }
        Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS);
        CompletableFuture<T> out = new CompletableFuture<>();
        future.whenComplete((value, error) -> later.execute(() -> {
            if (error != null) {
                out.completeExceptionally(
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else {
                out.complete(value);
            }
        }));
        return out;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
