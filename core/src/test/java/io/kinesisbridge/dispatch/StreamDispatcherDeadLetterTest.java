package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.deadletter.HealthReportingDeadLetterSink;
import io.kinesisbridge.dispatch.spool.ChannelOpener;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.FullDisk;
import io.kinesisbridge.testing.SwitchableBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead letters on a disk that fills up (ENOSPC at the FileChannel): a record is counted as dead-lettered only once
 * its letter is in the file; a record whose letter cannot be written goes back to its source (BridgeSaturated), or,
 * when it was read back from the spool, stays there; the stream's dead-letter part is DOWN until a letter is
 * written again; and records in = acknowledged + dead-lettered + pending + spooled + returned throughout.
 */
class StreamDispatcherDeadLetterTest {

    private static final String STREAM = "s";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService answers = Executors.newFixedThreadPool(2);
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private final InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());
    private final SwitchableBackend backend = new SwitchableBackend(kinesis, answers);
    private final FullDisk disk = new FullDisk(0);
    private final BridgeHealth health = new BridgeHealth();
    private final List<StreamDispatcher> open = new ArrayList<>();

    @TempDir
    Path dir;

    StreamDispatcherDeadLetterTest() {
        kinesis.createStream(STREAM, 2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        open.forEach(d -> d.close(Duration.ZERO));
        scheduler.shutdownNow();
        answers.shutdownNow();
        completions.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private StreamDispatcher dispatcher(String stream, Optional<StreamSpool> spool) {
        FileDeadLetterSink files = new FileDeadLetterSink(dir.resolve("dead-letter"), 1 << 20, 3, disk.opener()::open);
        StreamDispatcher d = new StreamDispatcher(
                stream,
                backend,
                DispatchSettings.defaults().withRetry(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5))),
                new HealthReportingDeadLetterSink(files, health),
                scheduler,
                completions,
                spool);
        d.start();
        open.add(d);
        return d;
    }

    private static PutRequest record(String stream, String key, String data) {
        return PutRequest.of(stream, key, data.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> lettersOf(String stream) throws IOException {
        Path file = dir.resolve("dead-letter").resolve(stream + ".ndjson");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static void assertAccounting(StreamDispatcher d) {
        DispatchStats s = d.stats();
        assertThat(d.unaccounted())
                .as("records in - (acknowledged + dead-lettered + pending + spooled + returned)")
                .isZero();
        assertThat(s.recordsIn())
                .isEqualTo(s.recordsAcknowledged()
                        + s.recordsDeadLettered()
                        + s.pendingRecords()
                        + s.spooledRecords()
                        + s.recordsReturned());
    }

    private static String codeOf(RecordResult r) {
        return r instanceof RecordResult.Failed f
                ? f.error().code()
                : r.getClass().getSimpleName();
    }

    @Test
    void rejectedRecords_whoseLetterCannotBeWritten_goBackToTheirSources_andCountAsReturned_notDeadLettered()
            throws IOException {
        StreamDispatcher d = dispatcher(STREAM, Optional.empty());
        StreamDispatcher gone = dispatcher("gone", Optional.empty()); // Kinesis answers ResourceNotFound: not retryable
        List<CompletableFuture<RecordResult>> failing = List.of(
                d.submit(record(STREAM, "k".repeat(257), "too long a key"), Ordering.KEY),
                d.reject(
                        record(STREAM, null, "no key"), new KinesisError(KinesisError.MISSING_PARTITION_KEY, "no key")),
                gone.submit(record("gone", "k", "no such stream"), Ordering.KEY));
        RecordResult accepted = d.submit(record(STREAM, "k", "valid"), Ordering.KEY)
                .orTimeout(10, TimeUnit.SECONDS)
                .join();

        assertThat(failing)
                .extracting(f -> codeOf(f.orTimeout(10, TimeUnit.SECONDS).join()))
                .as("not safe, so not taken: the source keeps each record and tries again later")
                .containsOnly(KinesisError.BRIDGE_SATURATED);
        assertThat(accepted).as("valid records still go").isInstanceOf(RecordResult.Accepted.class);
        assertThat(lettersOf(STREAM)).isEmpty();
        assertThat(d.stats().recordsDeadLettered() + gone.stats().recordsDeadLettered())
                .isZero();
        assertThat(d.stats().recordsReturned()).isEqualTo(2);
        assertThat(gone.stats().recordsReturned()).isEqualTo(1);
        assertThat(d.stats().deadLetterWriteFailures()).isEqualTo(2);
        assertAccounting(d);
        assertAccounting(gone);
        assertThat(health.problems()).containsOnlyKeys("dead-letter:s", "dead-letter:gone");
        assertThat(health.problems().get("dead-letter:s")).contains("No space left on device");

        disk.free(1 << 20);
        RecordResult rejected = d.submit(record(STREAM, "k".repeat(257), "too long a key"), Ordering.KEY)
                .join();
        assertThat(codeOf(rejected)).isEqualTo(KinesisError.VALIDATION);
        assertThat(lettersOf(STREAM)).hasSize(1);
        assertThat(d.stats().recordsDeadLettered()).isEqualTo(1);
        assertAccounting(d);
        assertThat(health.problems())
                .as("a letter was written for s, not yet for gone")
                .containsOnlyKeys("dead-letter:gone");
    }

    @Test
    void spooledRecords_whoseLetterCannotBeWritten_stayInTheSpool_untilItCanBe() throws IOException {
        StreamSpool spool = StreamSpool.open(
                STREAM,
                SpoolSettings.of(dir.resolve("spool"), 1 << 30, FsyncPolicy.ALWAYS, Duration.ofSeconds(1)),
                ChannelOpener.DEFAULT);
        backend.down();
        StreamDispatcher d = dispatcher(STREAM, Optional.of(spool));
        List<CompletableFuture<RecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(d.submit(record(STREAM, "key-" + (i % 4), "record " + i), Ordering.KEY));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .join();
        assertThat(futures).allSatisfy(f -> assertThat(f.join()).isInstanceOf(RecordResult.Spooled.class));

        // the stream is gone when Kinesis answers again: every spooled record is for the dead-letter output, which is
        // full
        kinesis.deleteStream(STREAM);
        backend.up();
        await().atMost(Duration.ofSeconds(30)).until(() -> d.stats().deadLetterWriteFailures() >= 20);
        assertThat(d.stats().spooledRecords()).as("safe in the spool meanwhile").isEqualTo(20);
        assertThat(d.stats().recordsDeadLettered()).isZero();
        assertThat(health.isUp()).isFalse();
        assertAccounting(d);

        disk.free(1 << 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> d.stats().spooledRecords() == 0);
        assertThat(d.stats().recordsDeadLettered()).isEqualTo(20);
        assertThat(lettersOf(STREAM))
                .hasSize(20)
                .allSatisfy(l ->
                        assertThat(DeadLetterJson.read(l).error().code()).isEqualTo(KinesisError.RESOURCE_NOT_FOUND));
        assertThat(health.isUp()).isTrue();
        assertAccounting(d);
    }
}
