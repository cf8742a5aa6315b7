package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.FlakyBackend;
import io.kinesisbridge.testing.PerKeyOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against the in-memory backend with Kinesis's per-shard limits on, behind a decorator that fails a
 * seeded share of requests and entries and loses some acknowledgements after the write.
 */
class StreamDispatcherFaultTest {

    private static final String STREAM = "faults";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService answers = Executors.newFixedThreadPool(4);
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final CollectingDeadLetters deadLetters = new CollectingDeadLetters();
    private final InMemoryKinesis kinesis =
            new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        answers.shutdownNow();
        completions.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static DispatchSettings settings() {
        return DispatchSettings.defaults()
                .withRetry(new RetryPolicy(60, Duration.ofMillis(1), Duration.ofMillis(20)))
                .withMaxConcurrentRequests(4);
    }

    private StreamDispatcher dispatcher(FlakyBackend backend, DispatchSettings settings) {
        StreamDispatcher d = new StreamDispatcher(STREAM, backend, settings, deadLetters, scheduler, completions);
        d.start().join();
        return d;
    }

    private static PutRequest record(String key, int n) {
        return PutRequest.of(STREAM, key, (key + "#" + n).getBytes(StandardCharsets.UTF_8));
    }

    /** Submits {@code perKey} records for each of {@code keys} keys, interleaved, and waits for every answer. */
    private static Map<String, List<String>> submitAll(
            StreamDispatcher d,
            int keys,
            int perKey,
            Ordering ordering,
            List<CompletableFuture<RecordResult>> futures) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                String key = "key-" + k;
                PutRequest r = record(key, n);
                sent.computeIfAbsent(key, x -> new ArrayList<>()).add(new String(r.data(), StandardCharsets.UTF_8));
                futures.add(d.submit(r, ordering, Duration.ofSeconds(30)));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
        return sent;
    }

    /** The stream's records per key, in shard order, adjacent repeats (a resent unacknowledged write) collapsed. */
    private Map<String, List<String>> streamByKey(Map<String, Integer> occurrences) {
        return PerKeyOrder.byKey(
                kinesis.readAll(STREAM),
                StreamRecord::partitionKey,
                r -> new String(r.data(), StandardCharsets.UTF_8),
                occurrences);
    }

    @Test
    void keyOrdering_keepsEveryKeysOrderAndLosesNothing_underPartialFailuresAcrossRetryRounds() {
        kinesis.createStream(STREAM, 4);
        FlakyBackend backend = new FlakyBackend(kinesis, 42, 0.05, 0.3, 0.05, answers);
        StreamDispatcher d = dispatcher(backend, settings());
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        Map<String, List<String>> sent = submitAll(d, 60, 40, Ordering.KEY, futures);

        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Accepted.class));
        assertThat(deadLetters.letters).isEmpty();
        Map<String, Integer> occurrences = new HashMap<>();
        assertThat(streamByKey(occurrences)).isEqualTo(sent);
        occurrences.forEach((data, count) -> {
            if (count > 1) {
                assertThat(backend.unacknowledgedWrites)
                        .as("only a resent unacknowledged write may repeat: %s", data)
                        .contains(data);
                assertThat(count)
                        .isLessThanOrEqualTo(
                                1 + backend.failuresPerRecord.get(data).get());
            }
        });
        assertThat(occurrences).hasSize(60 * 40);
        // the faults did bite: records failed in two and more rounds, and some writes lost their answer
        assertThat(backend.failuresPerRecord.values().stream()
                        .filter(n -> n.get() >= 2)
                        .count())
                .isGreaterThan(50);
        assertThat(backend.failuresPerRecord.values().stream()
                        .filter(n -> n.get() >= 3)
                        .count())
                .isGreaterThan(5);
        assertThat(backend.unacknowledgedWrites).isNotEmpty();
        assertThat(backend.oversizedRequests).hasValue(0);
        DispatchStats stats = d.stats();
        assertThat(stats.recordsIn()).isEqualTo(2400);
        assertThat(stats.recordsAcknowledged()).isEqualTo(2400);
        assertThat(stats.recordsRetried()).isEqualTo(stats.recordsSent() - 2400);
        assertThat(stats.pendingRecords()).isZero();
        assertThat(stats.pendingBytes()).isZero();
    }

    @Test
    void chainOrdering_sendsEachRecordWithTheSequenceNumberAcknowledgedForTheKeysPreviousRecord() {
        kinesis.createStream(STREAM, 2);
        FlakyBackend backend = new FlakyBackend(kinesis, 7, 0.15, 0, 0.1, answers);
        StreamDispatcher d = dispatcher(backend, settings());
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        Map<String, List<String>> sent = submitAll(d, 20, 15, Ordering.CHAIN, futures);

        Map<String, String> acknowledged = new HashMap<>();
        List<String> order = new ArrayList<>();
        sent.values().forEach(order::addAll);
        // futures were added key-interleaved; map each record's data to its acknowledged sequence number
        int i = 0;
        for (int n = 0; n < 15; n++) {
            for (int k = 0; k < 20; k++) {
                RecordResult r = futures.get(i++).join();
                assertThat(r).isInstanceOf(RecordResult.Accepted.class);
                acknowledged.put("key-" + k + "#" + n, ((RecordResult.Accepted) r).sequenceNumber());
            }
        }
        assertThat(backend.putRecordSends).isNotEmpty();
        for (FlakyBackend.Sent s : backend.putRecordSends) {
            String key = s.data().substring(0, s.data().indexOf('#'));
            int n = Integer.parseInt(s.data().substring(s.data().indexOf('#') + 1));
            Optional<String> expected = n == 0 ? Optional.empty() : Optional.of(acknowledged.get(key + "#" + (n - 1)));
            assertThat(s.sequenceNumberForOrdering())
                    .as("SequenceNumberForOrdering of %s", s.data())
                    .isEqualTo(expected);
        }
        assertThat(backend.failuresPerRecord.values().stream()
                        .filter(n -> n.get() >= 2)
                        .count())
                .isPositive();
        assertThat(backend.unacknowledgedWrites).isNotEmpty();
        assertThat(streamByKey(new HashMap<>())).isEqualTo(sent);
        assertThat(d.stats().requests()).isEqualTo(backend.requests.get());
    }

    @Test
    void exhaustedRetries_goToTheDeadLetterOutputWithTheirReason_andReleaseTheirKey() {
        kinesis.createStream(STREAM, 1);
        FlakyBackend backend = new FlakyBackend(kinesis, 3, 1.0, 0, 0, answers);
        StreamDispatcher d =
                dispatcher(backend, settings().withRetry(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)));

        RecordResult first = d.submit(record("k", 0), Ordering.KEY, Duration.ofSeconds(5))
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        RecordResult second = d.submit(record("k", 1), Ordering.KEY, Duration.ofSeconds(5))
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        assertThat(first).isInstanceOf(RecordResult.Failed.class);
        assertThat(((RecordResult.Failed) first).error().message()).endsWith("(gave up after 3 attempts)");
        assertThat(second).isInstanceOf(RecordResult.Failed.class);
        assertThat(deadLetters.letters).hasSize(2);
        assertThat(deadLetters.letters.get(0).attempts()).isEqualTo(3);
        assertThat(deadLetters.letters.get(0).request().partitionKey()).isEqualTo("k");
        assertThat(d.stats().recordsDeadLettered()).isEqualTo(2);
        assertThat(kinesis.readAll(STREAM)).isEmpty();
    }
}
