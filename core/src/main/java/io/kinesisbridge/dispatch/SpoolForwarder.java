package io.kinesisbridge.dispatch;

import io.kinesisbridge.dispatch.spool.SpoolPosition;
import io.kinesisbridge.dispatch.spool.SpoolRead;
import io.kinesisbridge.dispatch.spool.SpoolRecord;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.RecordResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store and forward for one stream: live records that cannot reach Kinesis go to the tail of the spool's backlog and
 * are appended to the spool one batch (one fsync) at a time; while the spool holds records every newly ready live
 * record follows them there, so that none overtakes an older spooled record of its key. The spool is read back in
 * order into a bounded window of forwarded records that the dispatcher sends through the same lanes, pacing and
 * batching; the spool is released up to the first forwarded record not yet settled. Records the spool cannot take
 * (full, or a write error) go back to their sources, and while it takes nothing new records are refused.
 *
 * <p>It is a little over 500 lines because the backlog, the appends and the read-back window keep one invariant
 * together (no record overtakes an older spooled record of its key); cut apart, each piece would have to re-check it.
 *
 * <p>Not thread-safe on its own: the methods marked "guarded by lock" are called with the dispatcher's lock held,
 * the others without it (they take it themselves, and call the {@link Host} back as marked there).
 */
final class SpoolForwarder {

    /** What the forwarder needs from the dispatcher: the first six with the lock held, the others without it. */
    interface Host {
        /** Frees the record's place in its key's lane; returns the record of the key that waited behind it. */
        DispatchEntry releaseLane(DispatchEntry entry);

        /** A forwarded record is ready: to its shard's queue. */
        void makeReady(DispatchEntry forwarded);

        List<DispatchEntry> takeQueued();

        /** A record read back enters its key's lane. */
        void enterLane(DispatchEntry forwarded);

        /** Gives a record up: its dead letter is written by one of {@code afterUnlock}. */
        void deadLetter(DispatchEntry entry, KinesisError reason, List<Runnable> afterUnlock);

        /** A live record goes back to its source, not sent, with {@code error}. */
        void giveBack(DispatchEntry entry, KinesisError error, List<Runnable> afterUnlock);

        /** Whether records may be read back: the stream's description is in and the dispatcher is open. */
        boolean mayForward();

        int maxRecordSizeBytes();

        /** Runs the tasks (completions, dead letters) on the completions executor. */
        void complete(List<Runnable> tasks);

        /** Sends what is ready, and pumps the spool again. */
        void drain();
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** How long a spool that could not take records (full, or a write error) is left alone before the next try. */
    private static final long SPOOL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Most records and bytes written to the spool in one append (one fsync). */
    private static final int APPEND_RECORDS = 5_000;

    private static final long APPEND_BYTES = 8L << 20;

    private final String streamName;
    private final String backendName;
    private final StreamSpool spool;
    private final DispatchStats stats;
    private final PendingBudget budget;
    private final ReentrantLock lock;
    private final DispatchTimers timers;
    private final Host host;
    private final int windowMaxRecords;
    private final long windowMaxBytes;
    // ---- guarded by lock
    /** Live records on their way to the spool, oldest first; they are still pending (in memory). */
    private final ArrayDeque<DispatchEntry> backlog = new ArrayDeque<>();
    /** The records of the append in flight, taken from the front of the backlog. */
    private List<DispatchEntry> appending = List.of();

    private final Condition appended;
    private boolean blocked;
    /** Completions decided under the lock where no list of work for after it is at hand; drain() runs them. */
    private final List<Runnable> deferred = new ArrayList<>();

    private boolean readInFlight;
    /** Records on disk neither acknowledged nor dead-lettered (those being forwarded included). */
    private long spooled;
    /** Records on disk not yet read back. */
    private long unread;
    /** Forwarded records in memory. */
    private int window;

    private long windowBytes;
    /** The forwarded records read from disk, in spool order: the spool is released up to the first unfinished one. */
    private final ArrayDeque<DispatchEntry> windowOrder = new ArrayDeque<>();
    /** The last answer for a forwarded record was a retryable failure: read no more until one gets through. */
    private boolean forwardFailing;

    private boolean warnedFull;
    /** The records left at stop are being written to the spool: nothing else is appended or sent around them. */
    private boolean settling;
    // ----
    /** Anything to pump: a backlog to write, or records to read back. */
    private volatile boolean attention;

    /**
     * @param spool opened: the records it holds from an earlier run are counted in (as records in, and spooled) and
     *              forwarded once {@link Host#mayForward()}
     */
    SpoolForwarder(
            String streamName,
            String backendName,
            StreamSpool spool,
            DispatchSettings settings,
            DispatchStats stats,
            PendingBudget budget,
            ReentrantLock lock,
            DispatchTimers timers,
            Host host) {
        this.streamName = streamName;
        this.backendName = backendName;
        this.spool = spool;
        this.stats = stats;
        this.budget = budget;
        this.lock = lock;
        this.appended = lock.newCondition();
        this.timers = timers;
        this.host = host;
        this.windowMaxRecords = settings.maxConcurrentRequests() * settings.maxBatchRecords();
        this.windowMaxBytes = Math.min(settings.maxPendingBytes(), 4L * settings.maxBatchBytes());
        long found = spool.recoveredRecords();
        spooled = found;
        unread = found;
        attention = found > 0;
        stats.recordsIn.add(found);
        stats.spoolRecovered.add(found);
        stats.spooledRecords.set(found);
        if (found > 0) {
            LOG.info(
                    "Stream {}: {} records in the spool from an earlier run; they are sent first, in order",
                    streamName,
                    found);
        }
    }

    /** Guarded by lock. Whether ready live records go to the spool: it holds records, or some are on their way. */
    boolean spooling() {
        return settling || spooled > 0 || !backlog.isEmpty() || !appending.isEmpty();
    }

    /** Guarded by lock. Whether new records are refused at once: the spool takes nothing and records go there. */
    boolean refusesNew() {
        return blocked && spooling();
    }

    /** Guarded by lock. Records on disk neither acknowledged nor dead-lettered. */
    long spooled() {
        return spooled;
    }

    long bytes() {
        return spool.bytes();
    }

    /**
     * Guarded by lock. Puts a live record at the tail of the backlog and lets its key's next records follow it there;
     * the first time, the records waiting in the shard queues go too, rather than keep trying.
     */
    void toSpool(DispatchEntry first, String reason) {
        boolean starting = !spooling();
        DispatchEntry e = first;
        while (e != null) {
            if (e.forwarded) {
                host.makeReady(e);
                break;
            }
            e.spoolReason = reason;
            DispatchEntry next = host.releaseLane(e);
            if (blocked) {
                giveBack(e, deferred);
            } else {
                backlog.addLast(e);
            }
            e = next;
        }
        if (starting) {
            LOG.warn(
                    "Stream {}: {} cannot take records ({}); they go to the spool and are sent when it answers again",
                    streamName,
                    backendName,
                    reason);
            List<DispatchEntry> queued = host.takeQueued();
            queued.sort((a, b) -> Long.compare(a.readyNanos, b.readyNanos));
            for (DispatchEntry q : queued) {
                toSpool(q, behindSpooled());
            }
        }
        attention = true;
    }

    /** Guarded by lock. A live record that did not fail goes to the spool behind the older records there. */
    void followSpooled(DispatchEntry entry) {
        toSpool(entry, behindSpooled());
    }

    private String behindSpooled() {
        return "older records of stream " + streamName + " are in the spool";
    }

    /** Guarded by lock. The completions decided where no list of work for after the lock was at hand. */
    List<Runnable> takeDeferred() {
        if (deferred.isEmpty()) {
            return List.of();
        }
        List<Runnable> tasks = new ArrayList<>(deferred);
        deferred.clear();
        return tasks;
    }

    /** Guarded by lock. A forwarded record failed with a retryable error: read no more until one gets through. */
    void forwardFailed() {
        forwardFailing = true;
    }

    /** Guarded by lock. A record is settled: a forwarded one leaves the window, one read from disk the spool count. */
    void settled(DispatchEntry entry, boolean accepted) {
        if (entry.forwarded) {
            window--;
            windowBytes -= entry.size;
            if (accepted) {
                forwardFailing = false;
            }
        }
        if (entry.spoolEnd != null) {
            spooled--;
            stats.spooledRecords.decrementAndGet();
        }
    }

    /** Guarded by lock. After a record read from disk is settled: releases the spool up to the first unsettled one. */
    void releaseSettled() {
        SpoolPosition end = null;
        long count = 0;
        while (!windowOrder.isEmpty() && windowOrder.peekFirst().finished) {
            end = windowOrder.pollFirst().spoolEnd;
            count++;
        }
        if (end != null) {
            spool.release(end, count);
        }
        if (spooled == 0 && backlog.isEmpty() && appending.isEmpty()) {
            LOG.info("Stream {}: the spool is empty; records go straight to {} again", streamName, backendName);
        }
    }

    /** Whether there is anything to pump. */
    boolean needsAttention() {
        return attention;
    }

    /** Writes the backlog to the spool and reads records back into the window, as far as each can go now. */
    void pump() {
        pumpAppend();
        pumpForward();
    }

    /** Writes the backlog's oldest records to the spool, one append at a time (what piles up meanwhile goes next). */
    private void pumpAppend() {
        List<DispatchEntry> batch;
        lock.lock();
        try {
            if (!appending.isEmpty() || blocked || settling || backlog.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(Math.min(backlog.size(), APPEND_RECORDS));
            long bytes = 0;
            while (!backlog.isEmpty() && batch.size() < APPEND_RECORDS && bytes < APPEND_BYTES) {
                DispatchEntry e = backlog.pollFirst();
                batch.add(e);
                bytes += e.size;
            }
            appending = batch;
        } finally {
            lock.unlock();
        }
        List<SpoolRecord> records =
                batch.stream().map(DispatchEntry::toSpoolRecord).toList();
        CompletableFuture<Integer> written;
        try {
            written = spool.append(records);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((n, error) -> onAppended(batch, n == null ? 0 : n, error));
    }

    private void onAppended(List<DispatchEntry> batch, int written, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            appending = List.of();
            appended.signalAll();
            stats.spoolWriteFailures.set(spool.writeErrors());
            for (int i = 0; i < written; i++) {
                spooledNow(batch.get(i), batch.get(i).spoolReason, afterUnlock);
            }
            if (written < batch.size()) {
                // the spool takes no more: what it did not take, and what waits behind it, goes back to its sources
                for (int i = written; i < batch.size(); i++) {
                    giveBack(batch.get(i), afterUnlock);
                }
                while (!backlog.isEmpty()) {
                    giveBack(backlog.pollFirst(), afterUnlock);
                }
                blocked = true;
                stats.spoolBlocked.set(1);
                if (!warnedFull) {
                    warnedFull = true;
                    LOG.warn(
                            "Stream {}: the spool takes no more records ({}); until it has room, records that {} does not "
                                    + "take are given back to their sources (HTTP 503, MQTT not acknowledged, file tailing paused)",
                            streamName,
                            error == null
                                    ? "full: " + spool.bytes() + " bytes of "
                                            + spool.settings().maxBytes()
                                    : "write failed: "
                                            + StreamDispatcher.errorOf(error).message(),
                            backendName);
                }
                timers.schedule(this::unblock, SPOOL_RETRY_NANOS);
            } else if (warnedFull && backlog.isEmpty()) {
                warnedFull = false;
                LOG.info("Stream {}: the spool takes records again", streamName);
            }
            attention = !backlog.isEmpty() || unread > 0;
        } finally {
            lock.unlock();
        }
        host.complete(afterUnlock);
        host.drain();
    }

    /** Guarded by lock. A live record is on disk: no longer pending, its future completes as spooled. */
    private void spooledNow(DispatchEntry e, String reason, List<Runnable> afterUnlock) {
        e.finished = true;
        budget.leave(e.claim);
        spooled++;
        unread++;
        stats.spooledRecords.incrementAndGet();
        stats.recordsSpooled.increment();
        RecordResult result = new RecordResult.Spooled(reason);
        afterUnlock.add(() -> e.future.complete(result));
    }

    /**
     * Guarded by lock. A live record the spool could not take goes back to its source, not sent: its future
     * completes with BridgeSaturated, which the sources treat as "not taken, try again later".
     */
    private void giveBack(DispatchEntry e, List<Runnable> afterUnlock) {
        host.giveBack(
                e,
                new KinesisError(
                        KinesisError.BRIDGE_SATURATED,
                        "Stream " + streamName + ": " + backendName
                                + " does not take records (" + e.spoolReason
                                + ") and the spool is full; the record was not taken, try "
                                + "again later."),
                afterUnlock);
    }

    private void unblock() {
        lock.lock();
        try {
            blocked = false;
            stats.spoolBlocked.set(0);
        } finally {
            lock.unlock();
        }
        host.drain();
    }

    /** Reads the spool back into the window while it has room (while forwarded records fail, only when it is empty). */
    private void pumpForward() {
        int maxRecords;
        long maxBytes;
        lock.lock();
        try {
            int roomRecords = windowMaxRecords - window;
            long roomBytes = windowMaxBytes - windowBytes;
            if (readInFlight
                    || !host.mayForward()
                    || roomRecords <= 0
                    || roomBytes <= 0
                    || (forwardFailing && window > 0)
                    || unread <= 0) {
                return;
            }
            readInFlight = true;
            maxRecords = roomRecords;
            maxBytes = roomBytes;
        } finally {
            lock.unlock();
        }
        CompletableFuture<List<SpoolRead>> reads;
        try {
            reads = spool.read(maxRecords, maxBytes);
        } catch (RuntimeException e) {
            reads = CompletableFuture.failedFuture(e);
        }
        reads.whenComplete(this::onRead);
    }

    private void onRead(List<SpoolRead> reads, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            readInFlight = false;
            if (error != null) {
                LOG.warn(
                        "Stream {}: cannot read the spool back ({}); trying again in a second",
                        streamName,
                        StreamDispatcher.errorOf(error).message());
                timers.schedule(host::drain, TimeUnit.SECONDS.toNanos(1));
                return;
            }
            if (reads.isEmpty() && unread > 0) {
                // the rest was damaged on disk (skipped and copied aside when the spool was opened)
                LOG.warn("Stream {}: {} spooled records could not be read back", streamName, unread);
                unread = 0;
            }
            for (SpoolRead r : reads) {
                unread--;
                DispatchEntry e;
                KinesisError invalid = null;
                try {
                    e = new DispatchEntry(
                            PutRecordValidator.validate(r.record().command().toRequest(), host.maxRecordSizeBytes()),
                            r.record().ordering());
                    e.takenMillis = r.record().firstTakenMillis();
                } catch (KinesisException k) {
                    e = DispatchEntry.invalid(r.record().command());
                    invalid = k.error();
                }
                e.forwarded = true;
                e.spoolEnd = r.end();
                e.attempts = r.record().attempts();
                window++;
                windowBytes += e.size;
                windowOrder.addLast(e);
                if (invalid == null) {
                    host.enterLane(e);
                } else {
                    e.laneReleased = true;
                    host.deadLetter(e, invalid, afterUnlock);
                }
            }
            attention = !backlog.isEmpty() || unread > 0;
        } finally {
            lock.unlock();
        }
        host.complete(afterUnlock);
        host.drain();
    }

    /**
     * Guarded by lock. Waits up to 30 seconds for the append in flight; returns whether none is. When none is and
     * {@code begin}, the stop's own append begins: nothing else is appended or sent around it.
     */
    boolean awaitAppendThenSettle(boolean begin) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!appending.isEmpty()) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return false;
            }
            appended.awaitNanos(wait);
        }
        if (begin) {
            settling = true;
        }
        return true;
    }

    /** Guarded by lock. Takes the backlog out (for the stop's own append); nothing is pumped any more. */
    List<DispatchEntry> takeBacklog() {
        List<DispatchEntry> all = new ArrayList<>(backlog);
        backlog.clear();
        attention = false;
        return all;
    }

    /** Guarded by lock. Nothing is pumped any more. */
    void stopPumping() {
        attention = false;
    }

    /** Appends the records left at stop; completes with how many the spool took (a prefix of them). */
    CompletableFuture<Integer> appendAtStop(List<DispatchEntry> left) {
        return spool.append(left.stream().map(DispatchEntry::toSpoolRecord).toList());
    }

    /** Guarded by lock. The stop's append is over: the first {@code written} of {@code left} are on disk. */
    void appendedAtStop(List<DispatchEntry> left, int written, List<Runnable> afterUnlock) {
        for (int i = 0; i < written; i++) {
            spooledNow(
                    left.get(i),
                    "not acknowledged when the bridge stopped; sent after the restart (it may "
                            + "have reached Kinesis already)",
                    afterUnlock);
        }
        if (written > 0) {
            attention = true;
        }
        settling = false;
    }

    void close() {
        spool.close();
    }
}
