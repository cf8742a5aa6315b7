package io.kinesisbridge.dispatch;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.put.PutRecordValidator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the stream's description: its maximum record size, and with flow control on its open shards, which it hands
 * to the {@link ShardQueues} under the dispatcher's lock. Read at start, every {@link FlowControl#refreshInterval()},
 * and when the dispatcher sees the map is stale, at most once a second. Thread-safe.
 */
final class ShardMapRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);
    /** Reading the shard map more often than this would only load the control plane (ListShards: 1,000/s/account). */
    private static final long MIN_REFRESH_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String streamName;
    private final KinesisBackend backend;
    private final FlowControl flow;
    private final DispatchStats stats;
    private final DispatchTimers timers;
    private final ReentrantLock lock;
    private final ShardQueues queues;
    private final BooleanSupplier closed;
    private final Runnable afterRead;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long lastRefreshNanos = System.nanoTime() - MIN_REFRESH_GAP_NANOS;
    private volatile Optional<ScheduledFuture<?>> periodicRefresh = Optional.empty();
    private final CompletableFuture<Void> described = new CompletableFuture<>();
    private volatile int maxRecordSizeBytes = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;

    /** @param afterRead runs after each answer, an error too (the dispatcher sends what waited for it) */
    ShardMapRefresher(
            String streamName,
            KinesisBackend backend,
            FlowControl flow,
            DispatchStats stats,
            DispatchTimers timers,
            ReentrantLock lock,
            ShardQueues queues,
            BooleanSupplier closed,
            Runnable afterRead) {
        this.streamName = streamName;
        this.backend = backend;
        this.flow = flow;
        this.stats = stats;
        this.timers = timers;
        this.lock = lock;
        this.queues = queues;
        this.closed = closed;
        this.afterRead = afterRead;
    }

    /** Reads the description for the first time and starts the periodic refresh; completes once the answer is in. */
    CompletableFuture<Void> start() {
        if (flow.enabled() && !flow.refreshInterval().isZero()) {
            periodicRefresh =
                    timers.every(this::requestRefresh, flow.refreshInterval().toNanos());
            if (periodicRefresh.isEmpty()) {
                LOG.debug("Stream {}: no periodic shard map refresh, the scheduler is stopping", streamName);
            }
        }
        refreshing.set(true);
        readDescription(false);
        return described;
    }

    /** Completes once the first answer is in, also when it is an error. */
    CompletableFuture<Void> described() {
        return described;
    }

    int maxRecordSizeBytes() {
        return maxRecordSizeBytes;
    }

    void stop() {
        periodicRefresh.ifPresent(p -> p.cancel(false));
    }

    /** Reads the shard map again, at most once a second; signs that come during a read are covered by it. */
    void requestRefresh() {
        if (!flow.enabled() || closed.getAsBoolean() || !refreshing.compareAndSet(false, true)) {
            return;
        }
        long wait = lastRefreshNanos + MIN_REFRESH_GAP_NANOS - System.nanoTime();
        if (wait > 0) {
            timers.schedule(() -> readDescription(true), wait);
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
                LOG.warn(
                        "Stream {} on backend {}: could not read its description ({}); records are checked against "
                                + "the last known maximum record size and sent {}",
                        streamName,
                        backend.name(),
                        StreamDispatcher.errorOf(error),
                        knowsShards() ? "paced by the last known shards" : "unpaced");
            }
            refreshing.set(false);
            described.complete(null);
            afterRead.run();
        });
    }

    private boolean knowsShards() {
        lock.lock();
        try {
            return queues.shardMap().isPresent();
        } finally {
            lock.unlock();
        }
    }

    /** Takes a new description: the record size limit and the open shards, keeping the budgets of shards it knew. */
    private void apply(StreamDescription description) {
        maxRecordSizeBytes = description.maxRecordSizeBytes();
        if (!flow.enabled()) {
            return;
        }
        lock.lock();
        try {
            if (queues.apply(description.shards())) {
                LOG.info(
                        "Stream {}: shard map now has {} open shards",
                        streamName,
                        description.shards().size());
            }
        } finally {
            lock.unlock();
        }
    }
}
