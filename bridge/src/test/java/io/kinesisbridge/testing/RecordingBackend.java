package io.kinesisbridge.testing;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Wraps a real backend for tests: answers on another thread after a random delay, fails a seeded share of
 * PutRecords entries (and of PutRecord calls) with a retryable InternalFailure, fails records matching a
 * predicate with a non-retryable error, and records every command it passed on with its result.
 */
public final class RecordingBackend implements KinesisBackend {

    public record Call(PutRecordCommand command, RecordResult result) {}

    private final KinesisBackend delegate;
    private final Random random;
    private final double failureShare;
    private final Predicate<PutRecordCommand> reject;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    public RecordingBackend(
            KinesisBackend delegate, long seed, double failureShare, Predicate<PutRecordCommand> reject) {
        this.delegate = delegate;
        this.random = new Random(seed);
        this.failureShare = failureShare;
        this.reject = reject;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    @Override
    public String name() {
        return "recording(" + delegate.name() + ")";
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        return delegate.describeStream(streamName);
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        Outcome outcome = decide(command);
        return later().thenCompose(x -> {
            if (outcome != Outcome.PASS) {
                KinesisError error = errorFor(outcome);
                calls.add(new Call(command, new RecordResult.Failed(error)));
                return CompletableFuture.failedFuture(
                        KinesisException.of(error, command.streamName(), command.partitionKey()));
            }
            return delegate.putRecord(command).whenComplete((r, e) -> {
                if (r != null) {
                    calls.add(new Call(command, r));
                }
            });
        });
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        List<Outcome> outcomes = commands.stream().map(this::decide).toList();
        return later().thenCompose(x -> {
            List<PutRecordCommand> passing = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                if (outcomes.get(i) == Outcome.PASS) {
                    passing.add(commands.get(i));
                }
            }
            CompletableFuture<PutRecordsResponse> inner = passing.isEmpty()
                    ? CompletableFuture.completedFuture(new PutRecordsResponse(List.of()))
                    : delegate.putRecords(streamName, passing);
            return inner.thenApply(response -> {
                List<RecordResult> results = new ArrayList<>(commands.size());
                int next = 0;
                for (int i = 0; i < commands.size(); i++) {
                    RecordResult r = outcomes.get(i) == Outcome.PASS
                            ? response.results().get(next++)
                            : new RecordResult.Failed(errorFor(outcomes.get(i)));
                    calls.add(new Call(commands.get(i), r));
                    results.add(r);
                }
                return new PutRecordsResponse(results);
            });
        });
    }

    private enum Outcome {
        PASS,
        RETRYABLE,
        REJECT
    }

    private synchronized Outcome decide(PutRecordCommand command) {
        if (reject.test(command)) {
            return Outcome.REJECT;
        }
        return random.nextDouble() < failureShare ? Outcome.RETRYABLE : Outcome.PASS;
    }

    private static KinesisError errorFor(Outcome outcome) {
        return outcome == Outcome.REJECT
                ? new KinesisError(KinesisError.INVALID_ARGUMENT, "rejected by the test backend")
                : new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure.");
    }

    private CompletableFuture<Void> later() {
        long delayMicros;
        synchronized (this) {
            delayMicros = random.nextInt(2000);
        }
        Executor delayed = CompletableFuture.delayedExecutor(delayMicros, TimeUnit.MICROSECONDS, executor);
        return CompletableFuture.runAsync(() -> {}, delayed);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
