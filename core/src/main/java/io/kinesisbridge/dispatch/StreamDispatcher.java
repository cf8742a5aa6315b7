package io.kinesisbridge.dispatch;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.Utf8;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the records of one stream to the backend: validates them, keeps per-key order, paces them per shard,
 * batches them into PutRecords requests, resends only the failed entries after a backoff, chains
 * SequenceNumberForOrdering, and hands what it gives up on to the dead-letter sink. Backend-agnostic: the in-memory
 * backend gets the same batches, lanes, pacing and retries as Kinesis.
 *
 * <p>This class keeps submit, send, answer handling and close: the paths where a record moves between the
 * collaborators below, all under one lock. It stays above 500 lines because each answer (accepted, retried, spooled,
 * dead-lettered, given back) touches several of them at once, and splitting those paths would spread one decision
 * over classes that each need the others. The collaborators, none thread-safe on its own: {@link KeyLanes} (one
 * record of a key in flight), {@link ShardQueues} (routing, batches, linger, pacing; the shard map read by
 * {@link ShardMapRefresher}), {@link ChainTokens}, {@link PendingBudget} (back-pressure: at most
 * {@link DispatchSettings#maxPendingBytes()} of records; past it {@link #submit(PutRequest, Ordering, Duration)}
 * waits for room or refuses the record), {@link SpoolForwarder} (store and forward), {@link DeadLetterWriter},
 * {@link InFlightRequests} and {@link StopSettler}.
 *
 * <p>Retryable failures (Kinesis unreachable, 5xx, throttling) that use up a record's retry budget send it to the
 * spool, when there is one, instead of the dead-letter output; records the spool cannot take go back to their
 * sources with a {@link KinesisError#BRIDGE_SATURATED} failure (HTTP 503, MQTT not acknowledged, file tailing
 * paused). Non-retryable errors go to the dead-letter output.
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
    /** How long a spooled record whose dead letter could not be written waits before the next try. */
    private static final long DEAD_LETTER_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String streamName;
    private final KinesisBackend backend;
    private final DispatchSettings settings;
    private final Completions completions;
    private final DispatchStats stats = new DispatchStats();
    /** Store and forward; null when the stream has no spool. */
    private final SpoolForwarder forwarder;

    private final ReentrantLock lock = new ReentrantLock();
    private final PendingBudget budget;
    private final DispatchTimers timers;
    private final DeadLetterWriter letters;
    // ---- guarded by lock
    private final KeyLanes lanes = new KeyLanes();
    private final ShardQueues queues;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ChainTokens chainTokens;
    // ----
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Thread drainer;
    private final ShardMapRefresher refresher;
    private final StopSettler settler;
    private volatile boolean closed;
    /** Closed and settled: nothing is sent any more. */
    private volatile boolean stopped;

    /** Completes futures on the thread that learns the outcome; callers must not block in their callbacks. */
    public StreamDispatcher(
            String streamName,
            KinesisBackend backend,
            DispatchSettings settings,
            DeadLetterSink deadLetters,
            ScheduledExecutorService scheduler) {
        this(streamName, backend, settings, deadLetters, scheduler, Runnable::run);
    }

    /**
     * @param scheduler   runs backoff, linger, pacing and refresh timers; its tasks never block
     * @param completions completes the records' futures and writes dead letters; a caller's callback may run
     *                    there and may block (waiting for room, say) without stopping the sends
     */
    public StreamDispatcher(
            String streamName,
            KinesisBackend backend,
            DispatchSettings settings,
            DeadLetterSink deadLetters,
            ScheduledExecutorService scheduler,
            Executor completions) {
        this(streamName, backend, settings, deadLetters, scheduler, completions, Optional.empty());
    }

    /**
     * @param spool the stream's spool (store and forward), opened: the records it holds from an earlier run are
     *              counted in and forwarded once the stream's description is read; the dispatcher closes it
     */
    public StreamDispatcher(
            String streamName,
            KinesisBackend backend,
            DispatchSettings settings,
            DeadLetterSink deadLetters,
            ScheduledExecutorService scheduler,
            Executor completions,
            Optional<StreamSpool> spool) {
        this.streamName = streamName;
        this.backend = backend;
        this.settings = settings;
        this.budget = new PendingBudget(lock, settings.maxPendingBytes(), stats);
        this.completions = new Completions(completions);
        this.timers = new DispatchTimers(scheduler);
        this.letters = new DeadLetterWriter(streamName, deadLetters, stats);
        this.queues = new ShardQueues(lock, settings, stats, timers, this::drain, this::requestRefresh);
        this.refresher = new ShardMapRefresher(
                streamName, backend, settings.flowControl(), stats, timers, lock, queues, () -> closed, this::drain);
        this.chainTokens = new ChainTokens(settings.chainKeys());
        this.forwarder = spool.map(s -> new SpoolForwarder(
                        streamName, backend.name(), s, settings, stats, budget, lock, timers, new ForwarderHost()))
                .orElse(null);
        this.settler = new StopSettler(streamName, lock, budget, inFlight, queues, lanes, forwarder, this::deadLetter);
    }

    /**
     * Learns the stream's maximum record size and, with flow control on, its shards; until then records are checked
     * against 1 MiB (a larger one waits for the answer) and sent unpaced. Completes when the answer is in, also when
     * it is an error (logged; the map is asked for again when a record shows it is needed).
     */
    public CompletableFuture<Void> start() {
        return refresher.start();
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
        return refresher.maxRecordSizeBytes();
    }

    /** The open shards the dispatcher paces, once it has read them. */
    public Optional<ShardMap> shardMap() {
        lock.lock();
        try {
            return queues.shardMap();
        } finally {
            lock.unlock();
        }
    }

    /** Records submitted and neither acknowledged nor dead-lettered yet. */
    public int pending() {
        lock.lock();
        try {
            return budget.records();
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
            return deadLetterNow(
                    request,
                    new KinesisError(
                            KinesisError.SHUTDOWN,
                            "The bridge is stopping and takes no new records for stream " + streamName + "."));
        }
        if (!refresher.described().isDone() && exceedsDefaultRecordSize(request)) {
            // the stream may allow up to 10 MiB: judge this record once its limit is known
            return refresher.described().thenCompose(ignored -> submit(request, ordering, Duration.ZERO));
        }
        PutRecordCommand command;
        try {
            command = PutRecordValidator.validate(request, refresher.maxRecordSizeBytes());
        } catch (KinesisException e) {
            return deadLetterNow(request, e.error());
        }
        DispatchEntry entry = new DispatchEntry(command, ordering);
        lock.lock();
        try {
            if ((forwarder != null && forwarder.refusesNew())
                    || !budget.admit(entry.size, maxWait, drainer != Thread.currentThread(), () -> closed)) {
                stats.recordsRefused.increment();
                return CompletableFuture.completedFuture(new RecordResult.Failed(new KinesisError(
                        KinesisError.BRIDGE_SATURATED,
                        "Stream " + streamName + " holds " + budget.bytes()
                                + " bytes of records not yet acknowledged (limit " + settings.maxPendingBytes()
                                + "); the record was not taken, try again later.")));
            }
            stats.recordsIn.increment();
            entry.claim = budget.take(entry.size);
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
    private void enterLane(DispatchEntry entry) {
        switch (lanes.enter(entry, spooling())) {
            case READY -> makeReady(entry);
            case BEHIND_SPOOL -> forwarder.followSpooled(entry);
            case WAITING -> {
                // made ready when the record of its key ahead of it is settled
            }
        }
    }

    private static boolean exceedsDefaultRecordSize(PutRequest request) {
        return request.data() != null
                && request.partitionKey() != null
                && (long) request.data().length + Utf8.encodedLength(request.partitionKey())
                        > PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
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
        Optional<String> problem = letters.write(request, error, 0);
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
        return CompletableFuture.completedFuture(
                new RecordResult.Failed(problem.isEmpty() ? error : letters.notWritten(error)));
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Sends what can be sent, then gives the spool its work: a backlog to write, records to read back. */
    private void drain() {
        if (forwarder != null) {
            List<Runnable> completeNow;
            lock.lock();
            try {
                completeNow = forwarder.takeDeferred();
            } finally {
                lock.unlock();
            }
            complete(completeNow);
        }
        drainSends();
        if (forwarder != null && forwarder.needsAttention()) {
            forwarder.pump();
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
        List<DispatchEntry> request;
        PutRecordCommand singleCommand = null;
        lock.lock();
        try {
            if (inFlight.requests() >= settings.maxConcurrentRequests() || stopped) {
                return false;
            }
            long now = System.nanoTime();
            DispatchEntry single = queues.pollSingle(now);
            if (single != null) {
                singleCommand = chainTokens.commandFor(single);
                request = List.of(single);
            } else {
                request = queues.takeBatch(now, closed);
            }
            if (request.isEmpty()) {
                queues.armWakeTimer(now);
                return false;
            }
            inFlight.sent(request);
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

    private void sendBatch(List<DispatchEntry> batch) {
        List<PutRecordCommand> commands = new ArrayList<>(batch.size());
        for (DispatchEntry e : batch) {
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

    private void sendSingle(List<DispatchEntry> request, PutRecordCommand command) {
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

    private void onDone(List<DispatchEntry> request, List<? extends RecordResult> results, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
        boolean unknownShard = false;
        lock.lock();
        try {
            if (!inFlight.answered(request)) {
                return; // given up on at shutdown already
            }
            if (error == null && results.size() != request.size()) {
                error = new IllegalStateException(
                        "backend answered " + results.size() + " results for " + request.size() + " records");
            }
            if (error != null) {
                KinesisError e = errorOf(error);
                for (DispatchEntry entry : request) {
                    fail(entry, e, afterUnlock);
                }
            } else {
                for (int i = 0; i < request.size(); i++) {
                    RecordResult result = results.get(i);
                    if (result instanceof RecordResult.Accepted accepted) {
                        stats.shard(accepted.shardId()).recordsAcknowledged.increment();
                        unknownShard |= queues.isUnknownShard(accepted.shardId());
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

    /** Guarded by lock. */
    private void fail(DispatchEntry entry, KinesisError error, List<Runnable> afterUnlock) {
        if (KinesisError.THROUGHPUT_EXCEEDED.equals(error.code())) {
            stats.recordsThrottled.increment();
            if (entry.sentFrom != null && entry.sentFrom.budget != null) {
                entry.sentFrom.stats.recordsThrottled.increment();
                entry.sentFrom.budget.throttled(System.nanoTime());
            }
        }
        if (chainTokens.forgetIfStale(entry, error)) {
            // send the record unchained rather than dead-letter it
            stats.recordsRetried.increment();
            entry.readyNanos = System.nanoTime();
            queues.enqueue(entry, true);
            return;
        }
        if (entry.forwarded && error.retryable()) {
            // safe on disk (or held back by a spool that cannot take it): no attempt limit, only the backoff
            forwarder.forwardFailed();
            stats.recordsRetried.increment();
            inFlight.awaitRetry(entry);
            timers.schedule(
                    () -> retry(entry), settings.retry().backoff(entry.attempts).toNanos());
            return;
        }
        Optional<Duration> delay =
                entry.forwarded ? Optional.empty() : settings.retry().nextDelay(entry.attempts, error);
        if (forwarder != null && !entry.forwarded && error.retryable() && (delay.isEmpty() || spooling())) {
            toSpool(entry, error.code() + " after " + entry.attempts + " attempts: " + error.message());
            return;
        }
        if (delay.isPresent()) {
            stats.recordsRetried.increment();
            inFlight.awaitRetry(entry);
            timers.schedule(() -> retry(entry), delay.get().toNanos());
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
    private void deadLetter(DispatchEntry entry, KinesisError reason, List<Runnable> afterUnlock) {
        DispatchEntry next = lanes.release(entry);
        if (next != null) {
            makeReady(next);
        }
        if (entry.spoolEnd == null) {
            // its bytes leave the budget now: a source waiting for room on the completions thread, where the letter
            // is written, must not wait for that letter
            budget.releaseBytes(entry.claim);
        }
        afterUnlock.add(() -> writeLetterOf(entry, reason));
    }

    /**
     * Writes the record's dead letter and settles the record: dead-lettered; or, when the letter cannot be written,
     * a live record goes back to its source (like a record a full spool cannot take) and a record read back from
     * the spool stays there, its letter tried again later (or by the next run).
     */
    private void writeLetterOf(DispatchEntry entry, KinesisError reason) {
        Optional<String> problem = letters.write(entry.command.toRequest(), reason, entry.attempts);
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
            if (problem.isEmpty()) {
                finish(entry, new RecordResult.Failed(reason), afterUnlock);
            } else if (entry.forwarded) {
                retryLetterLater(entry, reason);
            } else {
                giveBack(entry, letters.notWritten(reason), afterUnlock);
            }
        } finally {
            lock.unlock();
        }
        Completions.runHere(afterUnlock);
        drain();
    }

    /** A record read back from the spool is safe there: its letter is tried again later, or by the next run after a stop. */
    private void retryLetterLater(DispatchEntry entry, KinesisError reason) {
        if (closed) {
            return;
        }
        // when the scheduler is stopping, the record stays in the spool for the next run
        timers.scheduleUnlessStopping(
                () -> complete(List.of(() -> writeLetterOf(entry, reason))), DEAD_LETTER_RETRY_NANOS);
    }

    private void retry(DispatchEntry entry) {
        lock.lock();
        try {
            if (!inFlight.retryDue(entry)) {
                return;
            }
            if (!entry.forwarded && spooling()) {
                forwarder.followSpooled(entry);
            } else {
                entry.readyNanos = System.nanoTime();
                queues.enqueue(entry, true);
            }
        } finally {
            lock.unlock();
        }
        drain();
    }

    /** Guarded by lock. Completes the record and lets the next record of its key go. */
    private void finish(DispatchEntry entry, RecordResult result, List<Runnable> afterUnlock) {
        if (entry.finished) {
            return;
        }
        entry.finished = true;
        boolean onDisk = entry.spoolEnd != null;
        if (forwarder != null) {
            forwarder.settled(entry, result instanceof RecordResult.Accepted);
        }
        if (!onDisk) {
            budget.leave(entry.claim);
        }
        if (result instanceof RecordResult.Accepted accepted) {
            stats.recordsAcknowledged.increment();
            chainTokens.acknowledged(entry, accepted.sequenceNumber());
        } else {
            stats.recordsDeadLettered.increment();
        }
        DispatchEntry next = lanes.release(entry);
        if (next != null) {
            makeReady(next);
        }
        if (onDisk) {
            forwarder.releaseSettled();
        } else {
            afterUnlock.add(() -> entry.future.complete(result));
        }
    }

    /** Guarded by lock. A live record goes to the spool while the spool holds older records; others to their shard. */
    private void makeReady(DispatchEntry entry) {
        if (!entry.forwarded && spooling()) {
            forwarder.followSpooled(entry);
            return;
        }
        entry.readyNanos = System.nanoTime();
        queues.enqueue(entry, false);
    }

    private void complete(List<Runnable> tasks) {
        completions.submit(tasks);
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
        return forwarder != null && forwarder.spooling();
    }

    /** Guarded by lock. */
    private void toSpool(DispatchEntry entry, String reason) {
        forwarder.toSpool(entry, reason);
    }

    /** Guarded by lock. A live record goes back to its source, not sent: its future completes with {@code error}. */
    private void giveBack(DispatchEntry e, KinesisError error, List<Runnable> afterUnlock) {
        e.finished = true;
        budget.leave(e.claim);
        stats.recordsReturned.increment();
        RecordResult result = new RecordResult.Failed(error);
        afterUnlock.add(() -> e.future.complete(result));
    }

    /** The dispatcher's side of store and forward; each method as {@link SpoolForwarder.Host} says. */
    private final class ForwarderHost implements SpoolForwarder.Host {
        @Override
        public DispatchEntry releaseLane(DispatchEntry entry) {
            return lanes.release(entry);
        }

        @Override
        public void makeReady(DispatchEntry forwarded) {
            StreamDispatcher.this.makeReady(forwarded);
        }

        @Override
        public List<DispatchEntry> takeQueued() {
            return queues.takeAll();
        }

        @Override
        public void enterLane(DispatchEntry forwarded) {
            StreamDispatcher.this.enterLane(forwarded);
        }

        @Override
        public void deadLetter(DispatchEntry entry, KinesisError reason, List<Runnable> afterUnlock) {
            StreamDispatcher.this.deadLetter(entry, reason, afterUnlock);
        }

        @Override
        public void giveBack(DispatchEntry entry, KinesisError error, List<Runnable> afterUnlock) {
            StreamDispatcher.this.giveBack(entry, error, afterUnlock);
        }

        @Override
        public boolean mayForward() {
            return !closed && refresher.described().isDone();
        }

        @Override
        public int maxRecordSizeBytes() {
            return refresher.maxRecordSizeBytes();
        }

        @Override
        public void complete(List<Runnable> tasks) {
            StreamDispatcher.this.complete(tasks);
        }

        @Override
        public void drain() {
            StreamDispatcher.this.drain();
        }
    }

    /**
     * Records in − (acknowledged + dead-lettered + pending + spooled + returned), read in one go under the lock: 0
     * unless a record was lost track of. The counters move under the same lock, so this is exact even under load.
     */
    public long unaccounted() {
        lock.lock();
        try {
            return stats.recordsIn()
                    - stats.recordsAcknowledged()
                    - stats.recordsDeadLettered()
                    - budget.records()
                    - (forwarder == null ? 0 : forwarder.spooled())
                    - stats.recordsReturned();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the stream's spool holds on disk (0 without a spool). */
    public long spoolBytes() {
        return forwarder == null ? 0 : forwarder.bytes();
    }

    /** Whether the stream has a spool. */
    public boolean hasSpool() {
        return forwarder != null;
    }

    private void requestRefresh() {
        refresher.requestRefresh();
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
        refresher.stop();
        drain();
        lock.lock();
        try {
            budget.wakeWaiters();
            budget.awaitIdle(timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        settler.settle(timeout);
        lock.lock();
        try {
            // what is still in memory now was forwarded from the spool and stays there for the next run: send no more
            stopped = true;
            inFlight.takeAll();
            queues.takeAll();
            lanes.takeWaiting();
            if (forwarder != null) {
                forwarder.stopPumping();
            }
        } finally {
            lock.unlock();
        }
        if (forwarder != null) {
            forwarder.close();
        }
    }

    /**
     * The bridge is stopping and has {@code timeout} to finish: when that is up, what is still pending is spooled
     * (or dead-lettered) at once, so that the sources' last exchanges complete within the time.
     */
    public void beginShutdown(Duration timeout) {
        timers.schedule(
                () -> {
                    if (!closed && pending() > 0) {
                        settler.settle(timeout);
                    }
                },
                timeout.toNanos());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
