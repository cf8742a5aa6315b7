package io.kinesisbridge.dispatch;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.put.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the records of one stream to the backend: validates them, keeps per-key order, paces them per shard,
 * batches them into PutRecords requests, resends only the failed entries after a backoff, chains
 * SequenceNumberForOrdering, and hands what it gives up on to the dead-letter sink. Backend-agnostic: the in-memory
 * backend gets the same batches, lanes, pacing and retries as Kinesis.
 *
 * <p>Per-key lanes: with ordering {@code key} or {@code chain}, at most one record of a partition key is in flight
 * (queued, sent, or waiting to be resent); the key's next record becomes ready only when that one is acknowledged
 * or dead-lettered. Different keys fill the batches.
 *
 * <p>Per-shard flow control: the dispatcher reads the stream's open shards from the backend, routes each ready
 * record to its shard's queue (MD5 of the partition key, or the ExplicitHashKey) and sends a record only when its
 * shard's budget (records/s, bytes/s) has room; the map is read again when a record is acknowledged by a shard it
 * does not know, when no known shard owns a hash key, and every {@link FlowControl#refreshInterval()}.
 *
 * <p>Back-pressure: the stream holds at most {@link DispatchSettings#maxPendingBytes()} of records; past it
 * {@link #submit(PutRequest, Ordering, Duration)} waits for room or refuses the record, so a slow stream slows its
 * sources instead of growing memory.
 *
 * <p>Every taken record's future completes exactly once, with the accepted result or with the error that sent it
 * to the dead-letter sink; futures complete on the {@code completions} executor, never on the thread that sends.
 */
public final class StreamDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** Marks a key with a record in flight and nobody waiting behind it. Never mutated. */
    private static final ArrayDeque<Entry> NO_WAITERS = new ArrayDeque<>(0);
    /** Reading the shard map more often than this would only load the control plane (ListShards: 1,000/s/account). */
    private static final long MIN_REFRESH_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String streamName;
    private final KinesisBackend backend;
    private final DispatchSettings settings;
    private final DeadLetterSink deadLetters;
    private final ScheduledExecutorService scheduler;
    private final Executor completions;
    private final DispatchStats stats = new DispatchStats();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Condition room = lock.newCondition();
    // ---- guarded by lock
    private final Map<String, ArrayDeque<Entry>> lanes = new HashMap<>();
    /** Records no known shard owns, or every record while flow control is off: sent without pacing. */
    private final ShardQueue unrouted = new ShardQueue("unrouted", null, null);
    private List<ShardQueue> queues = List.of();
    private Optional<ShardMap> shardMap = Optional.empty();
    private int readyBatchable;
    private int readySingles;
    private int roundRobin;
    private final Set<Entry> awaitingRetry = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<List<Entry>> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, String> chainSequences;
    private int pending;
    private long pendingBytes;
    private boolean lingerTimerSet;
    private long wakeAtNanos;
    private boolean wakeTimerSet;
    // ----
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Thread drainer;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long lastRefreshNanos = System.nanoTime() - MIN_REFRESH_GAP_NANOS;
    private volatile ScheduledFuture<?> periodicRefresh;
    private final CompletableFuture<Void> described = new CompletableFuture<>();
    private volatile int maxRecordSizeBytes = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
    private volatile boolean closed;

    /** Completes futures on the thread that learns the outcome; callers must not block in their callbacks. */
    public StreamDispatcher(String streamName, KinesisBackend backend, DispatchSettings settings,
                            DeadLetterSink deadLetters, ScheduledExecutorService scheduler) {
        this(streamName, backend, settings, deadLetters, scheduler, Runnable::run);
    }

    /**
     * @param scheduler   runs backoff, linger, pacing and refresh timers; its tasks never block
     * @param completions completes the records' futures and writes dead letters; a caller's callback may run
     *                    there and may block (waiting for room, say) without stopping the sends
     */
    public StreamDispatcher(String streamName, KinesisBackend backend, DispatchSettings settings,
                            DeadLetterSink deadLetters, ScheduledExecutorService scheduler, Executor completions) {
        this.streamName = streamName;
        this.backend = backend;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.scheduler = scheduler;
        this.completions = completions;
        int chainKeys = settings.chainKeys();
        this.chainSequences = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > chainKeys;
            }
        };
    }

    /**
     * Learns the stream's maximum record size and, with flow control on, its shards; until then records are checked
     * against 1 MiB (a larger one waits for the answer) and sent unpaced. Completes when the answer is in, also when
     * it is an error (logged; the map is asked for again when a record shows it is needed).
     */
    public CompletableFuture<Void> start() {
        FlowControl flow = settings.flowControl();
        if (flow.enabled() && !flow.refreshInterval().isZero()) {
            long every = flow.refreshInterval().toNanos();
            try {
                periodicRefresh = scheduler.scheduleWithFixedDelay(this::requestRefresh, every, every, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.debug("Stream {}: no periodic shard map refresh, the scheduler is stopping", streamName);
            }
        }
        refreshing.set(true);
        readDescription(false);
        return described;
    }

    public String streamName() {
        return streamName;
    }

    public DispatchStats stats() {
        return stats;
    }

    public DispatchSettings settings() {
        return settings;
    }

    public int maxRecordSizeBytes() {
        return maxRecordSizeBytes;
    }

    /** The open shards the dispatcher paces, once it has read them. */
    public Optional<ShardMap> shardMap() {
        lock.lock();
        try {
            return shardMap;
        } finally {
            lock.unlock();
        }
    }

    /** Records submitted and neither acknowledged nor dead-lettered yet. */
    public int pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #submit(PutRequest, Ordering, Duration)} that refuses at once when the pending-bytes budget is full. */
    public CompletableFuture<RecordResult> submit(PutRequest request, Ordering ordering) {
        return submit(request, ordering, Duration.ZERO);
    }

    /**
     * Validates and sends a record. The future completes with {@link RecordResult.Accepted} once Kinesis
     * acknowledged it, or with {@link RecordResult.Failed} once it was written to the dead-letter sink; it never
     * completes exceptionally.
     *
     * <p>One exception: when the stream's pending records already hold {@link DispatchSettings#maxPendingBytes()}
     * and no room appears within {@code maxWait}, the record is not taken: the future completes with a
     * {@link KinesisError#BRIDGE_SATURATED} failure at once and nothing is dead-lettered; the caller still owns the
     * record and should make its source try again later. A record larger than the whole budget is taken when
     * nothing else is pending.
     */
    public CompletableFuture<RecordResult> submit(PutRequest request, Ordering ordering, Duration maxWait) {
        if (closed) {
            stats.recordsIn.increment();
            return deadLetterNow(request, new KinesisError(KinesisError.SHUTDOWN,
                    "The bridge is stopping and takes no new records for stream " + streamName + "."));
        }
        if (!described.isDone() && exceedsDefaultRecordSize(request)) {
            // the stream may allow up to 10 MiB: judge this record once its limit is known
            return described.thenCompose(ignored -> submit(request, ordering, Duration.ZERO));
        }
        PutRecordCommand command;
        try {
            command = PutRecordValidator.validate(request, maxRecordSizeBytes);
        } catch (KinesisException e) {
            stats.recordsIn.increment();
            return deadLetterNow(request, e.error());
        }
        Entry entry = new Entry(command, ordering);
        lock.lock();
        try {
            if (!admit(entry.size, maxWait)) {
                stats.recordsRefused.increment();
                return CompletableFuture.completedFuture(new RecordResult.Failed(new KinesisError(
                        KinesisError.BRIDGE_SATURATED, "Stream " + streamName + " holds " + pendingBytes
                        + " bytes of records not yet acknowledged (limit " + settings.maxPendingBytes()
                        + "); the record was not taken, try again later.")));
            }
            stats.recordsIn.increment();
            pending++;
            pendingBytes += entry.size;
            stats.pendingRecords.incrementAndGet();
            stats.pendingBytes.addAndGet(entry.size);
            stats.pendingBytesHighWater.accumulateAndGet(pendingBytes, Math::max);
            if (ordering == Ordering.NONE) {
                makeReady(entry);
            } else {
                ArrayDeque<Entry> waiters = lanes.get(entry.key());
                if (waiters == null) {
                    lanes.put(entry.key(), NO_WAITERS);
                    makeReady(entry);
                } else {
                    if (waiters == NO_WAITERS) {
                        waiters = new ArrayDeque<>(4);
                        lanes.put(entry.key(), waiters);
                    }
                    waiters.addLast(entry);
                }
            }
        } finally {
            lock.unlock();
        }
        drain();
        return entry.future;
    }

    private static boolean exceedsDefaultRecordSize(PutRequest request) {
        return request.data() != null && request.partitionKey() != null
                && (long) request.data().length + Utf8.encodedLength(request.partitionKey())
                > PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
    }

    /** Guarded by lock. Waits up to {@code maxWait} until {@code size} more bytes fit the pending budget. */
    private boolean admit(int size, Duration maxWait) {
        long limit = settings.maxPendingBytes();
        if (pendingBytes == 0 || pendingBytes + size <= limit) {
            return true;
        }
        if (maxWait.isZero() || maxWait.isNegative()) {
            return false;
        }
        if (drainer == Thread.currentThread()) {
            // a callback running inside a send would wait for itself: take the record, the overshoot is one record
            return true;
        }
        long left = maxWait.toNanos();
        try {
            while (pendingBytes != 0 && pendingBytes + size > limit && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = room.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed;
    }

    /** Dead-letters a record that could not even be built (no partition key, say) and counts it as submitted. */
    public CompletableFuture<RecordResult> reject(PutRequest request, KinesisError error) {
        stats.recordsIn.increment();
        return deadLetterNow(request, error);
    }

    private CompletableFuture<RecordResult> deadLetterNow(PutRequest request, KinesisError error) {
        stats.recordsDeadLettered.increment();
        writeDeadLetter(request, error, 0);
        return CompletableFuture.completedFuture(new RecordResult.Failed(error));
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Sends while request slots are free. Re-entrant calls (a backend answering inline) only ask for another pass. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        Thread me = Thread.currentThread();
        int missed = 1;
        try {
            do {
                drainer = me;
                while (sendOne()) {
                    // keep sending
                }
                drainer = null;
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        } catch (RuntimeException | Error e) {
            drainer = null;
            wip.set(0);
            throw e;
        }
    }

    private boolean sendOne() {
        List<Entry> request;
        PutRecordCommand singleCommand = null;
        lock.lock();
        try {
            if (inFlight.size() >= settings.maxConcurrentRequests()) {
                return false;
            }
            long now = System.nanoTime();
            Entry single = readySingles > 0 ? pollSingle(now) : null;
            if (single != null) {
                singleCommand = withChainToken(single);
                request = List.of(single);
            } else if (readyBatchable > 0 && !lingering(now)) {
                request = takeBatch(now);
            } else {
                request = List.of();
            }
            if (request.isEmpty()) {
                armWakeTimer(now);
                return false;
            }
            inFlight.add(request);
        } finally {
            lock.unlock();
        }
        stats.requests.increment();
        stats.recordsSent.add(request.size());
        if (singleCommand != null) {
            sendSingle(request, singleCommand);
        } else {
            sendBatch(request);
        }
        return true;
    }

    /** Guarded by lock. The first single (chain or oversized record) whose shard has budget, shards in turn. */
    private Entry pollSingle(long now) {
        int n = queues.size();
        for (int i = -1; i < n; i++) {
            ShardQueue q = i < 0 ? unrouted : queues.get((roundRobin + i) % n);
            Entry head = q.singles.peekFirst();
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
     * Guarded by lock. Up to maxBatchRecords and maxBatchBytes of ready records whose shards have budget, taking
     * shards in turn from a rotating start so that no shard waits behind the others.
     */
    private List<Entry> takeBatch(long now) {
        int max = Math.min(settings.maxBatchRecords(), readyBatchable);
        List<Entry> batch = new ArrayList<>(max);
        long bytes = 0;
        int n = queues.size();
        for (int i = -1; i < n && batch.size() < max; i++) {
            ShardQueue q = i < 0 ? unrouted : queues.get((roundRobin + i) % n);
            while (batch.size() < max) {
                Entry head = q.batchable.peekFirst();
                if (head == null || (!batch.isEmpty() && bytes + head.size > settings.maxBatchBytes())
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

    /** Guarded by lock. Whether a partly filled batch should wait for more records; arms the timer that ends the wait. */
    private boolean lingering(long now) {
        long lingerNanos = settings.linger().toNanos();
        if (lingerNanos == 0 || closed || readyBatchable >= settings.maxBatchRecords()) {
            return false;
        }
        long oldest = Long.MAX_VALUE;
        int n = queues.size();
        for (int i = -1; i < n; i++) {
            Entry head = (i < 0 ? unrouted : queues.get(i)).batchable.peekFirst();
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
            schedule(() -> {
                lock.lock();
                try {
                    lingerTimerSet = false;
                } finally {
                    lock.unlock();
                }
                drain();
            }, lingerNanos - waited);
        }
        return true;
    }

    /** Guarded by lock. When ready records wait only for their shards' budget, wakes the sender when one has room. */
    private void armWakeTimer(long now) {
        long soonest = Long.MAX_VALUE;
        for (ShardQueue q : queues) {
            Entry head = q.batchable.peekFirst();
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
        schedule(() -> {
            lock.lock();
            try {
                if (wakeAtNanos == due) {
                    wakeTimerSet = false;
                }
            } finally {
                lock.unlock();
            }
            drain();
        }, due - now);
    }

    /** Guarded by lock. */
    private PutRecordCommand withChainToken(Entry entry) {
        entry.usedChainToken = false;
        if (entry.ordering != Ordering.CHAIN || entry.command.sequenceNumberForOrdering().isPresent()) {
            return entry.command;
        }
        String previous = chainSequences.get(entry.key());
        if (previous == null) {
            return entry.command;
        }
        entry.usedChainToken = true;
        return entry.command.withSequenceNumberForOrdering(Optional.of(previous));
    }

    private void sendBatch(List<Entry> batch) {
        List<PutRecordCommand> commands = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            e.attempts++;
            commands.add(e.command);
        }
        CompletableFuture<PutRecordsResponse> response;
        try {
            response = backend.putRecords(streamName, commands);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((r, error) -> onDone(batch, r == null ? null : r.results(), error));
    }

    private void sendSingle(List<Entry> request, PutRecordCommand command) {
        request.get(0).attempts++;
        CompletableFuture<RecordResult.Accepted> response;
        try {
            response = backend.putRecord(command);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((accepted, error) -> onDone(request, accepted == null ? null : List.of(accepted), error));
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    private void onDone(List<Entry> request, List<? extends RecordResult> results, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
        boolean unknownShard = false;
        lock.lock();
        try {
            if (!inFlight.remove(request)) {
                return; // given up on at shutdown already
            }
            if (error == null && results.size() != request.size()) {
                error = new IllegalStateException("backend answered " + results.size() + " results for "
                        + request.size() + " records");
            }
            if (error != null) {
                KinesisError e = errorOf(error);
                for (Entry entry : request) {
                    fail(entry, e, afterUnlock);
                }
            } else {
                for (int i = 0; i < request.size(); i++) {
                    RecordResult result = results.get(i);
                    if (result instanceof RecordResult.Accepted accepted) {
                        stats.shard(accepted.shardId()).recordsAcknowledged.increment();
                        unknownShard |= isUnknownShard(accepted.shardId());
                        finish(request.get(i), accepted, afterUnlock);
                    } else {
                        fail(request.get(i), ((RecordResult.Failed) result).error(), afterUnlock);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        complete(afterUnlock);
        if (unknownShard) {
            requestRefresh();
        }
        drain();
    }

    /** Guarded by lock. A shard the map does not hold: the stream was resharded since it was read. */
    private boolean isUnknownShard(String shardId) {
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

    /** Guarded by lock. */
    private void fail(Entry entry, KinesisError error, List<Runnable> afterUnlock) {
        if (KinesisError.THROUGHPUT_EXCEEDED.equals(error.code())) {
            stats.recordsThrottled.increment();
            if (entry.sentFrom != null && entry.sentFrom.budget != null) {
                entry.sentFrom.stats.recordsThrottled.increment();
                entry.sentFrom.budget.throttled(System.nanoTime());
            }
        }
        if (entry.usedChainToken && isStaleChainToken(error)) {
            // the backend no longer knows the key's last sequence number (a restarted local backend, say):
            // forget it and send the record unchained rather than dead-letter it
            chainSequences.remove(entry.key());
            stats.recordsRetried.increment();
            entry.readyNanos = System.nanoTime();
            enqueue(entry, true);
            return;
        }
        Optional<Duration> delay = settings.retry().nextDelay(entry.attempts, error);
        if (delay.isPresent()) {
            stats.recordsRetried.increment();
            awaitingRetry.add(entry);
            schedule(() -> retry(entry), delay.get().toNanos());
            return;
        }
        KinesisError reported = entry.attempts > 1 && error.retryable()
                ? new KinesisError(error.code(), error.message() + " (gave up after " + entry.attempts + " attempts)")
                : error;
        int attempts = entry.attempts;
        // the letter is written before the future completes: a completed failure means the record is safe
        afterUnlock.add(() -> writeDeadLetter(entry.command.toRequest(), reported, attempts));
        finish(entry, new RecordResult.Failed(reported), afterUnlock);
    }

    private void retry(Entry entry) {
        lock.lock();
        try {
            if (!awaitingRetry.remove(entry)) {
                return;
            }
            entry.readyNanos = System.nanoTime();
            enqueue(entry, true);
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Guarded by lock. Completes the record and lets the next record of its key go. */
    private void finish(Entry entry, RecordResult result, List<Runnable> afterUnlock) {
        if (entry.finished) {
            return;
        }
        entry.finished = true;
        pending--;
        pendingBytes -= entry.size;
        stats.pendingRecords.decrementAndGet();
        stats.pendingBytes.addAndGet(-entry.size);
        room.signalAll();
        if (result instanceof RecordResult.Accepted accepted) {
            stats.recordsAcknowledged.increment();
            if (entry.ordering == Ordering.CHAIN) {
                chainSequences.put(entry.key(), accepted.sequenceNumber());
            }
        } else {
            stats.recordsDeadLettered.increment();
        }
        if (entry.ordering != Ordering.NONE) {
            ArrayDeque<Entry> waiters = lanes.get(entry.key());
            if (waiters == null || waiters.isEmpty()) {
                lanes.remove(entry.key());
            } else {
                Entry next = waiters.pollFirst();
                if (waiters.isEmpty()) {
                    lanes.put(entry.key(), NO_WAITERS);
                }
                makeReady(next);
            }
        }
        if (pending == 0) {
            idle.signalAll();
        }
        afterUnlock.add(() -> entry.future.complete(result));
    }

    /** Guarded by lock. */
    private void makeReady(Entry entry) {
        entry.readyNanos = System.nanoTime();
        enqueue(entry, false);
    }

    /** Guarded by lock. Puts a ready record in its shard's queue; a resent record goes first. */
    private void enqueue(Entry entry, boolean first) {
        ShardQueue q = route(entry);
        boolean single = isSingle(entry);
        ArrayDeque<Entry> deque = single ? q.singles : q.batchable;
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

    /** Guarded by lock. */
    private ShardQueue route(Entry entry) {
        if (!settings.flowControl().enabled() || shardMap.isEmpty()) {
            return unrouted;
        }
        int index = shardMap.get().indexFor(entry.hashKey);
        if (index < 0) {
            // a gap in the open shards: the stream is being resharded; send unpaced and read the map again
            schedule(this::requestRefresh, 0);
            return unrouted;
        }
        return queues.get(index);
    }

    private boolean isSingle(Entry entry) {
        return entry.ordering == Ordering.CHAIN || entry.size > settings.maxBatchBytes();
    }

    private static boolean isStaleChainToken(KinesisError error) {
        return KinesisError.INVALID_ARGUMENT.equals(error.code()) && error.message().contains("ExclusiveMinimumSequenceNumber");
    }

    private void complete(List<Runnable> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Runnable all = () -> tasks.forEach(StreamDispatcher::runQuietly);
        try {
            completions.execute(all);
        } catch (RejectedExecutionException e) {
            all.run(); // the executor is stopping: complete here rather than strand the records
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("A record's completion failed: {}", e.toString());
        }
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            task.run(); // the scheduler is stopping: run now rather than strand the record
        }
    }

    private void writeDeadLetter(PutRequest request, KinesisError error, int attempts) {
        DeadLetter letter = new DeadLetter(Instant.now(), streamName, request, error, attempts);
        try {
            deadLetters.accept(letter);
        } catch (RuntimeException e) {
            // last resort: the record goes to the log in full so that it is not lost silently
            LOG.error("Could not write a dead letter for stream {} ({}); the record was: {} reason: {}",
                    streamName, e.toString(), PutRecordJson.write(request), error);
        }
    }

    /** The Kinesis error a failed future carries; anything that is not one counts as a retryable internal failure. */
    static KinesisError errorOf(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof KinesisException k) {
            return k.error();
        }
        return new KinesisError(KinesisError.INTERNAL_FAILURE, String.valueOf(t));
    }

    // ---- the shard map ---------------------------------------------------------------------------------------

    /** Reads the shard map again, at most once a second; signs that come during a read are covered by it. */
    private void requestRefresh() {
        if (!settings.flowControl().enabled() || closed || !refreshing.compareAndSet(false, true)) {
            return;
        }
        long wait = lastRefreshNanos + MIN_REFRESH_GAP_NANOS - System.nanoTime();
        if (wait > 0) {
            schedule(() -> readDescription(true), wait);
        } else {
            readDescription(true);
        }
    }

    private void readDescription(boolean refresh) {
        lastRefreshNanos = System.nanoTime();
        if (refresh) {
            stats.shardMapRefreshes.increment();
        }
        CompletableFuture<StreamDescription> answer;
        try {
            answer = backend.describeStream(streamName);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((description, error) -> {
            if (description != null) {
                apply(description);
            } else {
                LOG.warn("Stream {} on backend {}: could not read its description ({}); records are checked against "
                        + "the last known maximum record size and sent {}", streamName, backend.name(), errorOf(error),
                        shardMap().isPresent() ? "paced by the last known shards" : "unpaced");
            }
            refreshing.set(false);
            described.complete(null);
            drain();
        });
    }

    /** Takes a new description: the record size limit and the open shards, keeping the budgets of shards it knew. */
    private void apply(StreamDescription description) {
        maxRecordSizeBytes = description.maxRecordSizeBytes();
        if (!settings.flowControl().enabled()) {
            return;
        }
        FlowControl flow = settings.flowControl();
        lock.lock();
        try {
            Map<String, ShardQueue> known = new HashMap<>();
            queues.forEach(q -> known.put(q.shardId, q));
            long now = System.nanoTime();
            List<ShardQueue> fresh = new ArrayList<>(description.shards().size());
            for (ShardRange range : description.shards().shards()) {
                ShardQueue q = known.remove(range.shardId());
                fresh.add(q != null ? q : new ShardQueue(range.shardId(),
                        new ShardBudget(flow.recordsPerSecond(), flow.bytesPerSecond(), now), stats.shard(range.shardId())));
            }
            List<Entry> moving = new ArrayList<>();
            for (ShardQueue q : known.values()) {
                moving.addAll(q.takeAll());
            }
            moving.addAll(unrouted.takeAll());
            readyBatchable -= moving.stream().filter(e -> !isSingle(e)).count();
            readySingles -= moving.stream().filter(this::isSingle).count();
            boolean changed = shardMap.isPresent() && !known.isEmpty();
            queues = List.copyOf(fresh);
            shardMap = Optional.of(description.shards());
            roundRobin = 0;
            moving.sort((a, b) -> Long.compare(a.readyNanos, b.readyNanos));
            moving.forEach(e -> enqueue(e, false));
            if (changed) {
                LOG.info("Stream {}: shard map now has {} open shards", streamName, fresh.size());
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- shutdown --------------------------------------------------------------------------------------------

    /**
     * Stops taking records, waits up to {@code timeout} for the pending ones, then dead-letters what is left
     * (records in flight are marked as possibly delivered) so that nothing is lost silently.
     */
    public void close(Duration timeout) {
        closed = true;
        ScheduledFuture<?> periodic = periodicRefresh;
        if (periodic != null) {
            periodic.cancel(false);
        }
        drain();
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            room.signalAll();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                idle.awaitNanos(left);
            }
            if (pending > 0) {
                LOG.warn("Stream {}: {} records were not acknowledged within {}; they go to the dead-letter output",
                        streamName, pending, timeout);
                List<Entry> left = new ArrayList<>();
                inFlight.forEach(left::addAll);
                inFlight.clear();
                left.addAll(awaitingRetry);
                awaitingRetry.clear();
                for (ShardQueue q : queues) {
                    left.addAll(q.takeAll());
                }
                left.addAll(unrouted.takeAll());
                readyBatchable = 0;
                readySingles = 0;
                lanes.values().forEach(left::addAll);
                for (Entry entry : left) {
                    KinesisError error = new KinesisError(KinesisError.SHUTDOWN, "Not acknowledged when the bridge "
                            + "stopped after " + entry.attempts + " attempts; it may or may not have reached Kinesis.");
                    int attempts = entry.attempts;
                    afterUnlock.add(() -> writeDeadLetter(entry.command.toRequest(), error, attempts));
                    finish(entry, new RecordResult.Failed(error), afterUnlock);
                }
                lanes.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        afterUnlock.forEach(StreamDispatcher::runQuietly);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /** The ready records of one shard and its budget. Guarded by the dispatcher's lock. */
    private static final class ShardQueue {
        final String shardId;
        /** Null: not paced. */
        final ShardBudget budget;
        final DispatchStats.ShardStats stats;
        final ArrayDeque<Entry> batchable = new ArrayDeque<>();
        final ArrayDeque<Entry> singles = new ArrayDeque<>();

        ShardQueue(String shardId, ShardBudget budget, DispatchStats.ShardStats stats) {
            this.shardId = shardId;
            this.budget = budget;
            this.stats = stats;
        }

        boolean fits(Entry entry, long now) {
            return budget == null || budget.fits(entry.size, now);
        }

        /** The record leaves the queue for a request: it spends the shard's budget. */
        void sent(Entry entry) {
            entry.sentFrom = this;
            if (budget != null) {
                budget.take(entry.size);
                stats.recordsSent.increment();
                stats.queuedRecords.decrementAndGet();
            }
        }

        List<Entry> takeAll() {
            List<Entry> all = new ArrayList<>(batchable.size() + singles.size());
            all.addAll(singles);
            all.addAll(batchable);
            if (stats != null) {
                stats.queuedRecords.addAndGet(-all.size());
            }
            batchable.clear();
            singles.clear();
            return all;
        }
    }

    private static final class Entry {
        final PutRecordCommand command;
        final Ordering ordering;
        final int size;
        final HashKey hashKey;
        final CompletableFuture<RecordResult> future = new CompletableFuture<>();
        int attempts;
        long readyNanos;
        boolean usedChainToken;
        boolean finished;
        ShardQueue sentFrom;

        Entry(PutRecordCommand command, Ordering ordering) {
            this.command = command;
            this.ordering = ordering;
            this.size = command.sizeBytes();
            this.hashKey = command.hashKey();
        }

        String key() {
            return command.partitionKey();
        }
    }
}
