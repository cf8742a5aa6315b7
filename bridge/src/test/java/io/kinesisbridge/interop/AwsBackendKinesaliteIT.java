package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.CredentialsSource;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.FlowControl;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.FlakyBackend;
import io.kinesisbridge.testing.Kinesalite;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The aws backend under the dispatcher, against kinesalite, with pacing on and seeded faults injected around it. */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsBackendKinesaliteIT {

    private Kinesalite kinesalite;
    private AwsKinesisBackend backend;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final ExecutorService answers = Executors.newFixedThreadPool(2);
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        kinesalite = Kinesalite.start();
        backend = AwsKinesisBackend.create(AwsBackendSettings.defaults()
                .withRegion("us-east-1")
                .withEndpoint(kinesalite.uri())
                .withCbor(false)
                .withCredentials(
                        new CredentialsSource.Static("AKIDIT", new CredentialsSource.Secret("x"), Optional.empty())));
    }

    @AfterAll
    void stop() {
        scheduler.shutdownNow();
        completions.shutdownNow();
        answers.shutdownNow();
        if (backend != null) {
            backend.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    private StreamDispatcher dispatcher(String stream, FlakyBackend flaky) {
        DispatchSettings settings = DispatchSettings.defaults()
                .withRetry(new RetryPolicy(60, Duration.ofMillis(2), Duration.ofMillis(50)))
                .withFlowControl(new FlowControl(true, 1000, 1_048_576, Duration.ZERO));
        StreamDispatcher d = new StreamDispatcher(stream, flaky, settings, deadLetters::add, scheduler, completions);
        d.start().join();
        return d;
    }

    private Map<String, List<String>> run(String stream, Ordering ordering, FlakyBackend flaky, int keys, int perKey) {
        StreamDispatcher d = dispatcher(stream, flaky);
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            for (int k = 0; k < keys; k++) {
                String key = "user-" + k;
                String data = key + "#" + n;
                sent.computeIfAbsent(key, x -> new ArrayList<>()).add(data);
                futures.add(d.submit(
                        PutRequest.of(stream, key, data.getBytes(StandardCharsets.UTF_8)),
                        ordering,
                        Duration.ofSeconds(30)));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(120, TimeUnit.SECONDS)
                .join();
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Accepted.class));
        assertThat(d.shardMap()).isPresent();
        return sent;
    }

    private Map<String, List<String>> readByKey(String stream, Map<String, Integer> occurrences) {
        return PerKeyOrder.byKey(
                kinesalite.readAll(stream),
                Kinesalite.StoredRecord::partitionKey,
                Kinesalite.StoredRecord::text,
                occurrences);
    }

    @Test
    void describeStream_readsKinesalitesShards() {
        kinesalite.createStream("described", 4);
        StreamDescription d = backend.describeStream("described").join();
        assertThat(d.shards().size()).isEqualTo(4);
        assertThat(d.maxRecordSizeBytes()).isEqualTo(1_048_576);
    }

    @Test
    void keyOrdering_underInjectedFaults_losesNothing_andKeepsEveryKeysOrder() {
        kinesalite.createStream("faults", 4);
        FlakyBackend flaky = new FlakyBackend(backend, 11, 0.05, 0.25, 0.05, answers);

        Map<String, List<String>> sent = run("faults", Ordering.KEY, flaky, 40, 25);

        Map<String, Integer> occurrences = new HashMap<>();
        assertThat(readByKey("faults", occurrences)).isEqualTo(sent);
        occurrences.forEach((data, count) -> {
            if (count > 1) {
                assertThat(flaky.unacknowledgedWrites).contains(data);
            }
        });
        assertThat(flaky.failuresPerRecord.values().stream()
                        .filter(n -> n.get() >= 2)
                        .count())
                .isPositive();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void chainOrdering_againstKinesalite_keepsEveryKeysOrder() {
        kinesalite.createStream("chained", 2);
        FlakyBackend flaky = new FlakyBackend(backend, 5, 0.1, 0, 0.05, answers);

        Map<String, List<String>> sent = run("chained", Ordering.CHAIN, flaky, 10, 10);

        assertThat(readByKey("chained", new HashMap<>())).isEqualTo(sent);
        assertThat(deadLetters).isEmpty();
    }
}
