package io.kinesisbridge.dispatch;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The stream's pending records and the bytes they hold against {@link DispatchSettings#maxPendingBytes()}. A record
 * takes a {@link Claim} when it is taken; its bytes leave the budget once (when it is dead-lettered, or when it
 * leaves), and it leaves pending once. Every release goes through {@link #releaseBytes(Claim)} and
 * {@link #leave(Claim)}, which always wake the submitters waiting for room and, at zero, those waiting for idle.
 *
 * <p>Not thread-safe on its own: every method is called with the dispatcher's lock held, the lock the conditions
 * belong to.
 */
final class PendingBudget {

    /** One record's hold on the budget. */
    static final class Claim {
        final int size;
        private boolean bytesReleased;
        private boolean left;

        private Claim(int size) {
            this.size = size;
        }
    }

    private final long maxBytes;
    private final DispatchStats stats;
    private final Condition room;
    private final Condition idle;
    private int records;
    private long bytes;

    PendingBudget(ReentrantLock lock, long maxBytes, DispatchStats stats) {
        this.maxBytes = maxBytes;
        this.stats = stats;
        this.room = lock.newCondition();
        this.idle = lock.newCondition();
    }

    int records() {
        return records;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Waits up to {@code maxWait} until {@code size} more bytes fit; a record larger than the whole budget fits when
     * nothing else is pending. {@code mayWait} false (the caller would wait for itself) takes the record at once
     * when a wait would be needed; {@code closed} ends the wait with a refusal.
     */
    boolean admit(int size, Duration maxWait, boolean mayWait, BooleanSupplier closed) {
        if (bytes == 0 || bytes + size <= maxBytes) {
            return true;
        }
        if (maxWait.isZero() || maxWait.isNegative()) {
            return false;
        }
        if (!mayWait) {
            return true;
        }
        long left = maxWait.toNanos();
        try {
            while (bytes != 0 && bytes + size > maxBytes && !closed.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = room.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed.getAsBoolean();
    }

    /** A record is taken: it is pending and its bytes count until released. */
    Claim take(int size) {
        records++;
        bytes += size;
        stats.pendingRecords.incrementAndGet();
        stats.pendingBytes.addAndGet(size);
        stats.pendingBytesHighWater.accumulateAndGet(bytes, Math::max);
        return new Claim(size);
    }

    /** The record's bytes no longer count (it is still pending: its dead letter is being written, say). */
    void releaseBytes(Claim claim) {
        if (claim.bytesReleased) {
            return;
        }
        claim.bytesReleased = true;
        bytes -= claim.size;
        stats.pendingBytes.addAndGet(-claim.size);
        room.signalAll();
    }

    /** The record is no longer pending (acknowledged, dead-lettered, spooled or given back); its bytes go too. */
    void leave(Claim claim) {
        if (claim.left) {
            return;
        }
        claim.left = true;
        records--;
        stats.pendingRecords.decrementAndGet();
        releaseBytes(claim);
        if (records == 0) {
            idle.signalAll();
        }
    }

    /** Wakes the submitters waiting for room, so that they see the dispatcher closed. */
    void wakeWaiters() {
        room.signalAll();
    }

    /** Waits up to {@code nanos} until nothing is pending; returns whether nothing is. */
    boolean awaitIdle(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (records > 0) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return false;
            }
            idle.awaitNanos(wait);
        }
        return true;
    }
}
