package io.kinesisbridge.dispatch;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the records of one stream to the backend: validates them, keeps per-key order, batches them into
 * PutRecords requests, resends only the failed entries after a backoff, chains SequenceNumberForOrdering, and
 * hands what it gives up on to the dead-letter sink. Backend-agnostic: the in-memory backend gets the same
 * batches, lanes and retries as Kinesis.
 *
 * <p>Per-key lanes: with ordering {@code key} or {@code chain}, at most one record of a partition key is in flight
 * (sent, or waiting to be resent); the key's next record becomes ready only when that one is acknowledged or
 * dead-lettered. Different keys fill the batches. Every submitted record's future completes exactly once, with
 * the accepted result or with the error that sent it to the dead-letter sink.
 */
public final class StreamDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** Marks a key with a record in flight and nobody waiting behind it. Never mutated. */
    private static final ArrayDeque<Entry> NO_WAITERS = new ArrayDeque<>(0);

    private final String streamName;
    private final KinesisBackend backend;
    private final DispatchSettings settings;
    private final DeadLetterSink deadLetters;
    private final ScheduledExecutorService scheduler;
    private final DispatchStats stats = new DispatchStats();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    // ---- guarded by lock
    private final Map<String, ArrayDeque<Entry>> lanes = new HashMap<>();
    private final ArrayDeque<Entry> ready = new ArrayDeque<>();
    private final ArrayDeque<Entry> readySingles = new ArrayDeque<>();
    private final Set<Entry> awaitingRetry = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<List<Entry>> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, String> chainSequences;
    private int pending;
    private boolean lingerTimerSet;
    // ----
    private final AtomicInteger wip = new AtomicInteger();
    private volatile int maxRecordSizeBytes = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
    private volatile boolean closed;

    public StreamDispatcher(String streamName, KinesisBackend backend, DispatchSettings settings,
                            DeadLetterSink deadLetters, ScheduledExecutorService scheduler) {
        this.streamName = streamName;
        this.backend = backend;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.scheduler = scheduler;
        int chainKeys = settings.chainKeys();
        this.chainSequences = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > chainKeys;
            }
        };
    }

    /** Learns the stream's maximum record size; until it is known, records are checked against 1 MiB. */
    public CompletableFuture<Void> start() {
        return backend.describeStream(streamName)
                .thenAccept(d -> maxRecordSizeBytes = d.maxRecordSizeBytes())
                .exceptionally(e -> {
                    LOG.warn("Stream {} on backend {}: could not read its description ({}); records are checked "
                            + "against the default maximum record size", streamName, backend.name(), errorOf(e));
                    return null;
                });
    }

    public String streamName() {
        return streamName;
    }

    public DispatchStats stats() {
        return stats;
    }

    public int maxRecordSizeBytes() {
        return maxRecordSizeBytes;
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

    /**
     * Validates and sends a record. The future completes with {@link RecordResult.Accepted} once Kinesis
     * acknowledged it, or with {@link RecordResult.Failed} once it was written to the dead-letter sink; it never
     * completes exceptionally.
     */
    public CompletableFuture<RecordResult> submit(PutRequest request, Ordering ordering) {
        stats.recordsIn.increment();
        if (closed) {
            return deadLetterNow(request, new KinesisError(KinesisError.SHUTDOWN,
                    "The bridge is stopping and takes no new records for stream " + streamName + "."));
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
            pending++;
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
        int missed = 1;
        do {
            while (sendOne()) {
                // keep sending
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private boolean sendOne() {
        List<Entry> single = null;
        PutRecordCommand singleCommand = null;
        List<Entry> batch = null;
        lock.lock();
        try {
            if (inFlight.size() >= settings.maxConcurrentRequests()) {
                return false;
            }
            if (!readySingles.isEmpty()) {
                Entry entry = readySingles.pollFirst();
                singleCommand = withChainToken(entry);
                single = List.of(entry);
                inFlight.add(single);
            } else if (!ready.isEmpty()) {
                if (lingering()) {
                    return false;
                }
                batch = takeBatch();
                inFlight.add(batch);
            } else {
                return false;
            }
        } finally {
            lock.unlock();
        }
        stats.requests.increment();
        if (single != null) {
            sendSingle(single, singleCommand);
        } else {
            sendBatch(batch);
        }
        return true;
    }

    /** Whether a partly filled batch should wait for more records; arms the timer that ends the wait. */
    private boolean lingering() {
        long lingerNanos = settings.linger().toNanos();
        if (lingerNanos == 0 || closed || ready.size() >= settings.maxBatchRecords()) {
            return false;
        }
        long waited = System.nanoTime() - ready.peekFirst().readyNanos;
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

    private List<Entry> takeBatch() {
        int max = Math.min(settings.maxBatchRecords(), ready.size());
        List<Entry> batch = new ArrayList<>(max);
        long bytes = 0;
        while (!ready.isEmpty() && batch.size() < max) {
            Entry next = ready.peekFirst();
            if (!batch.isEmpty() && bytes + next.size > settings.maxBatchBytes()) {
                break;
            }
            ready.pollFirst();
            batch.add(next);
            bytes += next.size;
        }
        return batch;
    }

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
        response.whenComplete((r, error) -> onBatchDone(batch, r, error));
    }

    private void sendSingle(List<Entry> request, PutRecordCommand command) {
        Entry entry = request.get(0);
        entry.attempts++;
        CompletableFuture<RecordResult.Accepted> response;
        try {
            response = backend.putRecord(command);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete((accepted, error) -> onDone(request, accepted == null ? null : List.of(accepted), error));
    }

    private void onBatchDone(List<Entry> batch, PutRecordsResponse response, Throwable error) {
        onDone(batch, response == null ? null : response.results(), error);
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    private void onDone(List<Entry> request, List<? extends RecordResult> results, Throwable error) {
        List<Runnable> afterUnlock = new ArrayList<>();
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
                        finish(request.get(i), accepted, afterUnlock);
                    } else {
                        fail(request.get(i), ((RecordResult.Failed) result).error(), afterUnlock);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        afterUnlock.forEach(Runnable::run);
        drain();
    }

    /** Guarded by lock. */
    private void fail(Entry entry, KinesisError error, List<Runnable> afterUnlock) {
        if (KinesisError.THROUGHPUT_EXCEEDED.equals(error.code())) {
            stats.recordsThrottled.increment();
        }
        if (entry.usedChainToken && isStaleChainToken(error)) {
            // the backend no longer knows the key's last sequence number (a restarted local backend, say):
            // forget it and send the record unchained rather than dead-letter it
            chainSequences.remove(entry.key());
            stats.recordsRetried.increment();
            entry.readyNanos = System.nanoTime();
            readySingles.addFirst(entry);
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
        finish(entry, new RecordResult.Failed(reported), afterUnlock);
        int attempts = entry.attempts;
        afterUnlock.add(() -> writeDeadLetter(entry.command.toRequest(), reported, attempts));
    }

    private void retry(Entry entry) {
        lock.lock();
        try {
            if (!awaitingRetry.remove(entry)) {
                return;
            }
            entry.readyNanos = System.nanoTime();
            if (isSingle(entry)) {
                readySingles.addFirst(entry);
            } else {
                ready.addFirst(entry);
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
        pending--;
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
        if (isSingle(entry)) {
            readySingles.addLast(entry);
        } else {
            ready.addLast(entry);
        }
    }

    private boolean isSingle(Entry entry) {
        return entry.ordering == Ordering.CHAIN || entry.size > settings.maxBatchBytes();
    }

    private static boolean isStaleChainToken(KinesisError error) {
        return KinesisError.INVALID_ARGUMENT.equals(error.code()) && error.message().contains("ExclusiveMinimumSequenceNumber");
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

    // ---- shutdown --------------------------------------------------------------------------------------------

    /**
     * Stops taking records, waits up to {@code timeout} for the pending ones, then dead-letters what is left
     * (records in flight are marked as possibly delivered) so that nothing is lost silently.
     */
    public void close(Duration timeout) {
        closed = true;
        drain();
        List<Runnable> afterUnlock = new ArrayList<>();
        lock.lock();
        try {
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
                left.addAll(readySingles);
                readySingles.clear();
                left.addAll(ready);
                ready.clear();
                lanes.values().forEach(left::addAll);
                for (Entry entry : left) {
                    KinesisError error = new KinesisError(KinesisError.SHUTDOWN, "Not acknowledged when the bridge "
                            + "stopped after " + entry.attempts + " attempts; it may or may not have reached Kinesis.");
                    finish(entry, new RecordResult.Failed(error), afterUnlock);
                    int attempts = entry.attempts;
                    afterUnlock.add(() -> writeDeadLetter(entry.command.toRequest(), error, attempts));
                }
                lanes.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        afterUnlock.forEach(Runnable::run);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static final class Entry {
        final PutRecordCommand command;
        final Ordering ordering;
        final int size;
        final CompletableFuture<RecordResult> future = new CompletableFuture<>();
        int attempts;
        long readyNanos;
        boolean usedChainToken;
        boolean finished;

        Entry(PutRecordCommand command, Ordering ordering) {
            this.command = command;
            this.ordering = ordering;
            this.size = command.sizeBytes();
        }

        String key() {
            return command.partitionKey();
        }
    }
}
