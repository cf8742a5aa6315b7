package io.kinesisbridge.bench;

import io.kinesisbridge.app.BridgeMain;
import io.kinesisbridge.server.Kinesalite;
import io.kinesisbridge.server.SdkClients;
import org.awaitility.Awaitility;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * PutRecords throughput from the AWS SDK for Java v2 (KinesisAsyncClient, Netty, HTTP/1.1) into the bridge's
 * Kinesis endpoint and into kinesalite, on this machine, in one run. Not a test: it prints records/s and ratios.
 *
 * <pre>mvn -B -q -Pbench test-compile exec:exec [-Dkinesalite.dir=.tools/kinesalite] [-Dbench.seconds=5] [-Dbench.rounds=3]</pre>
 *
 * <p>Both servers run in their own process on 127.0.0.1, the client in this one: the bridge as shipped
 * ({@link BridgeMain} with only the endpoint on, in a JVM of its own), kinesalite 3.3.3 in node. The same
 * client, batch, records and concurrency go to both. Machines shared with other work are noisy, so the targets
 * take turns: each round measures every target once, and the median round is reported.
 *
 * <p>System properties: bench.seconds (per target and round, 5), bench.rounds (3), bench.warmup-seconds (10),
 * bench.batch (records per PutRecords, 500), bench.record-bytes (100), bench.concurrency (requests in flight,
 * 8), bench.shards (4), kinesalite.dir.
 */
public final class PutRecordsBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 5);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 10);
    private static final int BATCH = Integer.getInteger("bench.batch", 500);
    private static final int RECORD_BYTES = Integer.getInteger("bench.record-bytes", 100);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 8);
    private static final int SHARDS = Integer.getInteger("bench.shards", 4);

    private record Target(String name, String encoding, KinesisAsyncClient client, PutRecordsRequest request) {
        String label() {
            return name + " " + encoding;
        }
    }

    private record Run(double recordsPerSecond, double requestsPerSecond, long failedRecords, long errors, String firstError) {
    }

    private PutRecordsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (!Kinesalite.installed()) {
            System.err.println("kinesalite is not installed in " + Kinesalite.dir().toAbsolutePath()
                    + " (npm install --prefix .tools/kinesalite kinesalite@3.3.3), or node is missing; pass -Dkinesalite.dir=...");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "PutRecords: %d records of %d bytes per request, %d requests in flight, %d shards; "
                        + "%d rounds of %d s per target after %d s warm-up%n", BATCH, RECORD_BYTES, CONCURRENCY, SHARDS, ROUNDS,
                SECONDS, WARMUP_SECONDS);
        System.out.printf(Locale.ROOT, "Java %s, %d cores, load average at start %s; client: AWS SDK for Java v2 %s KinesisAsyncClient (Netty, HTTP/1.1)%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage(),
                software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION);

        Process bridge = startBridge();
        Map<Target, List<Run>> runs = new LinkedHashMap<>();
        try (Kinesalite kinesalite = Kinesalite.start()) {
            String bridgeUrl = "http://127.0.0.1:" + bridgePort;
            List<Target> targets = List.of(
                    target("kinesis-bridge", "JSON", SdkClients.jsonKinesis(bridgeUrl)),
                    target("kinesalite", "JSON", SdkClients.jsonKinesis(kinesalite.url())),
                    target("kinesis-bridge", "CBOR", SdkClients.kinesis(bridgeUrl)),
                    target("kinesalite", "CBOR", SdkClients.kinesis(kinesalite.url())));
            for (Target t : targets) {
                Run warm = drive(t, Duration.ofSeconds(WARMUP_SECONDS));
                System.out.printf(Locale.ROOT, "  warm-up %-20s %,10.0f records/s%s%n", t.label(), warm.recordsPerSecond(),
                        warm.errors() > 0 ? "  (" + warm.errors() + " failed requests, first: " + warm.firstError() + ")" : "");
                runs.put(t, new ArrayList<>());
            }
            for (int round = 1; round <= ROUNDS; round++) {
                for (Target t : targets) {
                    Run r = drive(t, Duration.ofSeconds(SECONDS));
                    runs.get(t).add(r);
                    System.out.printf(Locale.ROOT, "  round %d %-20s %,10.0f records/s%n", round, t.label(), r.recordsPerSecond());
                }
            }
            targets.forEach(t -> t.client().close());
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-16s %-8s %18s %12s %10s %s%n", "target", "encoding", "records/s (median)", "requests/s", "failed", "range of rounds");
        Map<String, Double> median = new LinkedHashMap<>();
        for (Map.Entry<Target, List<Run>> e : runs.entrySet()) {
            List<Run> sorted = e.getValue().stream().sorted((a, b) -> Double.compare(a.recordsPerSecond(), b.recordsPerSecond())).toList();
            Run m = sorted.get(sorted.size() / 2);
            long errors = e.getValue().stream().mapToLong(Run::errors).sum();
            median.put(e.getKey().label(), errors > 0 && m.recordsPerSecond() == 0 ? Double.NaN : m.recordsPerSecond());
            System.out.printf(Locale.ROOT, "%-16s %-8s %18s %12.1f %10d %,.0f-%,.0f%s%n", e.getKey().name(), e.getKey().encoding(),
                    String.format(Locale.ROOT, "%,.0f", m.recordsPerSecond()), m.requestsPerSecond(),
                    e.getValue().stream().mapToLong(Run::failedRecords).sum(),
                    sorted.get(0).recordsPerSecond(), sorted.get(sorted.size() - 1).recordsPerSecond(),
                    errors > 0 ? "  (" + errors + " failed requests, first: " + e.getValue().stream().map(Run::firstError)
                            .filter(x -> x != null).findFirst().orElse("") + ")" : "");
        }
        System.out.printf(Locale.ROOT, "ratio bridge/kinesalite, JSON: %.1fx%n", median.get("kinesis-bridge JSON") / median.get("kinesalite JSON"));
        System.out.printf(Locale.ROOT, "ratio bridge/kinesalite, CBOR: %.1fx%n", median.get("kinesis-bridge CBOR") / median.get("kinesalite CBOR"));
        System.out.printf(Locale.ROOT, "ratio bridge CBOR (the SDK's default) / kinesalite JSON: %.1fx%n",
                median.get("kinesis-bridge CBOR") / median.get("kinesalite JSON"));
        System.out.printf(Locale.ROOT, "load average at end %s%n", loadAverage());
        System.exit(0); // the SDK's shared Netty threads are not daemons
    }

    private static int bridgePort;

    /** The shipped application with only the endpoint on, in a JVM of its own, on a free loopback port. */
    private static Process startBridge() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            bridgePort = s.getLocalPort();
        }
        Path log = Files.createTempFile("bench-bridge-", ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), BridgeMain.class.getName(),
                "--bridge.http.enabled=false", "--bridge.file.enabled=false", "--bridge.streams=",
                "--bridge.endpoint.port=" + bridgePort, "--bridge.dead-letter.dir=" + log.getParent().resolve("bench-dead-letter"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await("the bridge's endpoint on port " + bridgePort).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException("the bridge exited: " + Files.readString(log));
                    }
                    try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), bridgePort)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return p;
    }

    private static Target target(String name, String encoding, KinesisAsyncClient kinesis) {
        String stream = "bench-" + encoding.toLowerCase(Locale.ROOT);
        kinesis.createStream(b -> b.streamName(stream).shardCount(SHARDS)).join();
        Awaitility.await(stream + " active").atMost(Duration.ofSeconds(30)).until(() ->
                kinesis.describeStreamSummary(b -> b.streamName(stream)).join().streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        Random random = new Random(42);
        List<PutRecordsRequestEntry> entries = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            byte[] data = new byte[RECORD_BYTES];
            random.nextBytes(data);
            entries.add(PutRecordsRequestEntry.builder().partitionKey("user-" + random.nextInt(1_000_000))
                    .data(SdkBytes.fromByteArray(data)).build());
        }
        return new Target(name, encoding, kinesis, PutRecordsRequest.builder().streamName(stream).records(entries).build());
    }

    /** Keeps CONCURRENCY requests in flight for {@code duration}, then waits for the last ones. */
    private static Run drive(Target t, Duration duration) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            inFlight.acquire();
            t.client().putRecords(t.request()).whenComplete((response, error) -> {
                if (error != null) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, String.valueOf(error.getCause() != null ? error.getCause() : error));
                } else {
                    requests.incrementAndGet();
                    accepted.addAndGet(response.records().size() - response.failedRecordCount());
                    failed.addAndGet(response.failedRecordCount());
                }
                inFlight.release();
            });
        }
        inFlight.acquire(CONCURRENCY);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(accepted.get() / seconds, requests.get() / seconds, failed.get(), errors.get(), firstError.get());
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
