package io.kinesisbridge.testing;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.RecordResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A decorator that fails a seeded share of requests and entries around a real backend, and records what it saw:
 * <ul>
 *   <li>{@code requestFailure}: the whole request fails before reaching the backend (InternalFailure or a network error);</li>
 *   <li>{@code entryFailure}: a PutRecords entry fails without reaching the backend (InternalFailure or throttling);</li>
 *   <li>{@code lostAck}: the backend writes the request but its answer is replaced by a retryable failure, so a
 *       resend writes the record again: the only duplicates the bridge may cause.</li>
 * </ul>
 * Records are told apart by their data, which the tests keep unique.
 */
public final class FlakyBackend implements KinesisBackend {

    private final KinesisBackend delegate;
    private final Random random;
    private final double requestFailure;
    private final double entryFailure;
    private final double lostAck;
    private final Executor answers;

    /** Data of records written whose acknowledgement was lost. */
    public final Set<String> unacknowledgedWrites = ConcurrentHashMap.newKeySet();
    /** Injected failures per record. */
    public final Map<String, AtomicInteger> failuresPerRecord = new ConcurrentHashMap<>();
    /** Every PutRecord as sent: data and the SequenceNumberForOrdering it carried. */
    public final ConcurrentLinkedQueue<Sent> putRecordSends = new ConcurrentLinkedQueue<>();

    public final AtomicInteger requests = new AtomicInteger();
    public final AtomicInteger oversizedRequests = new AtomicInteger();

    public record Sent(String data, Optional<String> sequenceNumberForOrdering) {}

    public FlakyBackend(
            KinesisBackend delegate,
            long seed,
            double requestFailure,
            double entryFailure,
            double lostAck,
            Executor answers) {
        this.delegate = delegate;
        this.random = new Random(seed);
        this.requestFailure = requestFailure;
        this.entryFailure = entryFailure;
        this.lostAck = lostAck;
        this.answers = answers;
    }

    @Override
    public String name() {
        return "flaky-" + delegate.name();
    }

    @Override
    public CompletableFuture<StreamDescription> describeStream(String streamName) {
        return delegate.describeStream(streamName);
    }

    private synchronized double roll() {
        return random.nextDouble();
    }

    private synchronized boolean coin() {
        return random.nextBoolean();
    }

    @Override
    public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
        requests.incrementAndGet();
        String data = dataOf(command);
        putRecordSends.add(new Sent(data, command.sequenceNumberForOrdering()));
        if (roll() < requestFailure) {
            failed(data);
            return later(CompletableFuture.failedFuture(requestError(command.streamName())));
        }
        CompletableFuture<RecordResult.Accepted> written = delegate.putRecord(command);
        if (roll() < lostAck) {
            return later(written.handle((accepted, error) -> {
                if (accepted != null) {
                    unacknowledgedWrites.add(data);
                }
                failed(data);
                throw requestError(command.streamName());
            }));
        }
        return later(written);
    }

    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
        requests.incrementAndGet();
        long bytes = commands.stream().mapToLong(PutRecordCommand::sizeBytes).sum();
        if (commands.size() > PutRecordValidator.MAX_RECORDS_PER_REQUEST
                || bytes > PutRecordValidator.MAX_REQUEST_BYTES) {
            oversizedRequests.incrementAndGet();
        }
        if (roll() < requestFailure) {
            commands.forEach(c -> failed(dataOf(c)));
            return later(CompletableFuture.failedFuture(requestError(streamName)));
        }
        List<PutRecordCommand> passed = new ArrayList<>(commands.size());
        RecordResult[] results = new RecordResult[commands.size()];
        List<Integer> passedIndex = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            if (roll() < entryFailure) {
                failed(dataOf(commands.get(i)));
                results[i] = new RecordResult.Failed(
                        coin()
                                ? new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure.")
                                : KinesisError.throughputExceeded("shardId-000000000000", streamName, "123456789012"));
            } else {
                passed.add(commands.get(i));
                passedIndex.add(i);
            }
        }
        if (passed.isEmpty()) {
            return later(CompletableFuture.completedFuture(new PutRecordsResponse(List.of(results))));
        }
        boolean loseAck = roll() < lostAck;
        CompletableFuture<PutRecordsResponse> answer = delegate.putRecords(streamName, passed)
                .thenApply(response -> {
                    if (loseAck) {
                        for (int j = 0; j < passed.size(); j++) {
                            if (response.results().get(j) instanceof RecordResult.Accepted) {
                                unacknowledgedWrites.add(dataOf(passed.get(j)));
                            }
                        }
                        commands.forEach(c -> failed(dataOf(c)));
                        throw requestError(streamName);
                    }
                    for (int j = 0; j < passed.size(); j++) {
                        results[passedIndex.get(j)] = response.results().get(j);
                    }
                    return new PutRecordsResponse(List.of(results));
                });
        return later(answer);
    }

    private void failed(String data) {
        failuresPerRecord.computeIfAbsent(data, d -> new AtomicInteger()).incrementAndGet();
    }

    private KinesisException requestError(String streamName) {
        return coin()
                ? KinesisException.of(
                        new KinesisError(KinesisError.INTERNAL_FAILURE, "Internal service failure."), streamName, null)
                : KinesisException.of(
                        new KinesisError(KinesisError.SERVICE_UNREACHABLE, "Connection reset"), streamName, null);
    }

    /** Answers on another thread, as a network client does. */
    private <T> CompletableFuture<T> later(CompletableFuture<T> answer) {
        return answer.handleAsync(
                (v, e) -> {
                    if (e != null) {
                        throw e instanceof RuntimeException r ? r : new RuntimeException(e);
                    }
                    return v;
                },
                answers);
    }

    static String dataOf(PutRecordCommand command) {
        return new String(command.data(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
