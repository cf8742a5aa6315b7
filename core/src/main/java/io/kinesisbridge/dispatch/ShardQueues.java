package io.kinesisbridge.dispatch;

import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ready records of a stream, one queue per open shard (and one for records no known shard owns): routing, taking
 * the next request's records where the shards' budgets have room, the linger wait for fuller batches, and the timer
 * that wakes the sender when a paced shard has room again. Chain records and records larger than a batch go alone
 * ("singles"); the others fill batches.
 *
 * <p>Not thread-safe on its own: every method is called with the dispatcher's lock held; the timers it arms take
 * that lock, then call {@code wake} (the dispatcher's drain) without it.
 */
final class ShardQueues {

    private final ReentrantLock lock;
    private final DispatchSettings settings;
    private final DispatchStats stats;
    private final DispatchTimers timers;
    private final Runnable wake;
    private final Runnable shardMapStale;
    /** Records no known shard owns, or every record while flow control is off: sent without pacing. */
    private final ShardQueue unrouted = new ShardQueue("unrouted", null, null);

    private List<ShardQueue> queues = List.of();
    private Optional<ShardMap> shardMap = Optional.empty();
    private int readyBatchable;
    private int readySingles;
    private int roundRobin;
    private boolean lingerTimerSet;
    private long wakeAtNanos;
    private boolean wakeTimerSet;

    /**
     * @param wake          sends what is ready; called without the lock
     * @param shardMapStale asks for the shard map again (a hash key no open shard owns); called without the lock
     */
    ShardQueues(
            ReentrantLock lock,
            DispatchSettings settings,
            DispatchStats stats,
            DispatchTimers timers,
            Runnable wake,
            Runnable shardMapStale) {
        this.lock = lock;
        this.settings = settings;
        this.stats = stats;
        this.timers = timers;
        this.wake = wake;
        this.shardMapStale = shardMapStale;
    }

    Optional<ShardMap> shardMap() {
        return shardMap;
    }

    /** The first single (chain or oversized record) whose shard has budget, shards in turn; null when none. */
    DispatchEntry pollSingle(long now) {
        if (readySingles == 0) {
            return null;
        }
        int n = queues.size();
        for (int i = -1; i < n; i++) {
            ShardQueue q = i < 0 ? unrouted : queues.get((roundRobin + i) % n);
            DispatchEntry head = q.singles.peekFirst();
            if (head != null && q.fits(head, now)) {
                q.singles.pollFirst();
                readySingles--;
                q.sent(head);
                return head;
            }
        }
        return null;
    }

    /**
     * Up to maxBatchRecords and maxBatchBytes of ready records whose shards have budget, taking shards in turn from a
     * rotating start so that no shard waits behind the others; empty while a partly filled batch lingers for more
     * (not once {@code closing}).
     */
    List<DispatchEntry> takeBatch(long now, boolean closing) {
        if (readyBatchable == 0 || lingering(now, closing)) {
            return List.of();
        }
        int max = Math.min(settings.maxBatchRecords(), readyBatchable);
        List<DispatchEntry> batch = new ArrayList<>(max);
        long bytes = 0;
        int n = queues.size();
        for (int i = -1; i < n && batch.size() < max; i++) {
            ShardQueue q = i < 0 ? unrouted : queues.get((roundRobin + i) % n);
            while (batch.size() < max) {
                DispatchEntry head = q.batchable.peekFirst();
                if (head == null
                        || (!batch.isEmpty() && bytes + head.size > settings.maxBatchBytes())
                        || !q.fits(head, now)) {
                    break;
                }
                q.batchable.pollFirst();
                readyBatchable--;
                q.sent(head);
                batch.add(head);
                bytes += head.size;
            }
        }
        if (n > 0) {
            roundRobin = (roundRobin + 1) % n;
        }
        return batch;
    }

    /** Whether a partly filled batch should wait for more records; arms the timer that ends the wait. */
    private boolean lingering(long now, boolean closing) {
        long lingerNanos = settings.linger().toNanos();
        if (lingerNanos == 0 || closing || readyBatchable >= settings.maxBatchRecords()) {
            return false;
        }
        long oldest = Long.MAX_VALUE;
        int n = queues.size();
        for (int i = -1; i < n; i++) {
            DispatchEntry head = (i < 0 ? unrouted : queues.get(i)).batchable.peekFirst();
            if (head != null && head.readyNanos < oldest) {
                oldest = head.readyNanos;
            }
        }
        long waited = now - oldest;
        if (waited >= lingerNanos) {
            return false;
        }
        if (!lingerTimerSet) {
            lingerTimerSet = true;
            timers.schedule(
                    () -> {
                        lock.lock();
                        try {
                            lingerTimerSet = false;
                        } finally {
                            lock.unlock();
                        }
                        wake.run();
                    },
                    lingerNanos - waited);
        }
        return true;
    }

    /** When ready records wait only for their shards' budget, wakes the sender when one has room. */
    void armWakeTimer(long now) {
        long soonest = Long.MAX_VALUE;
        for (ShardQueue q : queues) {
            DispatchEntry head = q.batchable.peekFirst();
            if (head != null) {
                soonest = Math.min(soonest, q.budget.nanosUntilFits(head.size, now));
            }
            head = q.singles.peekFirst();
            if (head != null) {
                soonest = Math.min(soonest, q.budget.nanosUntilFits(head.size, now));
            }
        }
        if (soonest == Long.MAX_VALUE) {
            return;
        }
        long due = now + Math.max(soonest, TimeUnit.MICROSECONDS.toNanos(200));
        if (wakeTimerSet && wakeAtNanos - due <= 0) {
            return; // an earlier wake-up is already on its way
        }
        wakeTimerSet = true;
        wakeAtNanos = due;
        timers.schedule(
                () -> {
                    lock.lock();
                    try {
                        if (wakeAtNanos == due) {
                            wakeTimerSet = false;
                        }
                    } finally {
                        lock.unlock();
                    }
                    wake.run();
                },
                due - now);
    }

    /** Puts a ready record in its shard's queue; a resent record goes first. */
    void enqueue(DispatchEntry entry, boolean first) {
        ShardQueue q = route(entry);
        boolean single = isSingle(entry);
        ArrayDeque<DispatchEntry> deque = single ? q.singles : q.batchable;
        if (first) {
            deque.addFirst(entry);
        } else {
            deque.addLast(entry);
        }
        if (single) {
            readySingles++;
        } else {
            readyBatchable++;
        }
        if (q.stats != null) {
            q.stats.queuedRecords.incrementAndGet();
        }
    }

    private ShardQueue route(DispatchEntry entry) {
        if (!settings.flowControl().enabled() || shardMap.isEmpty()) {
            return unrouted;
        }
        int index = shardMap.get().indexFor(entry.hashKey);
        if (index < 0) {
            // a gap in the open shards: the stream is being resharded; send unpaced and read the map again
            timers.schedule(shardMapStale, 0);
            return unrouted;
        }
        return queues.get(index);
    }

    private boolean isSingle(DispatchEntry entry) {
        return entry.ordering == Ordering.CHAIN || entry.size > settings.maxBatchBytes();
    }

    /** Takes every queued record out, in no particular order. */
    List<DispatchEntry> takeAll() {
        List<DispatchEntry> all = new ArrayList<>();
        for (ShardQueue q : queues) {
            all.addAll(q.takeAll());
        }
        all.addAll(unrouted.takeAll());
        readyBatchable = 0;
        readySingles = 0;
        return all;
    }

    /** A shard the map does not hold: the stream was resharded since it was read. */
    boolean isUnknownShard(String shardId) {
        if (!settings.flowControl().enabled() || shardMap.isEmpty()) {
            return false;
        }
        for (ShardQueue q : queues) {
            if (q.shardId.equals(shardId)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes a new map of the open shards, keeping the budgets of shards it knew; the records queued for shards
     * that closed (or unrouted) are routed again, oldest first. Returns whether an earlier map changed.
     */
    boolean apply(ShardMap map) {
        FlowControl flow = settings.flowControl();
        Map<String, ShardQueue> known = new HashMap<>();
        queues.forEach(q -> known.put(q.shardId, q));
        long now = System.nanoTime();
        List<ShardQueue> fresh = new ArrayList<>(map.size());
        for (ShardRange range : map.shards()) {
            ShardQueue q = known.remove(range.shardId());
            fresh.add(
                    q != null
                            ? q
                            : new ShardQueue(
                                    range.shardId(),
                                    new ShardBudget(flow.recordsPerSecond(), flow.bytesPerSecond(), now),
                                    stats.shard(range.shardId())));
        }
        List<DispatchEntry> moving = new ArrayList<>();
        for (ShardQueue q : known.values()) {
            moving.addAll(q.takeAll());
        }
        moving.addAll(unrouted.takeAll());
        readyBatchable -= moving.stream().filter(e -> !isSingle(e)).count();
        readySingles -= moving.stream().filter(this::isSingle).count();
        boolean changed = shardMap.isPresent() && !known.isEmpty();
        queues = List.copyOf(fresh);
        shardMap = Optional.of(map);
        roundRobin = 0;
        moving.sort((a, b) -> Long.compare(a.readyNanos, b.readyNanos));
        moving.forEach(e -> enqueue(e, false));
        return changed;
    }
}
