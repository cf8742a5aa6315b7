package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.KinesisError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At the stop, settles the records still pending: takes them out of the dispatcher in per-key order and writes them
 * to the spool, or dead-letters them when there is no spool or it cannot take them. Records forwarded from disk stay
 * where they are, in the spool. Takes the dispatcher's lock itself; called without it.
 */
final class StopSettler {

    /** Gives a record up under the lock; its dead letter is written by one of {@code afterUnlock}. */
    interface DeadLettering {
        void deadLetter(DispatchEntry entry, KinesisError reason, List<Runnable> afterUnlock);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);

    private final String streamName;
    private final ReentrantLock lock;
    private final PendingBudget budget;
    private final InFlightRequests inFlight;
    private final ShardQueues queues;
    private final KeyLanes lanes;
    /** Null when the stream has no spool. */
    private final SpoolForwarder forwarder;

    private final DeadLettering deadLettering;

    StopSettler(
            String streamName,
            ReentrantLock lock,
            PendingBudget budget,
            InFlightRequests inFlight,
            ShardQueues queues,
            KeyLanes lanes,
            SpoolForwarder forwarder,
            DeadLettering deadLettering) {
        this.streamName = streamName;
        this.lock = lock;
        this.budget = budget;
        this.inFlight = inFlight;
        this.queues = queues;
        this.lanes = lanes;
        this.forwarder = forwarder;
        this.deadLettering = deadLettering;
    }

    /** Spools the records still pending, in per-key order, or dead-letters them when there is no spool or no room. */
    void settle(Duration timeout) {
        List<DispatchEntry> left = List.of();
        lock.lock();
        try {
            boolean settle = budget.records() > 0;
            if ((forwarder == null || forwarder.awaitAppendThenSettle(settle)) && settle) {
                left = takeLeftovers();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (left.isEmpty()) {
            return;
        }
        List<DispatchEntry> unspooled = forwarder == null ? left : spool(left, timeout);
        List<Runnable> afterUnlock = new ArrayList<>();
        if (!unspooled.isEmpty()) {
            LOG.warn(
                    "Stream {}: {} records were not acknowledged within {}; they go to the dead-letter output",
                    streamName,
                    unspooled.size(),
                    timeout);
            lock.lock();
            try {
                for (DispatchEntry entry : unspooled) {
                    KinesisError error = new KinesisError(
                            KinesisError.SHUTDOWN,
                            "Not acknowledged when the bridge " + "stopped after " + entry.attempts
                                    + " attempts; it may or may not have reached Kinesis.");
                    entry.laneReleased = true;
                    deadLettering.deadLetter(entry, error, afterUnlock);
                }
            } finally {
                lock.unlock();
            }
        }
        Completions.runHere(afterUnlock);
    }

    /** Writes the leftovers to the spool; returns those it could not take (full, a write error). */
    private List<DispatchEntry> spool(List<DispatchEntry> left, Duration timeout) {
        int written = 0;
        try {
            written = forwarder.appendAtStop(left).get(Math.max(10, timeout.toSeconds()), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "Stream {}: could not spool the records left at stop: {}",
                    streamName,
                    StreamDispatcher.errorOf(e).message());
        }
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            forwarder.appendedAtStop(left, written, afterUnlock);
        } finally {
            lock.unlock();
        }
        if (written > 0) {
            LOG.info(
                    "Stream {}: {} records not acknowledged at stop were written to the spool; they are sent after "
                            + "the restart",
                    streamName,
                    written);
        }
        Completions.runHere(afterUnlock);
        return left.subList(written, left.size());
    }

    /**
     * Guarded by lock. Takes every pending record out of the dispatcher, in an order that keeps each key's order:
     * records forwarded from the backlog, the backlog, the records that were in flight, waiting for a retry or
     * queued, then those waiting behind them. Records forwarded from disk are left where they are, in the spool.
     */
    private List<DispatchEntry> takeLeftovers() {
        List<DispatchEntry> active = inFlight.takeAll();
        active.addAll(queues.takeAll());
        List<DispatchEntry> waiting = lanes.takeWaiting();
        List<DispatchEntry> left = new ArrayList<>();
        for (List<DispatchEntry> group : List.of(active, waiting)) {
            for (DispatchEntry e : group) {
                if (e.forwarded && e.spoolEnd == null && !e.finished) {
                    left.add(e);
                }
            }
        }
        if (forwarder != null) {
            left.addAll(forwarder.takeBacklog());
        }
        for (List<DispatchEntry> group : List.of(active, waiting)) {
            for (DispatchEntry e : group) {
                if (!e.forwarded && !e.finished) {
                    left.add(e);
                }
            }
        }
        return left;
    }
}
