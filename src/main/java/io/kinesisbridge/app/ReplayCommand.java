package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code replay --from memory:DIR | dead-letter:FILE [--to STREAM]}: sends records again, to the backend the
 * configuration names (for instance from an offline capture to Kinesis), keeping per-key order. A captured
 * stream is read shard by shard, parents before children; a dead-letter file line by line. Records the target
 * rejects go to the dead-letter output. Exit status 0 when every record was acknowledged, 1 otherwise.
 */
final class ReplayCommand {

    private static final int IN_FLIGHT = 10_000;

    private ReplayCommand() {
    }

    record Outcome(long sent, long acknowledged, long deadLettered) {
    }

    static int run(BridgeSettings settings, String from, String to, PrintStream out) {
        KinesisBackend backend = BridgeConfiguration.createBackend(settings);
        try {
            return run(settings, backend, from, to, out).deadLettered() == 0 ? 0 : 1;
        } finally {
            backend.close();
        }
    }

    static Outcome run(BridgeSettings settings, KinesisBackend backend, String from, String to, PrintStream out) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "replay-timer");
            t.setDaemon(true);
            return t;
        });
        FileDeadLetterSink deadLetters = new FileDeadLetterSink(Path.of(settings.text("bridge.dead-letter.dir")),
                settings.longValue("bridge.dead-letter.max-file-bytes"), settings.integer("bridge.dead-letter.max-files"));
        DispatchSettings dispatch = new DispatchSettings(settings.integer("bridge.dispatch.max-batch-records"),
                DispatchSettings.defaults().maxBatchBytes(), Duration.ofMillis(settings.longValue("bridge.dispatch.linger-ms")),
                settings.integer("bridge.dispatch.max-concurrent-requests"),
                new RetryPolicy(settings.integer("bridge.retry.max-attempts"), Duration.ofMillis(settings.longValue("bridge.retry.base-delay-ms")),
                        Duration.ofMillis(settings.longValue("bridge.retry.max-delay-ms"))), DispatchSettings.defaults().chainKeys());
        Map<String, StreamDispatcher> dispatchers = new HashMap<>();
        Semaphore room = new Semaphore(IN_FLIGHT);
        AtomicLong sent = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        try {
            Consumer<PutRequest> send = request -> {
                String stream = to != null ? to : request.streamName();
                StreamDispatcher d = dispatchers.computeIfAbsent(stream, s -> {
                    StreamDispatcher created = new StreamDispatcher(s, backend, dispatch, deadLetters, timer);
                    created.start().join();
                    return created;
                });
                room.acquireUninterruptibly();
                sent.incrementAndGet();
                // a SequenceNumberForOrdering from elsewhere means nothing to the target: order comes from the lanes
                PutRequest again = new PutRequest(stream, request.partitionKey(), request.data(), request.explicitHashKey(), null);
                CompletableFuture<RecordResult> f = d.submit(again, Ordering.KEY);
                f.whenComplete((r, e) -> {
                    (r instanceof RecordResult.Accepted ? acknowledged : rejected).incrementAndGet();
                    room.release();
                });
            };
            if (from.startsWith("memory:")) {
                replayCapture(Path.of(from.substring("memory:".length())), send);
            } else if (from.startsWith("dead-letter:")) {
                replayDeadLetters(Path.of(from.substring("dead-letter:".length())), send);
            } else {
                throw new IllegalArgumentException("--from takes memory:DIRECTORY or dead-letter:FILE, got '" + from + "'");
            }
            dispatchers.values().forEach(d -> d.close(Duration.ofMillis(settings.longValue("bridge.shutdown-timeout-ms"))));
            // every record's completion has been counted once all the room is back
            room.acquireUninterruptibly(IN_FLIGHT);
        } finally {
            timer.shutdownNow();
            deadLetters.close();
        }
        Outcome outcome = new Outcome(sent.get(), acknowledged.get(), rejected.get());
        out.printf("replay from %s: %d records sent, %d acknowledged, %d dead-lettered (see %s)%n", from,
                outcome.sent(), outcome.acknowledged(), outcome.deadLettered(), settings.text("bridge.dead-letter.dir"));
        return outcome;
    }

    /** Every stream captured under {@code dir}, shard by shard; closed parents come before their children. */
    private static void replayCapture(Path dir, Consumer<PutRequest> send) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no captured streams in " + dir + ": not a directory");
        }
        InMemoryKinesis capture = InMemoryKinesis.durable(MemoryBackendSettings.defaults()
                .withMaxBytes(Long.MAX_VALUE), dir, false);
        try {
            for (String stream : capture.streamNames()) {
                List<StreamRecord> records = capture.readAll(stream);
                for (StreamRecord r : records) {
                    send.accept(new PutRequest(stream, r.partitionKey(), r.data(), null, null));
                }
            }
        } finally {
            capture.close();
        }
    }

    /** The lines a dead-letter file holds now (letters written while replaying are not read again). */
    private static void replayDeadLetters(Path file, Consumer<PutRequest> send) {
        try {
            long size = Files.size(file);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new java.io.BufferedInputStream(new BoundedInput(Files.newInputStream(file), size)), StandardCharsets.UTF_8))) {
                Iterator<String> lines = in.lines().iterator();
                int n = 0;
                while (lines.hasNext()) {
                    String line = lines.next();
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        send.accept(DeadLetterJson.read(line).request());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads at most {@code limit} bytes: the file as it was when the replay began. */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(java.io.InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
