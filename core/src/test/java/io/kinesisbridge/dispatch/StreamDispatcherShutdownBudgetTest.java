package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.dispatch.spool.ChannelOpener;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.testing.HeldBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records spooled at shutdown leave the pending budget like any other: a source waiting for room is woken at once,
 * not left waiting for the rest of its wait.
 */
class StreamDispatcherShutdownBudgetTest {

    private static final String STREAM = "stopping";
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService completions = Executors.newSingleThreadExecutor();
    private StreamDispatcher dispatcher;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        if (dispatcher != null) {
            dispatcher.close(Duration.ZERO);
        }
        scheduler.shutdownNow();
        completions.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static PutRequest record(String key) {
        return PutRequest.of(STREAM, key, "x".repeat(200).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordsSpooledAtShutdown_wakeASubmitterWaitingForRoom() throws Exception {
        StreamSpool spool = StreamSpool.open(
                STREAM,
                SpoolSettings.of(dir.resolve("stream-" + STREAM), 1 << 20, FsyncPolicy.ALWAYS, Duration.ofSeconds(1)),
                ChannelOpener.DEFAULT);
        // room for one record: the second waits until the first leaves the budget
        DispatchSettings settings = DispatchSettings.defaults().withMaxPendingBytes(300);
        // puts are never answered: the first record stays in flight until the stop spools it
        dispatcher = new StreamDispatcher(
                STREAM,
                HeldBackend.withStream(STREAM),
                settings,
                new CollectingDeadLetters(),
                scheduler,
                completions,
                Optional.of(spool));
        dispatcher.start().get(30, TimeUnit.SECONDS);

        CompletableFuture<RecordResult> inFlight = dispatcher.submit(record("a"), Ordering.KEY);
        AtomicReference<CompletableFuture<RecordResult>> second = new AtomicReference<>();
        Thread waiter = new Thread(() -> second.set(dispatcher.submit(record("b"), Ordering.KEY, Duration.ofHours(1))));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        waiter.setUncaughtExceptionHandler((t, e) -> thrown.set(e));
        waiter.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
        assertThat(second.get()).as("the second record waits for room").isNull();

        dispatcher.beginShutdown(Duration.ZERO);

        assertThat(inFlight.get(30, TimeUnit.SECONDS)).isInstanceOf(RecordResult.Spooled.class);
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(waiter.isAlive())
                .as("the submitter waiting for room was woken when the budget emptied")
                .isFalse();
        assertThat(thrown.get()).isNull();
        // taken, not refused: it goes to the spool behind the first (when, depends on the stop's progress)
        assertThat(second.get())
                .satisfiesAnyOf(
                        f -> assertThat(f).isNotDone(),
                        f -> assertThat(f.join()).isInstanceOf(RecordResult.Spooled.class));
        assertThat(dispatcher.unaccounted()).isZero();
    }
}
