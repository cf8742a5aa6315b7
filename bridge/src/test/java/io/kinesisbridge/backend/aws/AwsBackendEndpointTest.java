package io.kinesisbridge.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.fault.FaultInjectingBackend;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.FlowControl;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.server.EndpointSettings;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.server.SignatureCheck;
import io.kinesisbridge.testing.FlakyBackend;
import io.kinesisbridge.testing.PerKeyOrder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole write path over the network: dispatcher → aws backend (the SDK's client, CBOR or JSON) → the bridge's
 * own Kinesis-compatible endpoint → seeded server-side faults → the in-memory backend enforcing Kinesis's per-shard
 * limits. Lost answers (written, then reported failed) are added on the client side.
 */
class AwsBackendEndpointTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final ExecutorService answers = Executors.newFixedThreadPool(2);
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final InMemoryKinesis memory =
            new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
    private KinesisEndpoint endpoint;
    private AwsKinesisBackend aws;

    private void serve(FaultSettings faults, boolean cbor) {
        Clock clock = Clock.systemUTC();
        FaultInjectingBackend writer =
                new FaultInjectingBackend(memory, faults, MemoryBackendSettings.DEFAULT_ACCOUNT_ID);
        endpoint = new KinesisEndpoint(
                new KinesisApi(
                        memory,
                        writer,
                        clock,
                        new ShardIterators(clock, ShardIterators.DEFAULT_TTL),
                        SignatureCheck.OFF),
                EndpointSettings.of("127.0.0.1", 0));
        endpoint.start();
        aws = AwsKinesisBackend.create(AwsBackendSettings.defaults()
                .withRegion("us-east-1")
                .withCbor(cbor)
                .withEndpoint(URI.create(endpoint.url()))
                .withCredentials(new CredentialsSource.Static(
                        "AKIDENDPOINT", new CredentialsSource.Secret("x"), Optional.empty())));
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        completions.shutdownNow();
        answers.shutdownNow();
        if (aws != null) {
            aws.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private StreamDispatcher dispatcher(String stream, KinesisBackend backend) {
        DispatchSettings settings = DispatchSettings.defaults()
                .withRetry(new RetryPolicy(80, Duration.ofMillis(2), Duration.ofMillis(100)))
                .withFlowControl(new FlowControl(true, 1000, 1_048_576, Duration.ZERO));
        StreamDispatcher d = new StreamDispatcher(stream, backend, settings, deadLetters::add, scheduler, completions);
        d.start().join();
        return d;
    }

    private static Map<String, List<String>> submit(
            StreamDispatcher d,
            String stream,
            Ordering ordering,
            int keys,
            int perKey,
            List<CompletableFuture<RecordResult>> futures) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
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
        return sent;
    }

    private Map<String, List<String>> stored(String stream, Map<String, Integer> occurrences) {
        return PerKeyOrder.byKey(
                memory.readAll(stream),
                StreamRecord::partitionKey,
                r -> new String(r.data(), StandardCharsets.UTF_8),
                occurrences);
    }

    @ParameterizedTest(name = "cbor={0}")
    @ValueSource(booleans = {true, false})
    void keyOrdering_throughTheEndpointWithFaultsAndLimits_losesNothing_andKeepsEveryKeysOrder(boolean cbor) {
        serve(
                FaultSettings.none()
                        .withRates(0.05, 0.25)
                        .withLatency(Duration.ofMillis(1), Duration.ofMillis(3))
                        .withSeed(42),
                cbor);
        memory.createStream("orders", 4);
        FlakyBackend lostAnswers = new FlakyBackend(aws, 9, 0, 0, 0.03, answers);
        StreamDispatcher d = dispatcher("orders", lostAnswers);
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        Map<String, List<String>> sent = submit(d, "orders", Ordering.KEY, 60, 40, futures);

        Map<String, Integer> occurrences = new HashMap<>();
        assertThat(stored("orders", occurrences)).isEqualTo(sent);
        assertThat(occurrences).hasSize(2400);
        occurrences.forEach((data, count) -> {
            if (count > 1) {
                assertThat(lostAnswers.unacknowledgedWrites)
                        .as("only a resent unacknowledged write repeats: %s", data)
                        .contains(data);
            }
        });
        assertThat(deadLetters).isEmpty();
        // the endpoint's faults made records fail in two and more rounds
        assertThat(d.stats().recordsRetried()).isGreaterThan(500);
        assertThat(d.stats().recordsSent() - d.stats().recordsAcknowledged())
                .isEqualTo(d.stats().recordsRetried());
    }

    @Test
    void chainOrdering_throughTheEndpoint_sendsTheSequenceNumberAcknowledgedForTheKeysPreviousRecord() {
        serve(FaultSettings.none().withRates(0.1, 0).withSeed(7), true);
        memory.createStream("chained", 2);
        FlakyBackend recorder = new FlakyBackend(aws, 3, 0, 0, 0.05, answers);
        StreamDispatcher d = dispatcher("chained", recorder);
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        Map<String, List<String>> sent = submit(d, "chained", Ordering.CHAIN, 10, 12, futures);

        Map<String, String> acknowledged = new HashMap<>();
        int i = 0;
        for (int n = 0; n < 12; n++) {
            for (int k = 0; k < 10; k++) {
                acknowledged.put(
                        "user-" + k + "#" + n,
                        ((RecordResult.Accepted) futures.get(i++).join()).sequenceNumber());
            }
        }
        for (FlakyBackend.Sent s : recorder.putRecordSends) {
            int hash = s.data().indexOf('#');
            int n = Integer.parseInt(s.data().substring(hash + 1));
            Optional<String> expected = n == 0
                    ? Optional.empty()
                    : Optional.of(acknowledged.get(s.data().substring(0, hash) + "#" + (n - 1)));
            assertThat(s.sequenceNumberForOrdering())
                    .as("SequenceNumberForOrdering of %s", s.data())
                    .isEqualTo(expected);
        }
        assertThat(stored("chained", new HashMap<>())).isEqualTo(sent);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void pacing_keepsTheEndpointsShardLimitsFromThrottling() {
        serve(FaultSettings.none(), true);
        memory.createStream("paced", 2);
        StreamDispatcher d = dispatcher("paced", aws);

        submit(d, "paced", Ordering.KEY, 500, 6, new ArrayList<>());

        assertThat(d.stats().recordsAcknowledged()).isEqualTo(3000);
        assertThat(d.stats().recordsThrottled()).isLessThan(30);
        assertThat(memory.readAll("paced")).hasSize(3000);
    }
}
