package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.dispatch.spool.ChannelOpener;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.FullDisk;
import io.kinesisbridge.testing.SwitchableBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store and forward: the dispatcher with a spool, against a real in-memory backend that is taken away and given
 * back, throttles, or has no such stream; a spool that fills up, a disk that fills up, a stop with records pending,
 * a restart. After each: nothing lost, per-key order kept, and records in = acknowledged + dead-lettered + pending +
 * spooled.
 */
class StreamDispatcherSpoolTest {

    private static final String STREAM = "spooled";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService answers = Executors.newFixedThreadPool(4);
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final CollectingDeadLetters deadLetters = new CollectingDeadLetters();
    private final InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
    private final SwitchableBackend backend = new SwitchableBackend(kinesis, answers);
    private final List<StreamDispatcher> open = new ArrayList<>();

    @TempDir
    Path dir;

    StreamDispatcherSpoolTest() {
        kinesis.createStream(STREAM, 4);
    }

    @AfterEach
    void stop() throws InterruptedException {
        SUBMITTED.clear();
        open.forEach(d -> d.close(Duration.ZERO));
        scheduler.shutdownNow();
        answers.shutdownNow();
        completions.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static DispatchSettings settings() {
        return DispatchSettings.defaults()
                .withRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)))
                .withMaxConcurrentRequests(4);
    }

    private StreamSpool spool(long maxBytes, ChannelOpener opener) {
        return StreamSpool.open(
                STREAM,
                SpoolSettings.of(dir.resolve("stream-" + STREAM), maxBytes, FsyncPolicy.ALWAYS, Duration.ofSeconds(1)),
                opener);
    }

    private StreamDispatcher dispatcher(String stream, DispatchSettings settings, StreamSpool spool) {
        StreamDispatcher d = new StreamDispatcher(
                stream, backend, settings, deadLetters, scheduler, completions, Optional.of(spool));
        d.start();
        open.add(d);
        return d;
    }

    private static PutRequest record(String key, int n, int padding) {
        return PutRequest.of(STREAM, key, (key + "#" + n + "#" + "x".repeat(padding)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Submits {@code perKey} records for each of {@code keys} keys, interleaved, and notes each key's records in
     * submission order (the order Kinesis must show them in); {@link #taken} drops those refused.
     */
    private static List<CompletableFuture<RecordResult>> submit(
            StreamDispatcher d,
            int keys,
            int from,
            int to,
            int padding,
            Duration maxWait,
            Map<String, List<String>> sent) {
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int n = from; n < to; n++) {
            for (int k = 0; k < keys; k++) {
                PutRequest r = record("key-" + k, n, padding);
                CompletableFuture<RecordResult> f = d.submit(r, Ordering.KEY, maxWait);
                futures.add(f);
                String data = new String(r.data(), StandardCharsets.UTF_8);
                synchronized (sent) {
                    sent.computeIfAbsent(r.partitionKey(), x -> new ArrayList<>())
                            .add(data);
                }
                SUBMITTED.put(data, f);
            }
        }
        return futures;
    }

    private static final Map<String, CompletableFuture<RecordResult>> SUBMITTED = new ConcurrentHashMap<>();

    /** The records of {@code sent} that were taken (not refused), per key in submission order; call once all are done. */
    private static Map<String, List<String>> taken(Map<String, List<String>> sent) {
        Map<String, List<String>> taken = new LinkedHashMap<>();
        sent.forEach((key, data) -> {
            List<String> kept = data.stream()
                    .filter(x -> !isRefused(SUBMITTED.get(x).join()))
                    .toList();
            if (!kept.isEmpty()) {
                taken.put(key, kept);
            }
        });
        return taken;
    }

    private static boolean isRefused(RecordResult r) {
        return r instanceof RecordResult.Failed f && f.error().code().equals(KinesisError.BRIDGE_SATURATED);
    }

    /** The stream's records per key, in shard (so per-key) order. */
    private Map<String, List<String>> arrived() {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (StreamRecord r : kinesis.readAll(STREAM)) {
            byKey.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                    .add(new String(r.data(), StandardCharsets.UTF_8));
        }
        return byKey;
    }

    private static void assertAccounting(StreamDispatcher d) {
        DispatchStats s = d.stats();
        assertThat(s.recordsIn())
                .as("records in = acknowledged + dead-lettered + pending + spooled + returned")
                .isEqualTo(s.recordsAcknowledged()
                        + s.recordsDeadLettered()
                        + s.pendingRecords()
                        + s.spooledRecords()
                        + s.recordsReturned());
        assertThat(d.unaccounted()).isZero();
    }

    private static void allDone(List<CompletableFuture<RecordResult>> futures) {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS)
                .join();
    }

    @Test
    void backendAway_recordsAreSpooled_thenForwardedInPerKeyOrder_evenWithNewRecordsArriving() {
        backend.down();
        StreamDispatcher d = dispatcher(STREAM, settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> first = submit(d, 10, 0, 30, 10, Duration.ofSeconds(30), sent);
        allDone(first);
        assertThat(first).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Spooled.class));
        assertThat(d.stats().spooledRecords()).isEqualTo(300);
        assertThat(kinesis.readAll(STREAM)).isEmpty();
        assertAccounting(d);

        backend.up();
        List<CompletableFuture<RecordResult>> second = submit(d, 10, 30, 60, 10, Duration.ofSeconds(30), sent);
        allDone(second);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.readAll(STREAM).size() >= 600);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.stats().spooledRecords() == 0 && d.pending() == 0);
        assertThat(arrived()).isEqualTo(taken(sent));
        assertThat(d.stats().recordsAcknowledged()).isEqualTo(600);
        assertThat(d.stats().recordsDeadLettered()).isZero();
        assertThat(deadLetters.letters).isEmpty();
        assertAccounting(d);
    }

    @Test
    void spooledRecords_surviveARestart_andAreSentFirst() {
        backend.down();
        StreamDispatcher before = dispatcher(STREAM, settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        allDone(submit(before, 5, 0, 40, 20, Duration.ofSeconds(30), sent));
        before.close(Duration.ofSeconds(1));

        StreamDispatcher after = dispatcher(STREAM, settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        assertThat(after.stats().spoolRecovered()).isEqualTo(200);
        assertThat(after.stats().recordsIn()).isEqualTo(200);
        assertAccounting(after);
        backend.up();
        allDone(submit(after, 5, 40, 50, 20, Duration.ofSeconds(30), sent));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.readAll(STREAM).size() >= 250);
        await().atMost(Duration.ofSeconds(10)).until(() -> after.stats().spooledRecords() == 0);
        assertThat(arrived()).isEqualTo(taken(sent));
        assertAccounting(after);
        // released records are not sent again by a third run
        after.close(Duration.ofSeconds(1));
        StreamDispatcher third = dispatcher(STREAM, settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        assertThat(third.stats().spoolRecovered()).isZero();
    }

    @Test
    void fullSpool_givesRecordsBackToTheirSources_andRefusesNewOnes_andDropsNothing() {
        backend.down();
        DispatchSettings settings = settings().withMaxPendingBytes(40 * 1024);
        StreamDispatcher d = dispatcher(STREAM, settings, spool(64 * 1024, ChannelOpener.DEFAULT));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int round = 0; round < 15; round++) {
            // a short wait for room: the spool fills first, then memory, then records are refused
            futures.addAll(submit(d, 8, round, round + 1, 1000, Duration.ofMillis(100), sent));
            assertAccounting(d);
        }
        allDone(futures); // nothing waits for Kinesis: spooled, or given back
        assertThat(d.stats().spooledRecords()).isGreaterThan(50);
        assertThat(d.spoolBytes()).isLessThanOrEqualTo(64 * 1024 + 2048);
        long refused = futures.stream().filter(f -> isRefused(f.join())).count();
        assertThat(refused)
                .isEqualTo(d.stats().recordsRefused() + d.stats().recordsReturned())
                .isPositive();
        assertThat(d.pending()).isZero();
        assertAccounting(d);

        backend.up();
        allDone(futures);
        await().atMost(Duration.ofSeconds(30)).until(() -> d.stats().spooledRecords() == 0 && d.pending() == 0);
        assertThat(arrived()).isEqualTo(taken(sent));
        assertThat(kinesis.readAll(STREAM)).hasSize(futures.size() - (int) refused);
        assertAccounting(d);
    }

    @Test
    void fullDisk_isTreatedLikeAFullSpool_recordsGoBackToTheirSources_andWhatWasSpooledIsSentWhenKinesisReturns() {
        backend.down();
        FullDisk disk = new FullDisk(24 * 1024);
        DispatchSettings settings = settings().withMaxPendingBytes(40 * 1024);
        StreamDispatcher d = dispatcher(STREAM, settings, spool(1 << 30, disk.opener()));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int round = 0; round < 40; round++) {
            futures.addAll(submit(d, 8, round, round + 1, 1000, Duration.ZERO, sent));
        }
        allDone(futures);
        assertThat(d.stats().spoolWriteFailures()).isPositive();
        assertThat(d.stats().recordsRefused() + d.stats().recordsReturned()).isPositive();
        assertThat(disk.failures.get()).isPositive();
        assertThat(d.stats().spooledRecords()).isPositive();
        assertAccounting(d);

        // Kinesis comes back while the disk is still full: what the spool holds goes, new records go straight
        backend.up();
        futures.addAll(submit(d, 8, 40, 45, 1000, Duration.ofSeconds(5), sent));
        allDone(futures);
        await().atMost(Duration.ofSeconds(30)).until(() -> d.stats().spooledRecords() == 0 && d.pending() == 0);
        assertThat(arrived()).isEqualTo(taken(sent));
        long refused = futures.stream().filter(f -> isRefused(f.join())).count();
        assertThat(kinesis.readAll(STREAM)).hasSize(futures.size() - (int) refused);
        assertAccounting(d);
    }

    @Test
    void errorsNoResendCanFix_stillGoToTheDeadLetterOutput() {
        StreamDispatcher d = dispatcher("no-such-stream", settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        RecordResult r = d.submit(PutRequest.of("no-such-stream", "k", new byte[] {1}), Ordering.KEY)
                .join();
        assertThat(r).isInstanceOf(RecordResult.Failed.class);
        assertThat(((RecordResult.Failed) r).error().code()).isEqualTo(KinesisError.RESOURCE_NOT_FOUND);
        assertThat(deadLetters.letters).hasSize(1);
        assertThat(d.stats().recordsSpooled()).isZero();
        assertAccounting(d);
    }

    @Test
    void stop_spoolsWhatIsStillPending_andTheNextRunSendsIt() {
        backend.down();
        DispatchSettings patient =
                settings().withRetry(new RetryPolicy(1_000, Duration.ofMillis(20), Duration.ofMillis(50)));
        StreamDispatcher before = dispatcher(STREAM, patient, spool(1 << 30, ChannelOpener.DEFAULT));
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> futures = submit(before, 6, 0, 20, 5, Duration.ofSeconds(30), sent);
        assertThat(before.pending()).isEqualTo(120); // still being retried: nothing used its budget up
        before.close(Duration.ofMillis(200));
        allDone(futures);
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Spooled.class));
        assertThat(before.stats().spooledRecords()).isEqualTo(120);
        assertAccounting(before);

        backend.up();
        StreamDispatcher after = dispatcher(STREAM, settings(), spool(1 << 30, ChannelOpener.DEFAULT));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinesis.readAll(STREAM).size() >= 120);
        assertThat(arrived()).isEqualTo(taken(sent));
        assertAccounting(after);
    }

    @Test
    void throttlingPastTheRetryBudget_spools_andTheSpoolDrainsAtTheShardsPace() {
        InMemoryKinesis limited = new InMemoryKinesis(new MemoryBackendSettings(
                true, 200, 1 << 20, 1L << 30, MemoryBackendSettings.DEFAULT_ACCOUNT_ID, "us-east-1"));
        limited.createStream(STREAM, 1);
        SwitchableBackend throttling = new SwitchableBackend(limited, answers);
        StreamDispatcher d = new StreamDispatcher(
                STREAM,
                throttling,
                settings().withFlowControl(FlowControl.off()),
                deadLetters,
                scheduler,
                completions,
                Optional.of(spool(1 << 30, ChannelOpener.DEFAULT)));
        open.add(d);
        d.start().join();
        Map<String, List<String>> sent = new LinkedHashMap<>();
        List<CompletableFuture<RecordResult>> futures = submit(d, 10, 0, 60, 10, Duration.ofSeconds(30), sent);
        allDone(futures);
        assertThat(d.stats().recordsThrottled()).isPositive();
        assertThat(d.stats().recordsSpooled()).isPositive();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> limited.readAll(STREAM).size() >= 600);
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (StreamRecord r : limited.readAll(STREAM)) {
            byKey.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                    .add(new String(r.data(), StandardCharsets.UTF_8));
        }
        assertThat(byKey).isEqualTo(taken(sent));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.stats().spooledRecords() == 0);
        assertThat(d.stats().recordsDeadLettered()).isZero();
        assertAccounting(d);
    }
}
