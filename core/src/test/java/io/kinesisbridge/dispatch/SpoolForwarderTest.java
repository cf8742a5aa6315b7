package io.kinesisbridge.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.dispatch.spool.ChannelOpener;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool forwarder on its own, with a real spool on disk and a dispatcher stand-in that notes what it is asked to
 * do: live records go to the spool in order and leave the pending budget, come back in the same order as forwarded
 * records, and are released from the spool once settled; a spool that takes no more gives records back.
 */
class SpoolForwarderTest {

    private static final String STREAM = "forwarded";
    private final ReentrantLock lock = new ReentrantLock();
    private final DispatchStats stats = new DispatchStats();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final DispatchSettings settings = DispatchSettings.defaults();
    private final PendingBudget budget = new PendingBudget(lock, settings.maxPendingBytes(), stats);
    private final NotingHost host = new NotingHost();
    private final List<StreamSpool> spools = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws InterruptedException {
        spools.forEach(StreamSpool::close);
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Notes the forwarder's calls; runs completions at once and pumps again on drain, as the dispatcher does. */
    final class NotingHost implements SpoolForwarder.Host {
        SpoolForwarder forwarder;
        volatile boolean mayForward;
        final List<DispatchEntry> entered = new CopyOnWriteArrayList<>();
        final List<DispatchEntry> givenBack = new CopyOnWriteArrayList<>();
        final List<KinesisError> givenBackWith = new CopyOnWriteArrayList<>();

        @Override
        public DispatchEntry releaseLane(DispatchEntry entry) {
            entry.laneReleased = true;
            return null;
        }

        @Override
        public void makeReady(DispatchEntry forwarded) {
            throw new AssertionError("no forwarded record is diverted in these tests");
        }

        @Override
        public List<DispatchEntry> takeQueued() {
            return new ArrayList<>();
        }

        @Override
        public void enterLane(DispatchEntry forwarded) {
            entered.add(forwarded);
        }

        @Override
        public void deadLetter(DispatchEntry entry, KinesisError reason, List<Runnable> afterUnlock) {
            throw new AssertionError("no record read back is invalid in these tests");
        }

        @Override
        public void giveBack(DispatchEntry entry, KinesisError error, List<Runnable> afterUnlock) {
            entry.finished = true;
            budget.leave(entry.claim);
            givenBack.add(entry);
            givenBackWith.add(error);
            afterUnlock.add(() -> entry.future.complete(new RecordResult.Failed(error)));
        }

        @Override
        public boolean mayForward() {
            return mayForward;
        }

        @Override
        public int maxRecordSizeBytes() {
            return PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
        }

        @Override
        public void complete(List<Runnable> tasks) {
            tasks.forEach(Runnable::run);
        }

        @Override
        public void drain() {
            if (forwarder.needsAttention()) {
                forwarder.pump();
            }
        }
    }

    private SpoolForwarder forwarder(long spoolMaxBytes) {
        StreamSpool spool = StreamSpool.open(
                STREAM,
                SpoolSettings.of(
                        dir.resolve("stream-" + STREAM), spoolMaxBytes, FsyncPolicy.ALWAYS, Duration.ofSeconds(1)),
                ChannelOpener.DEFAULT);
        spools.add(spool);
        SpoolForwarder forwarder = new SpoolForwarder(
                STREAM, "test-backend", spool, settings, stats, budget, lock, new DispatchTimers(scheduler), host);
        host.forwarder = forwarder;
        return forwarder;
    }

    /** A live record taken by the dispatcher: validated, holding its bytes in the pending budget. */
    private DispatchEntry taken(String key, String data) {
        DispatchEntry entry = new DispatchEntry(
                PutRecordValidator.validate(
                        PutRequest.of(STREAM, key, data.getBytes(StandardCharsets.UTF_8)),
                        PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES),
                Ordering.KEY);
        lock.lock();
        try {
            entry.claim = budget.take(entry.size);
        } finally {
            lock.unlock();
        }
        return entry;
    }

    private void toSpool(SpoolForwarder forwarder, List<DispatchEntry> entries) {
        lock.lock();
        try {
            entries.forEach(e -> forwarder.toSpool(e, "backend unreachable"));
            assertThat(forwarder.spooling()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    private static String data(DispatchEntry entry) {
        return new String(entry.command.data(), StandardCharsets.UTF_8);
    }

    @Test
    void liveRecords_areSpooledInOrder_leaveTheBudget_thenComeBackInOrder_andAreReleasedOnceSettled() throws Exception {
        SpoolForwarder forwarder = forwarder(1 << 20);
        List<DispatchEntry> live = List.of(taken("a", "a-1"), taken("b", "b-1"), taken("a", "a-2"));
        toSpool(forwarder, live);

        forwarder.pump();
        for (DispatchEntry e : live) {
            RecordResult result = e.future.get(30, TimeUnit.SECONDS);
            assertThat(result).isInstanceOf(RecordResult.Spooled.class);
        }
        lock.lock();
        try {
            assertThat(budget.records()).isZero();
            assertThat(budget.bytes()).isZero();
            assertThat(forwarder.spooled()).isEqualTo(3);
            assertThat(stats.recordsSpooled()).isEqualTo(3);
        } finally {
            lock.unlock();
        }
        assertThat(host.entered)
                .as("nothing is read back before the dispatcher may forward")
                .isEmpty();

        host.mayForward = true;
        host.drain();
        await().atMost(Duration.ofSeconds(30)).until(() -> host.entered.size() == 3);
        assertThat(host.entered).extracting(SpoolForwarderTest::data).containsExactly("a-1", "b-1", "a-2");
        assertThat(host.entered).allSatisfy(e -> {
            assertThat(e.forwarded).isTrue();
            assertThat(e.spoolEnd).isNotNull();
            assertThat(e.claim).as("a record read back is not pending").isNull();
        });

        lock.lock();
        try {
            for (DispatchEntry e : host.entered) {
                e.finished = true;
                forwarder.settled(e, true);
                forwarder.releaseSettled();
            }
            assertThat(forwarder.spooled()).isZero();
            assertThat(forwarder.spooling()).isFalse();
        } finally {
            lock.unlock();
        }
        spools.forEach(StreamSpool::close);
        spools.clear();
        SpoolForwarder reopened = forwarder(1 << 20);
        lock.lock();
        try {
            assertThat(reopened.spooled())
                    .as("released records are not found again")
                    .isZero();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aSpoolThatTakesNoMore_givesTheRestBack_andTheNextRecordsAtOnce() throws Exception {
        // room for the first record only: the spool always takes one frame when it is empty
        SpoolForwarder forwarder = forwarder(500);
        String padding = "x".repeat(400);
        List<DispatchEntry> live =
                List.of(taken("a", "a-1" + padding), taken("b", "b-1" + padding), taken("c", "c-1" + padding));
        toSpool(forwarder, live);

        forwarder.pump();
        assertThat(live.get(0).future.get(30, TimeUnit.SECONDS)).isInstanceOf(RecordResult.Spooled.class);
        for (DispatchEntry e : live.subList(1, 3)) {
            RecordResult result = e.future.get(30, TimeUnit.SECONDS);
            assertThat(result)
                    .isInstanceOfSatisfying(
                            RecordResult.Failed.class,
                            f -> assertThat(f.error().code()).isEqualTo(KinesisError.BRIDGE_SATURATED));
        }
        assertThat(host.givenBack).containsExactly(live.get(1), live.get(2));

        DispatchEntry next = taken("d", "d-1");
        lock.lock();
        try {
            assertThat(forwarder.refusesNew()).isTrue();
            forwarder.toSpool(next, "backend unreachable");
            List<Runnable> deferred = forwarder.takeDeferred();
            assertThat(deferred).hasSize(1);
            deferred.forEach(Runnable::run);
            assertThat(budget.records()).isZero();
            assertThat(budget.bytes()).isZero();
        } finally {
            lock.unlock();
        }
        assertThat(next.future.getNow(null)).isInstanceOf(RecordResult.Failed.class);
        assertThat(stats.spoolBlocked()).isEqualTo(1);
    }

    @Test
    void recordsLeftAtStop_areSpooled_andLeaveTheBudget() throws Exception {
        SpoolForwarder forwarder = forwarder(1 << 20);
        List<DispatchEntry> left = List.of(taken("a", "a-1"), taken("a", "a-2"));
        lock.lock();
        try {
            assertThat(forwarder.awaitAppendThenSettle(true)).isTrue();
            assertThat(forwarder.spooling())
                    .as("settling: new live records go behind the stop's append")
                    .isTrue();
        } finally {
            lock.unlock();
        }
        int written = forwarder.appendAtStop(left).get(30, TimeUnit.SECONDS);
        assertThat(written).isEqualTo(2);
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            forwarder.appendedAtStop(left, written, afterUnlock);
            assertThat(forwarder.spooling())
                    .as("the stop's append is over, its records on disk")
                    .isTrue();
        } finally {
            lock.unlock();
        }
        afterUnlock.forEach(Runnable::run);
        for (DispatchEntry e : left) {
            assertThat(e.future.get(30, TimeUnit.SECONDS)).isInstanceOf(RecordResult.Spooled.class);
        }
        lock.lock();
        try {
            assertThat(budget.records()).isZero();
            assertThat(budget.bytes()).isZero();
            assertThat(forwarder.spooled()).isEqualTo(2);
        } finally {
            lock.unlock();
        }
    }
}
