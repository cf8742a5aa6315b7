package io.kinesisbridge.dispatch.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's spool, used from any thread: every file operation runs on the spool's own thread, in the order
 * asked, and answers with a future. Appends are written together and forced to the disk as the fsync policy says
 * before their future completes, so a caller that appends what piled up while the previous append ran gets group
 * commit. Releases are coalesced: the head checkpoint is written at most every {@link #RELEASE_EVERY_MS} ms.
 */
public final class StreamSpool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSpool.class);
    static final long RELEASE_EVERY_MS = 100;

    private final String streamName;
    private final SpoolSettings settings;
    private final SpoolStore store;
    private final ScheduledThreadPoolExecutor worker;
    // ---- read and written on the worker thread only
    private long lastSyncNanos = System.nanoTime();
    private boolean syncScheduled;
    private SpoolPosition releaseTo;
    private long releaseRecords;
    private boolean releaseScheduled;
    // ----
    private volatile long records;
    private volatile long bytes;
    private volatile long writeErrors;
    private volatile boolean closed;

    private StreamSpool(String streamName, SpoolSettings settings, SpoolStore store) {
        this.streamName = streamName;
        this.settings = settings;
        this.store = store;
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kinesis-put-spool-" + streamName);
            t.setDaemon(true);
            return t;
        });
        this.worker.setRemoveOnCancelPolicy(true);
        this.worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.records = store.records();
        this.bytes = store.bytes();
    }

    /** Opens the stream's spool in {@code settings.dir()}, recovering what an earlier run left there. */
    public static StreamSpool open(String streamName, SpoolSettings settings) {
        return open(streamName, settings, ChannelOpener.DEFAULT);
    }

    /** {@link #open(String, SpoolSettings)} with files opened by {@code opener} (tests simulate a full disk with it). */
    public static StreamSpool open(String streamName, SpoolSettings settings, ChannelOpener opener) {
        try {
            return new StreamSpool(streamName, settings, SpoolStore.open(settings, opener));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the spool of stream " + streamName + " in " + settings.dir(), e);
        }
    }

    public String streamName() {
        return streamName;
    }

    public SpoolSettings settings() {
        return settings;
    }

    /** Records found at opening, from an earlier run. */
    public long recoveredRecords() {
        return store.recovery().records();
    }

    /** Records written and not yet released. */
    public long records() {
        return records;
    }

    /** Writes that failed (a full disk, say) since the spool was opened; their records were not spooled. */
    public long writeErrors() {
        return writeErrors;
    }

    /** Frame bytes on disk not yet released (what counts against the cap). */
    public long bytes() {
        return bytes;
    }

    /**
     * Writes the longest prefix of the records that fits the cap and forces it to the disk as the policy says.
     * Completes with the number written, 0 when the spool is full; fails with the IOException of a write that
     * wrote nothing (a full disk, say).
     */
    public CompletableFuture<Integer> append(List<SpoolRecord> batch) {
        List<byte[]> frames = new ArrayList<>(batch.size());
        for (SpoolRecord r : batch) {
            frames.add(SpoolFrames.encode(r));
        }
        return run(() -> {
            try {
                SpoolStore.Mark before = store.mark();
                int written = store.append(frames);
                if (written > 0) {
                    try {
                        syncAsPolicySays();
                    } catch (IOException e) {
                        // the records go back to their sources: take their frames back too
                        try {
                            store.rollback(before);
                        } catch (IOException | RuntimeException r) {
                            e.addSuppressed(r);
                            LOG.error(
                                    "Spool of stream {}: an fsync failed and the records written before it could not"
                                            + " be taken back ({}); they may be sent twice",
                                    streamName,
                                    r.toString());
                        }
                        throw e;
                    }
                }
                return written;
            } finally {
                publish();
            }
        });
    }

    private void syncAsPolicySays() throws IOException {
        switch (settings.fsync()) {
            case ALWAYS -> {
                store.sync();
                lastSyncNanos = System.nanoTime();
            }
            case INTERVAL -> {
                long due = lastSyncNanos + settings.fsyncInterval().toNanos() - System.nanoTime();
                if (due <= 0) {
                    store.sync();
                    lastSyncNanos = System.nanoTime();
                } else if (!syncScheduled) {
                    syncScheduled = true;
                    worker.schedule(this::scheduledSync, due, TimeUnit.NANOSECONDS);
                }
            }
            case NEVER -> {}
        }
    }

    private void scheduledSync() {
        syncScheduled = false;
        try {
            store.sync();
            lastSyncNanos = System.nanoTime();
        } catch (IOException e) {
            LOG.warn("Spool of stream {}: fsync failed: {}", streamName, e.toString());
        }
    }

    /** Up to {@code maxRecords} records (about {@code maxBytes}) that have not been read yet, oldest first. */
    public CompletableFuture<List<SpoolRead>> read(int maxRecords, long maxBytes) {
        return run(() -> store.read(maxRecords, maxBytes));
    }

    /**
     * Everything up to {@code end} ({@code count} records more than the last release) is acknowledged or
     * dead-lettered: its space is freed and the head checkpoint moves, soon.
     */
    public void release(SpoolPosition end, long count) {
        try {
            worker.execute(() -> {
                if (releaseTo == null || end.compareTo(releaseTo) > 0) {
                    releaseTo = end;
                }
                releaseRecords += count;
                records = Math.max(0, records - count);
                if (!releaseScheduled) {
                    releaseScheduled = true;
                    worker.schedule(this::applyRelease, RELEASE_EVERY_MS, TimeUnit.MILLISECONDS);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug(
                    "Spool of stream {}: release after close ignored; the records are forwarded again after a restart",
                    streamName);
        }
    }

    private void applyRelease() {
        releaseScheduled = false;
        if (releaseTo == null) {
            return;
        }
        try {
            store.release(releaseTo, releaseRecords);
        } catch (IOException e) {
            LOG.warn(
                    "Spool of stream {}: could not move the head checkpoint ({}); acknowledged records may be "
                            + "forwarded again after a restart",
                    streamName,
                    e.toString());
        }
        releaseTo = null;
        releaseRecords = 0;
        publish();
    }

    private void publish() {
        records = store.records() - releaseRecords;
        bytes = store.bytes();
        writeErrors = store.writeErrors();
    }

    private <T> CompletableFuture<T> run(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    result.complete(task.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IOException("the spool of stream " + streamName + " is closed"));
        }
        return result;
    }

    /** Applies the last release, forces what was written, closes the files and stops the thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = run(() -> {
                    applyRelease();
                    store.close();
                    return null;
                })
                .thenApply(v -> null);
        worker.shutdown();
        try {
            done.get(30, TimeUnit.SECONDS);
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Spool of stream {}: not closed cleanly: {}", streamName, e.toString());
        }
        worker.shutdownNow();
    }
}
