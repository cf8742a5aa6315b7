package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.HeldBackend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-shard pacing, shard-map refresh, the pending-bytes bound and the stream's record size limit. */
class StreamDispatcherFlowControlTest {

    private static final String STREAM = "paced";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final CollectingDeadLetters deadLetters = new CollectingDeadLetters();

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        completions.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static InMemoryKinesis limitedKinesis(int recordsPerSecond) {
        MemoryBackendSettings d = MemoryBackendSettings.defaults();
        return new InMemoryKinesis(new MemoryBackendSettings(
                true, recordsPerSecond, d.bytesPerSecond(), d.maxBytes(), d.accountId(), d.region()));
    }

    private static DispatchSettings settings(FlowControl flow) {
        return DispatchSettings.defaults()
                .withFlowControl(flow)
                .withRetry(new RetryPolicy(100, Duration.ofMillis(5), Duration.ofMillis(100)));
    }

    private StreamDispatcher dispatcher(KinesisBackend backend, DispatchSettings settings) {
        StreamDispatcher d = new StreamDispatcher(STREAM, backend, settings, deadLetters, scheduler, completions);
        d.start().join();
        return d;
    }

    private static PutRequest record(int n, int size) {
        byte[] data = new byte[size];
        byte[] id = ("r" + n + ":").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(id, 0, data, 0, Math.min(id.length, size));
        return PutRequest.of(STREAM, "key-" + n, data);
    }

    private static void awaitAll(List<CompletableFuture<RecordResult>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Accepted.class));
    }

    @Test
    void pacing_keepsThrottlingRare_whenTheShardsEnforceTheirLimits() {
        InMemoryKinesis kinesis = limitedKinesis(500);
        kinesis.createStream(STREAM, 2);
        StreamDispatcher d = dispatcher(kinesis, settings(new FlowControl(true, 500, 1_048_576, Duration.ZERO)));
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        for (int n = 0; n < 2500; n++) {
            futures.add(d.submit(record(n, 100), Ordering.NONE, Duration.ofSeconds(30)));
        }
        awaitAll(futures);

        assertThat(d.shardMap()).get().satisfies(map -> assertThat(map.size()).isEqualTo(2));
        assertThat(d.stats().recordsThrottled()).isLessThan(25);
        assertThat(d.stats().shards()).containsOnlyKeys("shardId-000000000000", "shardId-000000000001");
        assertThat(d.stats().shards().values())
                .allSatisfy(s -> assertThat(s.recordsSent()).isGreaterThan(1000));
        assertThat(kinesis.readAll(STREAM)).hasSize(2500);
    }

    @Test
    void withoutPacing_theSameLoadIsThrottled_andStillDelivered() {
        InMemoryKinesis kinesis = limitedKinesis(500);
        kinesis.createStream(STREAM, 2);
        StreamDispatcher d = dispatcher(kinesis, settings(FlowControl.off()));
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        for (int n = 0; n < 2500; n++) {
            futures.add(d.submit(record(n, 100), Ordering.NONE, Duration.ofSeconds(30)));
        }
        awaitAll(futures);

        assertThat(d.stats().recordsThrottled()).isGreaterThan(250);
        assertThat(kinesis.readAll(STREAM)).hasSize(2500);
    }

    @Test
    void byteBudget_isPacedToo() {
        MemoryBackendSettings defaults = MemoryBackendSettings.defaults();
        InMemoryKinesis kinesis = new InMemoryKinesis(new MemoryBackendSettings(
                true, 1000, 100_000, defaults.maxBytes(), defaults.accountId(), defaults.region()));
        kinesis.createStream(STREAM, 1);
        StreamDispatcher d = dispatcher(kinesis, settings(new FlowControl(true, 1000, 100_000, Duration.ZERO)));
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();

        for (int n = 0; n < 150; n++) {
            futures.add(d.submit(record(n, 2000), Ordering.KEY, Duration.ofSeconds(30)));
        }
        awaitAll(futures);

        assertThat(d.stats().recordsThrottled()).isLessThan(3);
    }

    @Test
    void reshard_isNoticed_andTheNewShardsArePaced() {
        InMemoryKinesis kinesis = limitedKinesis(1000);
        kinesis.createStream(STREAM, 2);
        StreamDispatcher d = dispatcher(kinesis, settings(new FlowControl(true, 1000, 1_048_576, Duration.ZERO)));
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            futures.add(d.submit(record(n, 50), Ordering.KEY, Duration.ofSeconds(30)));
        }
        awaitAll(futures);
        assertThat(d.shardMap().orElseThrow().size()).isEqualTo(2);

        kinesis.updateShardCount(STREAM, 4);
        for (int n = 200; n < 600; n++) {
            futures.add(d.submit(record(n, 50), Ordering.KEY, Duration.ofSeconds(30)));
        }
        awaitAll(futures);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(d.shardMap().orElseThrow().size()).isEqualTo(4);
            assertThat(d.shardMap().orElseThrow().shards().get(0).shardId()).isEqualTo("shardId-000000000002");
        });
        assertThat(d.stats().shardMapRefreshes()).isPositive();
        for (int n = 600; n < 800; n++) {
            futures.add(d.submit(record(n, 50), Ordering.KEY, Duration.ofSeconds(30)));
        }
        awaitAll(futures);
        assertThat(d.stats().shards()).containsKeys("shardId-000000000002", "shardId-000000000005");
        assertThat(d.stats().shards().get("shardId-000000000005").recordsSent()).isPositive();
        assertThat(kinesis.readAll(STREAM)).hasSize(800);
    }

    @Test
    void pendingBytes_stayWithinTheirLimit_whileASlowStreamHoldsTheSourcesBack() throws Exception {
        InMemoryKinesis kinesis = limitedKinesis(400);
        kinesis.createStream(STREAM, 1);
        long limit = 50 * 1024;
        StreamDispatcher d = dispatcher(
                kinesis,
                settings(new FlowControl(true, 400, 1_048_576, Duration.ZERO)).withMaxPendingBytes(limit));
        ConcurrentLinkedQueue<CompletableFuture<RecordResult>> futures = new ConcurrentLinkedQueue<>();
        ExecutorService sources = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(sources.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        futures.add(d.submit(record(thread * 1000 + n, 1000), Ordering.KEY, Duration.ofSeconds(30)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            sources.shutdownNow();
        }
        awaitAll(new ArrayList<>(futures));

        int recordSize = 1000 + "key-1000".length();
        assertThat(d.stats().pendingBytesHighWater()).isLessThanOrEqualTo(limit).isGreaterThan(limit - 2L * recordSize);
        assertThat(d.stats().recordsRefused()).isZero();
        assertThat(kinesis.readAll(STREAM)).hasSize(1200);
    }

    @Test
    void fullBudget_refusesAtOnce_withoutDeadLettering_andTakesAgainOnceRoomIsMade() {
        HeldBackend backend = HeldBackend.withStream(STREAM);
        StreamDispatcher d = dispatcher(
                backend, settings(FlowControl.off()).withMaxPendingBytes(10_000).withMaxConcurrentRequests(1));
        List<CompletableFuture<RecordResult>> taken = new ArrayList<>();
        RecordResult refused = null;
        for (int n = 0; n < 100 && refused == null; n++) {
            CompletableFuture<RecordResult> f = d.submit(record(n, 1000), Ordering.NONE, Duration.ZERO);
            if (f.isDone() && f.join() instanceof RecordResult.Failed failed) {
                refused = failed;
            } else {
                taken.add(f);
            }
        }

        assertThat(refused).isNotNull();
        assertThat(((RecordResult.Failed) refused).error().code()).isEqualTo(KinesisError.BRIDGE_SATURATED);
        assertThat(taken).hasSizeBetween(9, 10);
        assertThat(deadLetters.letters).isEmpty();
        assertThat(d.stats().recordsRefused()).isEqualTo(1);
        assertThat(d.stats().recordsIn()).isEqualTo(taken.size());

        backend.releaseAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> d.stats().pendingBytes() == 0);
        CompletableFuture<RecordResult> again = d.submit(record(999, 1000), Ordering.NONE, Duration.ZERO);
        backend.releaseAll();
        assertThat(again.orTimeout(10, TimeUnit.SECONDS).join()).isInstanceOf(RecordResult.Accepted.class);
    }

    @Test
    void streamRecordSizeLimit_isReadFromTheStream() {
        InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
        kinesis.createStream(STREAM, 1, 2 * 1_048_576);
        kinesis.createStream("small", 1);
        StreamDispatcher big = new StreamDispatcher(
                STREAM, kinesis, settings(FlowControl.kinesisLimits()), deadLetters, scheduler, completions);
        big.start(); // not awaited: a large record waits for the stream's limit
        StreamDispatcher small = new StreamDispatcher(
                "small", kinesis, settings(FlowControl.kinesisLimits()), deadLetters, scheduler, completions);
        small.start().join();

        RecordResult onBig = big.submit(PutRequest.of(STREAM, "k", new byte[1_500_000]), Ordering.KEY)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
        RecordResult onSmall = small.submit(PutRequest.of("small", "k", new byte[1_500_000]), Ordering.KEY)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        assertThat(big.maxRecordSizeBytes()).isEqualTo(2 * 1_048_576);
        assertThat(onBig).isInstanceOf(RecordResult.Accepted.class);
        assertThat(onSmall)
                .isInstanceOfSatisfying(
                        RecordResult.Failed.class,
                        f -> assertThat(f.error().code()).isEqualTo(KinesisError.VALIDATION));
        assertThat(deadLetters.letters).hasSize(1);
    }
}
