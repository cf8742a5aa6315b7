package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.CredentialsSource;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.component.KinesisPutDispatchConfiguration;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * {@code replay --from memory:DIR | dead-letter:FILE [--to STREAM]}: sends records again, keeping per-key order,
 * to the configured backend: with {@code bridge.backend=aws} to AWS Kinesis, with the in-memory backend to the
 * running bridge's Kinesis endpoint ({@code bridge.endpoint.host}/{@code port}), since a backend of the replay's
 * own would vanish with it. A target that does not answer stops the replay before it sends anything. A captured
 * stream is read shard by shard, parents before children; a dead-letter file line by line, and never written:
 * records the target rejects go to a dead-letter directory of this replay's own. Exit status 0 when every record
 * was acknowledged, 1 otherwise.
 */
final class ReplayCommand {

    private static final int IN_FLIGHT = 10_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

    private ReplayCommand() {}

    record Outcome(long sent, long acknowledged, long deadLettered) {}

    /** Where the records go, and how the output names it. */
    record Target(KinesisBackend backend, String description, String unreachableAdvice) {}

    /** The replay cannot begin: its target does not answer, or there is none. Nothing was sent. */
    static final class ReplayRefused extends RuntimeException {
        ReplayRefused(String message) {
            super(message);
        }
    }

    static int run(BridgeSettings settings, String from, String to, PrintStream out) {
        Target target = target(settings);
        try {
            return run(settings, target, from, to, out).deadLettered() == 0 ? 0 : 1;
        } finally {
            target.backend().close();
        }
    }

    /**
     * AWS for {@code bridge.backend=aws}; otherwise the running bridge's endpoint, reached as AWS would be (the
     * endpoint checks no credentials).
     */
    static Target target(BridgeSettings settings) {
        if (settings.backend() == BridgeSettings.Backend.AWS) {
            AwsBackendSettings aws = settings.aws();
            return new Target(
                    AwsKinesisBackend.create(aws),
                    "AWS Kinesis (region " + aws.region().orElse("of the environment")
                            + aws.endpointOverride().map(u -> ", endpoint " + u).orElse("") + ")",
                    "check bridge.aws.region, bridge.aws.endpoint-override and the network");
        }
        String advice = "with bridge.backend=memory, replay sends to the Kinesis endpoint of a running bridge "
                + "(bridge.endpoint.host, bridge.endpoint.port): start the bridge first, or replay to AWS with --bridge.backend=aws";
        KinesisEndpointSettings endpointSettings = settings.endpoint();
        if (!endpointSettings.enabled()) {
            throw new ReplayRefused("bridge.endpoint.enabled is false: " + advice);
        }
        String host = endpointSettings.listener().host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1"; // a bridge listening on every address is reached on loopback
        }
        URI endpoint = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + endpointSettings.listener().port());
        AwsBackendSettings local = AwsBackendSettings.defaults()
                .withEndpoint(endpoint)
                .withRegion("us-east-1")
                .withCbor(false)
                .withCredentials(
                        new CredentialsSource.Static("local", new CredentialsSource.Secret("local"), Optional.empty()));
        return new Target(
                AwsKinesisBackend.create(local),
                "the running bridge's Kinesis endpoint " + endpoint + " (bridge.backend=memory)",
                advice);
    }

    static Outcome run(BridgeSettings settings, KinesisBackend backend, String from, String to, PrintStream out) {
        return run(settings, new Target(backend, "backend " + backend.name(), "check the backend"), from, to, out);
    }

    static Outcome run(BridgeSettings settings, Target target, String from, String to, PrintStream out) {
        KinesisBackend backend = target.backend();
        DeadLetterSettings deadLetterSettings = settings.deadLetters();
        Path letterDir = replayDeadLetterDir(deadLetterSettings.dir());
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "replay-timer");
            t.setDaemon(true);
            return t;
        });
        FileDeadLetterSink deadLetters = deadLetterSettings.sinkIn(letterDir);
        KinesisPutDispatchConfiguration options = dispatchOptions(settings);
        DispatchSettings dispatch = options.dispatchSettings();
        Map<String, StreamDispatcher> dispatchers = new HashMap<>();
        Semaphore room = new Semaphore(IN_FLIGHT);
        AtomicLong sent = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        Map<String, long[]> byStream = new ConcurrentHashMap<>(); // sent, acknowledged, dead-lettered
        try {
            Consumer<PutRequest> send = request -> {
                String stream = to != null ? to : request.streamName();
                StreamDispatcher d = dispatchers.computeIfAbsent(stream, s -> {
                    checkAnswers(target, s);
                    StreamDispatcher created = new StreamDispatcher(s, backend, dispatch, deadLetters, timer);
                    created.start().join();
                    return created;
                });
                room.acquireUninterruptibly();
                sent.incrementAndGet();
                long[] counts = byStream.computeIfAbsent(stream, x -> new long[3]);
                synchronized (counts) {
                    counts[0]++;
                }
                // a SequenceNumberForOrdering from elsewhere means nothing to the target: order comes from the lanes
                PutRequest again =
                        new PutRequest(stream, request.partitionKey(), request.data(), request.explicitHashKey(), null);
                CompletableFuture<RecordResult> f = d.submit(again, Ordering.KEY);
                f.whenComplete((r, e) -> {
                    boolean accepted = r instanceof RecordResult.Accepted;
                    (accepted ? acknowledged : rejected).incrementAndGet();
                    synchronized (counts) {
                        counts[accepted ? 1 : 2]++;
                    }
                    room.release();
                });
            };
            if (from.startsWith("memory:")) {
                replayCapture(Path.of(from.substring("memory:".length())), send);
            } else if (from.startsWith("dead-letter:")) {
                replayDeadLetters(Path.of(from.substring("dead-letter:".length())), send);
            } else {
                throw new IllegalArgumentException(
                        "--from takes memory:DIRECTORY or dead-letter:FILE, got '" + from + "'");
            }
            dispatchers.values().forEach(d -> d.close(options.shutdownTimeout()));
            // every record's completion has been counted once all the room is back
            room.acquireUninterruptibly(IN_FLIGHT);
        } finally {
            timer.shutdownNow();
            deadLetters.close();
        }
        Outcome outcome = new Outcome(sent.get(), acknowledged.get(), rejected.get());
        out.printf("replay from %s to %s:%n", from, target.description());
        new TreeMap<>(byStream)
                .forEach((stream, c) -> out.printf(
                        "  stream %s: %d sent, %d acknowledged, %d dead-lettered%n", stream, c[0], c[1], c[2]));
        out.printf(
                "  in all: %d sent, %d acknowledged, %d dead-lettered%n",
                outcome.sent(), outcome.acknowledged(), outcome.deadLettered());
        if (outcome.deadLettered() > 0) {
            out.printf(
                    "  the dead-lettered records, with their reasons, are in %s (the input is left as it was)%n",
                    letterDir);
        }
        return outcome;
    }

    /**
     * The kinesis-put options the bridge's settings give the routes' dispatchers, bound as Camel binds them, so that
     * replay batches, retries and paces as the routes do.
     */
    static KinesisPutDispatchConfiguration dispatchOptions(BridgeSettings settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        settings.camelProperties().forEach((key, value) -> {
            if (key.startsWith(KinesisPutOption.PREFIX)) {
                values.put(key.substring(KinesisPutOption.PREFIX.length()), value);
            }
        });
        KinesisPutDispatchConfiguration options = new KinesisPutDispatchConfiguration();
        // a context that is never started holds nothing to close: it only lends Camel's type conversion
        CamelContext camel = new DefaultCamelContext();
        PropertyBindingSupport.build().withMandatory(true).bind(camel, options, values);
        return options;
    }

    /** A directory of this replay's own for what the target rejects: never the file being replayed. */
    private static Path replayDeadLetterDir(Path deadLetterDir) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path dir = deadLetterDir.resolve("replay-" + stamp);
        for (int n = 2; Files.exists(dir); n++) {
            dir = deadLetterDir.resolve("replay-" + stamp + "-" + n);
        }
        return dir;
    }

    /** Stops the replay before its first record when nothing answers at the target; any Kinesis answer will do. */
    private static void checkAnswers(Target target, String stream) {
        try {
            target.backend().describeStream(stream).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KinesisException k
                    && k.error().code().equals(KinesisError.SERVICE_UNREACHABLE)) {
                throw new ReplayRefused("nothing answers at " + target.description() + ": "
                        + k.error().message() + "; " + target.unreachableAdvice());
            }
        }
    }

    /** Every stream captured under {@code dir}, shard by shard; closed parents come before their children. */
    private static void replayCapture(Path dir, Consumer<PutRequest> send) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no captured streams in " + dir + ": not a directory");
        }
        InMemoryKinesis capture =
                InMemoryKinesis.durable(MemoryBackendSettings.defaults().withMaxBytes(Long.MAX_VALUE), dir, false);
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
                    new BufferedInputStream(new BoundedInput(Files.newInputStream(file), size)),
                    StandardCharsets.UTF_8))) {
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
    private static final class BoundedInput extends FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long limit) {
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
