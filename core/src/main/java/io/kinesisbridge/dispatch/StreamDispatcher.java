package io.kinesisbridge.dispatch;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.dispatch.spool.SpoolPosition;
import io.kinesisbridge.dispatch.spool.SpoolRead;
import io.kinesisbridge.dispatch.spool.SpoolRecord;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
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
 * <p>Store and forward, with a spool: a record whose retryable failures (Kinesis unreachable, 5xx, throttling) use
 * up its retry budget is written to the stream's on-disk spool instead of the dead-letter output, and from then on
 * every record that becomes ready goes to the spool's tail too (so no record overtakes an older spooled record of
 * its key), until the spool is empty again. The spool is read back in order into a bounded window of records that
 * go through the same lanes, pacing and batching; they are retried without an attempt limit while the errors are
 * retryable (they are safe on disk meanwhile), and released from the spool once acknowledged or dead-lettered.
 * Records the spool cannot take (full, or a write error such as a full disk) are given back: their futures complete
 * with a {@link KinesisError#BRIDGE_SATURATED} failure, so that their sources keep them and try again later (HTTP
 * 503, MQTT not acknowledged, file tailing paused), and while the spool takes nothing new records are refused at
 * once; nothing is dropped, nothing waits in memory for long. Non-retryable errors still go to the dead-letter output.
 *
 * <p>Dead letters: a record is counted as dead-lettered only once its letter is written. A record whose letter
 * cannot be written (a full disk, say) is not safe: it goes back to its source with a
 * {@link KinesisError#BRIDGE_SATURATED} failure, as when the spool is full; one read back from the spool stays
 * there and its letter is tried again.
 *
 * <p>Accounting, at every moment: records in (taken, or found in the spool at start) = acknowledged +
 * dead-lettered + pending (in memory, not on disk) + spooled (on disk, not yet acknowledged) + returned (given
 * back to their sources because the spool was full, or their dead letter could not be written).
 *
 * <p>Every taken record's future completes exactly once: with the accepted result, with
 * {@link RecordResult.Spooled} once the record is in the spool, or with the error that sent it to the dead-letter
 * sink; futures complete on the {@code completions} executor, never on the thread that sends.
 */
public final class StreamDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** Reading the shard map more often than this would only load the control plane (ListShards: 1,000/s/account). */
    private static final long MIN_REFRESH_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a spool that could not take records (full, or a write error) is left alone before the next try. */
    private static final long SPOOL_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long a spooled record whose dead letter could not be written waits before the next try. */
    private static final long DEAD_LETTER_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Most records and bytes written to the spool in one append (one fsync). */
    private static final int SPOOL_APPEND_RECORDS = 5_000;
    private static final long SPOOL_APPEND_BYTES = 8L << 20;

    private final String streamName;
    private final KinesisBackend backend;
    private final DispatchSettings settings;
    private final DeadLetterSink deadLetters;
    private final ScheduledExecutorService scheduler;
    private final Executor completions;
    private final DispatchStats stats = new DispatchStats();
    private final Optional<StreamSpool> spool;
    private final int windowMaxRecords;
    private final long windowMaxBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final Condition room = lock.newCondition();
    // ---- guarded by lock
    private final Map<String, Lane> lanes = new HashMap<>();
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
    // store and forward, guarded by lock
    /** Live records on their way to the spool, oldest first; they are still pending (in memory). */
    private final ArrayDeque<Entry> backlog = new ArrayDeque<>();
    /** The records of the append in flight, taken from the front of the backlog. */
    private List<Entry> appending = List.of();
    private boolean spoolBlocked;
    /** Completions decided under the lock where no list of work for after it is at hand; drain() runs them. */
    private final List<Runnable> deferred = new ArrayList<>();
    private boolean readInFlight;
    /** Records on disk neither acknowledged nor dead-lettered (those being forwarded included). */
    private long spooled;
    /** Records on disk not yet read back. */
    private long unread;
    /** Forwarded records in memory (read back from disk, or taken from the backlog when the spool cannot take it). */
    private int window;
    private long windowBytes;
    /** The forwarded records read from disk, in spool order: the spool is released up to the first unfinished one. */
    private final ArrayDeque<Entry> windowOrder = new ArrayDeque<>();
    /** The last answer for a forwarded record was a retryable failure: read no more until one gets through. */
    private boolean forwardFailing;
    private boolean warnedSpoolFull;
    /** The records left at stop are being written to the spool: nothing else is appended or sent around them. */
    private boolean settling;
    private final Condition appended = lock.newCondition();
    // ----
    /** Anything for the spool pumps to do: a backlog to write, or records to read back. */
    private volatile boolean spoolAttention;
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Thread drainer;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** The last dead letter could not be written: logged once, until one is written again. */
    private final AtomicBoolean deadLettersFailing = new AtomicBoolean();
    private volatile long lastRefreshNanos = System.nanoTime() - MIN_REFRESH_GAP_NANOS;
    private volatile ScheduledFuture<?> periodicRefresh;
    private final CompletableFuture<Void> described = new CompletableFuture<>();
    private volatile int maxRecordSizeBytes = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
    private volatile boolean closed;
    /** Closed and settled: nothing is sent any more. */
    private volatile boolean stopped;

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
        this(streamName, backend, settings, deadLetters, scheduler, completions, Optional.empty());
    }

    /**
     * @param spool the stream's spool (store and forward), opened: the records it holds from an earlier run are
     *              counted in and forwarded once the stream's description is read; the dispatcher closes it
     */
    public StreamDispatcher(String streamName, KinesisBackend backend, DispatchSettings settings,
                            DeadLetterSink deadLetters, ScheduledExecutorService scheduler, Executor completions,
                            Optional<StreamSpool> spool) {
        this.streamName = streamName;
        this.spool = spool;
        this.windowMaxRecords = settings.maxConcurrentRequests() * settings.maxBatchRecords();
        this.windowMaxBytes = Math.min(settings.maxPendingBytes(), 4L * settings.maxBatchBytes());
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
        spool.ifPresent(s -> {
            long found = s.recoveredRecords();
            spooled = found;
            unread = found;
            spoolAttention = found > 0;
            stats.recordsIn.add(found);
            stats.spoolRecovered.add(found);
            stats.spooledRecords.set(found);
            if (found > 0) {
                LOG.info("Stream {}: {} records in the spool from an earlier run; they are sent first, in order",
                        streamName, found);
            }
        });
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
     * acknowledged it, or with {@link RecordResult.Failed} once it was written to the dead-letter sink (a
     * {@link KinesisError#BRIDGE_SATURATED} failure when its letter could not be written: the caller still owns
     * it); it never completes exceptionally.
     *
     * <p>One exception: when the stream's pending records already hold {@link DispatchSettings#maxPendingBytes()}
     * and no room appears within {@code maxWait}, the record is not taken: the future completes with a
     * {@link KinesisError#BRIDGE_SATURATED} failure at once and nothing is dead-lettered; the caller still owns the
     * record and should make its source try again later. A record larger than the whole budget is taken when
     * nothing else is pending.
     */
    public CompletableFuture<RecordResult> submit(PutRequest request, Ordering ordering, Duration maxWait) {
        if (closed) {
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
            return deadLetterNow(request, e.error());
        }
        Entry entry = new Entry(command, ordering);
        lock.lock();
        try {
            if ((spoolBlocked && spooling()) || !admit(entry.size, maxWait)) {
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
            enterLane(entry);
        } finally {
            lock.unlock();
        }
        drain();
        return entry.future;
    }

    /**
     * Guarded by lock. The record becomes ready, or waits behind the record of its key that is in flight. While
     * the spool holds records, a live record whose key has only spooled records in memory goes to the spool's tail
     * (behind them all) rather than wait in memory for an unreachable Kinesis.
     */
    private void enterLane(Entry entry) {
        if (entry.ordering == Ordering.NONE) {
            makeReady(entry);
            return;
        }
        Lane lane = lanes.get(entry.key());
        if (lane == null) {
            lanes.put(entry.key(), new Lane(entry));
            makeReady(entry);
        } else if (!entry.forwarded && lane.live == 0 && spooling()) {
            entry.laneReleased = true;
            toSpool(entry, "older records of stream " + streamName + " are in the spool");
        } else {
            lane.wait(entry);
        }
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
        return deadLetterNow(request, error);
    }

    /**
     * Dead-letters a record at once and counts it in, as dead-lettered, or as returned to its source when its dead
     * letter could not be written.
     */
    private CompletableFuture<RecordResult> deadLetterNow(PutRequest request, KinesisError error) {
        Optional<String> problem = writeDeadLetter(request, error, 0);
        lock.lock();
        try {
            // both under the lock, so that an accounting snapshot never sees one without the other
            stats.recordsIn.increment();
            if (problem.isEmpty()) {
                stats.recordsDeadLettered.increment();
            } else {
                stats.recordsReturned.increment();
            }
        } finally {
            lock.unlock();
        }
        return CompletableFuture.completedFuture(new RecordResult.Failed(problem.isEmpty() ? error : notDeadLettered(error)));
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Sends what can be sent, then gives the spool its work: a backlog to write, records to read back. */
    private void drain() {
        List<Runnable> completeNow = null;
        if (spool.isPresent()) {
            lock.lock();
            try {
                if (!deferred.isEmpty()) {
                    completeNow = new ArrayList<>(deferred);
                    deferred.clear();
                }
            } finally {
                lock.unlock();
            }
        }
        if (completeNow != null) {
            complete(completeNow);
        }
        drainSends();
        if (spoolAttention) {
            pumpSpool();
            pumpForward();
        }
    }

    /** Sends while request slots are free. Re-entrant calls (a backend answering inline) only ask for another pass. */
    private void drainSends() {
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
            if (inFlight.size() >= settings.maxConcurrentRequests() || stopped) {
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
        if (entry.forwarded && error.retryable()) {
            // safe on disk (or held back by a spool that cannot take it): no attempt limit, only the backoff
            forwardFailing = true;
            stats.recordsRetried.increment();
            awaitingRetry.add(entry);
            schedule(() -> retry(entry), settings.retry().backoff(entry.attempts).toNanos());
            return;
        }
        Optional<Duration> delay = entry.forwarded ? Optional.empty() : settings.retry().nextDelay(entry.attempts, error);
        if (spool.isPresent() && !entry.forwarded && error.retryable() && (delay.isEmpty() || spooling())) {
            toSpool(entry, error.code() + " after " + entry.attempts + " attempts: " + error.message());
            return;
        }
        if (delay.isPresent()) {
            stats.recordsRetried.increment();
            awaitingRetry.add(entry);
            schedule(() -> retry(entry), delay.get().toNanos());
            return;
        }
        KinesisError reported = entry.attempts > 1 && error.retryable()
                ? new KinesisError(error.code(), error.message() + " (gave up after " + entry.attempts + " attempts)")
                : error;
        deadLetter(entry, reported, afterUnlock);
    }

    /**
     * Guarded by lock. Gives the record up: the next record of its key may go now, and its dead letter is written
     * once the lock is released. Until the letter is written the record stays pending (or spooled), and its future
     * completes only then: a completed failure means the record is safe in the dead-letter output.
     */
    private void deadLetter(Entry entry, KinesisError reason, List<Runnable> afterUnlock) {
        Entry next = releaseLane(entry);
        if (next != null) {
            makeReady(next);
        }
        if (entry.spoolEnd == null) {
            // its bytes leave the budget now: a source waiting for room on the completions thread, where the letter
            // is written, must not wait for that letter
            releaseBudget(entry);
        }
        afterUnlock.add(() -> writeLetterOf(entry, reason));
    }

    /** Guarded by lock. The record's bytes no longer count against the pending-bytes budget. */
    private void releaseBudget(Entry entry) {
        if (entry.budgetReleased) {
            return;
        }
        entry.budgetReleased = true;
        pendingBytes -= entry.size;
        stats.pendingBytes.addAndGet(-entry.size);
        room.signalAll();
    }

    /**
     * Writes the record's dead letter and settles the record: dead-lettered; or, when the letter cannot be written,
     * a live record goes back to its source (like a record a full spool cannot take) and a record read back from
     * the spool stays there, its letter tried again later (or by the next run).
     */
    private void writeLetterOf(Entry entry, KinesisError reason) {
        Optional<String> problem = writeDeadLetter(entry.command.toRequest(), reason, entry.attempts);
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            if (problem.isEmpty()) {
                finish(entry, new RecordResult.Failed(reason), afterUnlock);
            } else if (entry.forwarded) {
                retryLetterLater(entry, reason);
            } else {
                giveBack(entry, notDeadLettered(reason), afterUnlock);
            }
        } finally {
            lock.unlock();
        }
        afterUnlock.forEach(StreamDispatcher::runQuietly);
        drain();
    }

    /** A record read back from the spool is safe there: its letter is tried again later, or by the next run after a stop. */
    private void retryLetterLater(Entry entry, KinesisError reason) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> complete(List.of(() -> writeLetterOf(entry, reason))), DEAD_LETTER_RETRY_NANOS,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the scheduler is stopping: the record stays in the spool for the next run
        }
    }

    /** The answer for a record given up on whose dead letter could not be written: not taken, try again later. */
    private KinesisError notDeadLettered(KinesisError reason) {
        return new KinesisError(KinesisError.BRIDGE_SATURATED, "Stream " + streamName + ": the record failed ("
                + reason.code() + ") and its dead letter could not be written; the record was not taken, try again later.");
    }

    private void retry(Entry entry) {
        lock.lock();
        try {
            if (!awaitingRetry.remove(entry)) {
                return;
            }
            if (!entry.forwarded && spooling()) {
                toSpool(entry, "older records of stream " + streamName + " are in the spool");
            } else {
                entry.readyNanos = System.nanoTime();
                enqueue(entry, true);
            }
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
        boolean onDisk = entry.spoolEnd != null;
        if (entry.forwarded) {
            window--;
            windowBytes -= entry.size;
            if (result instanceof RecordResult.Accepted) {
                forwardFailing = false;
            }
        }
        if (onDisk) {
            spooled--;
            stats.spooledRecords.decrementAndGet();
        } else {
            pending--;
            stats.pendingRecords.decrementAndGet();
            releaseBudget(entry);
        }
        if (result instanceof RecordResult.Accepted accepted) {
            stats.recordsAcknowledged.increment();
            if (entry.ordering == Ordering.CHAIN) {
                chainSequences.put(entry.key(), accepted.sequenceNumber());
            }
        } else {
            stats.recordsDeadLettered.increment();
        }
        Entry next = releaseLane(entry);
        if (next != null) {
            makeReady(next);
        }
        if (onDisk) {
            releaseSpool();
            if (spooled == 0 && backlog.isEmpty() && appending.isEmpty()) {
                LOG.info("Stream {}: the spool is empty; records go straight to {} again", streamName, backend.name());
            }
        }
        if (pending == 0) {
            idle.signalAll();
        }
        if (!onDisk) {
            afterUnlock.add(() -> entry.future.complete(result));
        }
    }

    /**
     * Guarded by lock. Frees the record's place in its key's lane and returns the record of the key that waited
     * behind it, if any (the caller makes it ready).
     */
    private Entry releaseLane(Entry entry) {
        if (entry.laneReleased) {
            return null;
        }
        entry.laneReleased = true;
        if (entry.ordering == Ordering.NONE) {
            return null;
        }
        Lane lane = lanes.get(entry.key());
        if (lane == null) {
            return null;
        }
        Entry next = lane.advance(entry);
        if (next == null) {
            lanes.remove(entry.key());
        }
        return next;
    }

    /** Guarded by lock. A live record goes to the spool while the spool holds older records; others to their shard. */
    private void makeReady(Entry entry) {
        if (!entry.forwarded && spooling()) {
            toSpool(entry, "older records of stream " + streamName + " are in the spool");
            return;
        }
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

    /**
     * Writes a dead letter; returns why it could not be written, if it could not. The log says when letters stop
     * being written and when they are written again, never what a record holds (it may be personal data).
     */
    private Optional<String> writeDeadLetter(PutRequest request, KinesisError error, int attempts) {
        try {
            deadLetters.accept(new DeadLetter(Instant.now(), streamName, request, error, attempts));
        } catch (RuntimeException e) {
            stats.deadLetterWriteFailures.increment();
            String problem = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            if (!deadLettersFailing.getAndSet(true)) {
                LOG.error("Stream {}: a dead letter could not be written ({}); until one can, records that would be "
                        + "dead-lettered go back to their sources (HTTP 503, MQTT not acknowledged, file tailing paused) "
                        + "or, when read back from the spool, stay there", streamName, problem);
            }
            return Optional.of(problem);
        }
        if (deadLettersFailing.getAndSet(false)) {
            LOG.info("Stream {}: dead letters are written again ({} writes had failed so far)", streamName,
                    stats.deadLetterWriteFailures());
        }
        return Optional.empty();
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

    // ---- store and forward ----------------------------------------------------------------------------------

    /** Guarded by lock. Whether ready live records go to the spool: it holds records, or some are on their way. */
    private boolean spooling() {
        return spool.isPresent() && (settling || spooled > 0 || !backlog.isEmpty() || !appending.isEmpty());
    }

    /**
     * Guarded by lock. Puts a live record at the tail of the spool's backlog and lets its key's next records follow
     * it there; the first time, the records waiting in the shard queues go too, rather than keep trying.
     */
    private void toSpool(Entry first, String reason) {
        boolean starting = !spooling();
        Entry e = first;
        while (e != null) {
            if (e.forwarded) {
                e.readyNanos = System.nanoTime();
                enqueue(e, false);
                break;
            }
            e.spoolReason = reason;
            Entry next = releaseLane(e);
            if (spoolBlocked) {
                giveBack(e, deferred);
            } else {
                backlog.addLast(e);
            }
            e = next;
        }
        if (starting) {
            LOG.warn("Stream {}: {} cannot take records ({}); they go to the spool and are sent when it answers again",
                    streamName, backend.name(), reason);
            List<Entry> queued = new ArrayList<>();
            for (ShardQueue q : queues) {
                queued.addAll(q.takeAll());
            }
            queued.addAll(unrouted.takeAll());
            readyBatchable -= queued.stream().filter(q -> !isSingle(q)).count();
            readySingles -= queued.stream().filter(this::isSingle).count();
            queued.sort((a, b) -> Long.compare(a.readyNanos, b.readyNanos));
            for (Entry q : queued) {
                toSpool(q, "older records of stream " + streamName + " are in the spool");
            }
        }
        spoolAttention = true;
    }

    /** Writes the backlog's oldest records to the spool, one append at a time (what piles up meanwhile goes next). */
    private void pumpSpool() {
        StreamSpool s = spool.orElse(null);
        if (s == null) {
            return;
        }
        List<Entry> batch;
        lock.lock();
        try {
            if (!appending.isEmpty() || spoolBlocked || settling || backlog.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(Math.min(backlog.size(), SPOOL_APPEND_RECORDS));
            long bytes = 0;
            while (!backlog.isEmpty() && batch.size() < SPOOL_APPEND_RECORDS && bytes < SPOOL_APPEND_BYTES) {
                Entry e = backlog.pollFirst();
                batch.add(e);
                bytes += e.size;
            }
            appending = batch;
        } finally {
            lock.unlock();
        }
        List<SpoolRecord> records = new ArrayList<>(batch.size());
        for (Entry e : batch) {
            records.add(new SpoolRecord(e.command, e.ordering, e.attempts, e.takenMillis));
        }
        CompletableFuture<Integer> written;
        try {
            written = s.append(records);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((n, error) -> onAppended(batch, n == null ? 0 : n, error));
    }

    private void onAppended(List<Entry> batch, int written, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            appending = List.of();
            appended.signalAll();
            stats.spoolWriteFailures.set(spool.get().writeErrors());
            for (int i = 0; i < written; i++) {
                Entry e = batch.get(i);
                e.finished = true;
                pending--;
                pendingBytes -= e.size;
                stats.pendingRecords.decrementAndGet();
                stats.pendingBytes.addAndGet(-e.size);
                spooled++;
                unread++;
                stats.spooledRecords.incrementAndGet();
                stats.recordsSpooled.increment();
                RecordResult result = new RecordResult.Spooled(e.spoolReason);
                afterUnlock.add(() -> e.future.complete(result));
            }
            if (written > 0) {
                room.signalAll();
                if (pending == 0) {
                    idle.signalAll();
                }
            }
            if (written < batch.size()) {
                // the spool takes no more: what it did not take, and what waits behind it, goes back to its sources
                for (int i = written; i < batch.size(); i++) {
                    giveBack(batch.get(i), afterUnlock);
                }
                while (!backlog.isEmpty()) {
                    giveBack(backlog.pollFirst(), afterUnlock);
                }
                spoolBlocked = true;
                stats.spoolBlocked.set(1);

                if (!warnedSpoolFull) {
                    warnedSpoolFull = true;
                    LOG.warn("Stream {}: the spool takes no more records ({}); until it has room, records that {} does not "
                            + "take are given back to their sources (HTTP 503, MQTT not acknowledged, file tailing paused)",
                            streamName, error == null ? "full: " + spool.map(StreamSpool::bytes).orElse(0L) + " bytes of "
                            + spool.map(x -> x.settings().maxBytes()).orElse(0L) : "write failed: " + errorOf(error).message(),
                            backend.name());
                }
                schedule(this::unblockSpool, SPOOL_RETRY_NANOS);
            } else if (warnedSpoolFull && backlog.isEmpty()) {
                warnedSpoolFull = false;
                LOG.info("Stream {}: the spool takes records again", streamName);
            }
            spoolAttention = !backlog.isEmpty() || unread > 0;
        } finally {
            lock.unlock();
        }
        complete(afterUnlock);
        drain();
    }

    /**
     * Guarded by lock. A live record the spool could not take goes back to its source, not sent: its future
     * completes with BridgeSaturated, which the sources treat as "not taken, try again later".
     */
    private void giveBack(Entry e, List<Runnable> afterUnlock) {
        giveBack(e, new KinesisError(KinesisError.BRIDGE_SATURATED, "Stream " + streamName + ": " + backend.name()
                + " does not take records (" + e.spoolReason + ") and the spool is full; the record was not taken, try "
                + "again later."), afterUnlock);
    }

    /** Guarded by lock. A live record goes back to its source, not sent: its future completes with {@code error}. */
    private void giveBack(Entry e, KinesisError error, List<Runnable> afterUnlock) {
        e.finished = true;
        pending--;
        stats.pendingRecords.decrementAndGet();
        releaseBudget(e);
        stats.recordsReturned.increment();
        if (pending == 0) {
            idle.signalAll();
        }
        RecordResult result = new RecordResult.Failed(error);
        afterUnlock.add(() -> e.future.complete(result));
    }

    private void unblockSpool() {
        lock.lock();
        try {
            spoolBlocked = false;
            stats.spoolBlocked.set(0);
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Reads the spool back into the window while it has room (while forwarded records fail, only when the window is empty). */
    private void pumpForward() {
        StreamSpool s = spool.orElse(null);
        if (s == null) {
            return;
        }
        int maxRecords;
        long maxBytes;
        lock.lock();
        try {
            int roomRecords = windowMaxRecords - window;
            long roomBytes = windowMaxBytes - windowBytes;
            if (readInFlight || closed || !described.isDone() || roomRecords <= 0 || roomBytes <= 0
                    || (forwardFailing && window > 0)) {
                return;
            }
            if (unread <= 0) {
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
            reads = s.read(maxRecords, maxBytes);
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
                LOG.warn("Stream {}: cannot read the spool back ({}); trying again in a second", streamName, errorOf(error).message());
                schedule(this::drain, TimeUnit.SECONDS.toNanos(1));
                return;
            }
            if (reads.isEmpty() && unread > 0) {
                // the rest was damaged on disk (skipped and copied aside when the spool was opened)
                LOG.warn("Stream {}: {} spooled records could not be read back", streamName, unread);
                unread = 0;
            }
            for (SpoolRead r : reads) {
                unread--;
                Entry e;
                try {
                    e = new Entry(PutRecordValidator.validate(r.record().command().toRequest(), maxRecordSizeBytes),
                            r.record().ordering());
                } catch (KinesisException invalid) {
                    e = Entry.invalid(r.record().command());
                    e.forwarded = true;
                    e.spoolEnd = r.end();
                    window++;
                    windowBytes += e.size;
                    windowOrder.addLast(e);
                    e.attempts = r.record().attempts();
                    e.laneReleased = true;
                    deadLetter(e, invalid.error(), afterUnlock);
                    continue;
                }
                e.forwarded = true;
                e.spoolEnd = r.end();
                e.attempts = r.record().attempts();
                e.takenMillis = r.record().firstTakenMillis();
                window++;
                windowBytes += e.size;
                windowOrder.addLast(e);
                enterLane(e);
            }
            spoolAttention = !backlog.isEmpty() || unread > 0;
        } finally {
            lock.unlock();
        }
        complete(afterUnlock);
        drain();
    }

    /** Guarded by lock. Releases the spool up to the first forwarded record not yet finished. */
    private void releaseSpool() {
        SpoolPosition end = null;
        long count = 0;
        while (!windowOrder.isEmpty() && windowOrder.peekFirst().finished) {
            end = windowOrder.pollFirst().spoolEnd;
            count++;
        }
        if (end != null) {
            spool.get().release(end, count);
        }
    }

    /**
     * Records in − (acknowledged + dead-lettered + pending + spooled + returned), read in one go under the lock: 0
     * unless a record was lost track of. The counters move under the same lock, so this is exact even under load.
     */
    public long unaccounted() {
        lock.lock();
        try {
            return stats.recordsIn() - stats.recordsAcknowledged() - stats.recordsDeadLettered() - pending - spooled
                    - stats.recordsReturned();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the stream's spool holds on disk (0 without a spool). */
    public long spoolBytes() {
        return spool.map(StreamSpool::bytes).orElse(0L);
    }

    /** Whether the stream has a spool. */
    public boolean hasSpool() {
        return spool.isPresent();
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
     * Stops taking records and waits up to {@code timeout} for the pending ones. What is left then is written to
     * the spool, when there is one, to be sent after the restart; else (or when the spool cannot take it) it is
     * dead-lettered, so that nothing is lost silently. Records in flight at that moment are marked as possibly
     * delivered: sent again after the restart, they may arrive twice. Forwarded records that were not acknowledged
     * stay in the spool.
     */
    public void close(Duration timeout) {
        closed = true;
        ScheduledFuture<?> periodic = periodicRefresh;
        if (periodic != null) {
            periodic.cancel(false);
        }
        drain();
        lock.lock();
        try {
            room.signalAll();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (pending > 0) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                idle.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        settleLeftovers(timeout);
        lock.lock();
        try {
            // what is still in memory now was forwarded from the spool and stays there for the next run: send no more
            stopped = true;
            inFlight.clear();
            awaitingRetry.clear();
            for (ShardQueue q : queues) {
                q.takeAll();
            }
            unrouted.takeAll();
            readyBatchable = 0;
            readySingles = 0;
            lanes.clear();
            spoolAttention = false;
        } finally {
            lock.unlock();
        }
        spool.ifPresent(StreamSpool::close);
    }

    /**
     * The bridge is stopping and has {@code timeout} to finish: when that is up, what is still pending is spooled
     * (or dead-lettered) at once, so that the sources' last exchanges complete within the time.
     */
    public void beginShutdown(Duration timeout) {
        schedule(() -> {
            if (!closed && pending() > 0) {
                settleLeftovers(timeout);
            }
        }, timeout.toNanos());
    }

    /** Spools the records still pending, in per-key order, or dead-letters them when there is no spool or no room. */
    private void settleLeftovers(Duration timeout) {
        List<Entry> left = List.of();
        lock.lock();
        try {
            long appendDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!appending.isEmpty()) {
                long wait = appendDeadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                appended.awaitNanos(wait);
            }
            if (pending > 0 && appending.isEmpty()) {
                settling = spool.isPresent();
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
        List<Entry> unspooled = spoolAtShutdown(left, timeout);
        lock.lock();
        try {
            settling = false;
        } finally {
            lock.unlock();
        }
        List<Runnable> afterUnlock = new ArrayList<>();
        if (!unspooled.isEmpty()) {
            LOG.warn("Stream {}: {} records were not acknowledged within {}; they go to the dead-letter output",
                    streamName, unspooled.size(), timeout);
            lock.lock();
            try {
                for (Entry entry : unspooled) {
                    KinesisError error = new KinesisError(KinesisError.SHUTDOWN, "Not acknowledged when the bridge "
                            + "stopped after " + entry.attempts + " attempts; it may or may not have reached Kinesis.");
                    entry.laneReleased = true;
                    deadLetter(entry, error, afterUnlock);
                }
            } finally {
                lock.unlock();
            }
        }
        afterUnlock.forEach(StreamDispatcher::runQuietly);
    }

    /**
     * Guarded by lock. Takes every pending record out of the dispatcher, in an order that keeps each key's order:
     * records forwarded from the backlog, the backlog, the records that were in flight, waiting for a retry or
     * queued, then those waiting behind them. Records forwarded from disk are left where they are, in the spool.
     */
    private List<Entry> takeLeftovers() {
        List<Entry> active = new ArrayList<>();
        inFlight.forEach(active::addAll);
        inFlight.clear();
        active.addAll(awaitingRetry);
        awaitingRetry.clear();
        for (ShardQueue q : queues) {
            active.addAll(q.takeAll());
        }
        active.addAll(unrouted.takeAll());
        readyBatchable = 0;
        readySingles = 0;
        List<Entry> waiting = new ArrayList<>();
        lanes.values().forEach(lane -> {
            if (lane.waiting != null) {
                waiting.addAll(lane.waiting);
            }
        });
        lanes.clear();
        List<Entry> left = new ArrayList<>();
        for (List<Entry> group : List.of(active, waiting)) {
            for (Entry e : group) {
                if (e.forwarded && e.spoolEnd == null && !e.finished) {
                    left.add(e);
                }
            }
        }
        left.addAll(backlog);
        backlog.clear();
        for (List<Entry> group : List.of(active, waiting)) {
            for (Entry e : group) {
                if (!e.forwarded && !e.finished) {
                    left.add(e);
                }
            }
        }
        spoolAttention = false;
        return left;
    }

    /** Writes the leftovers to the spool; returns those it could not take (no spool, full, a write error). */
    private List<Entry> spoolAtShutdown(List<Entry> left, Duration timeout) {
        if (left.isEmpty() || spool.isEmpty()) {
            return left;
        }
        List<SpoolRecord> records = new ArrayList<>(left.size());
        for (Entry e : left) {
            records.add(new SpoolRecord(e.command, e.ordering, e.attempts, e.takenMillis));
        }
        int written = 0;
        try {
            written = spool.get().append(records).get(Math.max(10, timeout.toSeconds()), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("Stream {}: could not spool the records left at stop: {}", streamName, errorOf(e).message());
        }
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            for (int i = 0; i < written; i++) {
                Entry e = left.get(i);
                e.finished = true;
                pending--;
                pendingBytes -= e.size;
                stats.pendingRecords.decrementAndGet();
                stats.pendingBytes.addAndGet(-e.size);
                spooled++;
                unread++;
                spoolAttention = true;
                stats.spooledRecords.incrementAndGet();
                stats.recordsSpooled.increment();
                RecordResult result = new RecordResult.Spooled("not acknowledged when the bridge stopped; sent after "
                        + "the restart (it may have reached Kinesis already)");
                afterUnlock.add(() -> e.future.complete(result));
            }
        } finally {
            lock.unlock();
        }
        if (written > 0) {
            LOG.info("Stream {}: {} records not acknowledged at stop were written to the spool; they are sent after "
                    + "the restart", streamName, written);
        }
        afterUnlock.forEach(StreamDispatcher::runQuietly);
        return left.subList(written, left.size());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    /**
     * The records of one partition key in memory: the one in flight (queued, sent, or waiting for a retry) and
     * those waiting behind it, and how many of them are live (not forwarded from the spool). Guarded by the lock.
     */
    private static final class Lane {
        Entry active;
        /** Created when a second record of the key arrives: most keys never need it. */
        ArrayDeque<Entry> waiting;
        int live;

        Lane(Entry active) {
            this.active = active;
            this.live = active.forwarded ? 0 : 1;
        }

        void wait(Entry entry) {
            if (waiting == null) {
                waiting = new ArrayDeque<>(4);
            }
            waiting.addLast(entry);
            if (!entry.forwarded) {
                live++;
            }
        }

        /** {@code done} (the active record) leaves; the next record of the key, if any, becomes the active one. */
        Entry advance(Entry done) {
            if (!done.forwarded) {
                live--;
            }
            Entry next = waiting == null ? null : waiting.pollFirst();
            active = next;
            return next;
        }
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

        /**
         * Sent on behalf of the spool (read back from it, or taken from its backlog when it could not be written):
         * never diverted to the spool again, retried without an attempt limit.
         */
        boolean forwarded;
        /** Where its frame ends in the spool, when it was read back from there; null for a record in memory. */
        SpoolPosition spoolEnd;
        boolean laneReleased;
        /** Its bytes left the pending-bytes budget (it is being dead-lettered, or finished). */
        boolean budgetReleased;
        long takenMillis = System.currentTimeMillis();
        String spoolReason;

        Entry(PutRecordCommand command, Ordering ordering) {
            this(command, ordering, command.hashKey());
        }

        private Entry(PutRecordCommand command, Ordering ordering, HashKey hashKey) {
            this.command = command;
            this.ordering = ordering;
            this.size = command.sizeBytes();
            this.hashKey = hashKey;
        }

        /** A record read back from the spool that is no longer valid: it is only dead-lettered, never routed. */
        static Entry invalid(PutRecordCommand command) {
            return new Entry(command, Ordering.NONE, null);
        }

        String key() {
            return command.partitionKey();
        }
    }
}
