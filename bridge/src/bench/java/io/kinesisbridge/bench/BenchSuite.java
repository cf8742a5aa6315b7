package io.kinesisbridge.bench;

import io.kinesisbridge.server.SdkClients;
import io.kinesisbridge.testing.Kinesalite;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The benchmark suite of issue 6: every case in one run, on the same input (200-byte JSON events, userId from 10,000
 * users), each measured on the whole process that does the work; prints a table (every figure against its target
 * and as a ratio to the same-run floor) and writes target/bench/bench-results.json and bench-results.md.
 * Run it with {@code .ci/bench}, which builds the jar first.
 *
 * <p>System properties: bench.records (1,000,000), bench.cases (startup,cost,offline,peer,limit,burst),
 * bench.http-seconds (15), bench.limit-seconds (60), bench.startup-runs (5), bench.peer.records (10,000),
 * bench.peer.slow-records (400), bench.peer.bridge-records (100,000), bench.command (shown in the report),
 * kinesalite.dir; others through bench.extra (key=value,key=value).
 */
public final class BenchSuite {

    static final int SHARDS = 4;
    static final Duration LONG = Duration.ofMinutes(5);

    private final Suite suite;
    private final Report report = new Report();
    private final int recordCount = Integer.getInteger("bench.records", 1_000_000);
    private final int httpSeconds = Integer.getInteger("bench.http-seconds", 15);
    private final int limitSeconds = Integer.getInteger("bench.limit-seconds", 60);
    private Path events;

    private BenchSuite(Suite suite) {
        this.suite = suite;
    }

    /** {@code -Dbench.extra=key=value,key=value}: more system properties (Maven passes only the ones it names). */
    private static void applyExtra() {
        String extra = System.getProperty("bench.extra", "");
        for (String pair : extra.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                System.setProperty(
                        pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        applyExtra();
        Path repo =
                Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path kinesalite = Path.of(System.getProperty(
                "kinesalite.dir", repo.resolve(".tools/kinesalite").toString()));
        System.setProperty("kinesalite.dir", kinesalite.toString());
        Suite suite =
                new Suite(repo, repo.resolve("target/kinesis-bridge.jar"), repo.resolve("target/bench"), kinesalite);
        if (!Files.isRegularFile(suite.jar)) {
            System.err.println(
                    "no " + suite.jar + ": build it first (mvn -B -q package -DskipTests), or run .ci/bench");
            System.exit(2);
        }
        Set<String> cases = new LinkedHashSet<>(
                Arrays.asList(System.getProperty("bench.cases", "startup,cost,offline,peer,limit,burst")
                        .split(",")));
        int status = new BenchSuite(suite).run(cases);
        System.exit(status);
    }

    private int run(Set<String> cases) throws Exception {
        long started = System.nanoTime();
        deleteTree(suite.work);
        deleteTree(suite.logs);
        Files.createDirectories(suite.work);
        report.about("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        report.about("command", System.getProperty("bench.command", ".ci/bench"));
        report.about("cores", Runtime.getRuntime().availableProcessors());
        report.about(
                "memory", (Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "")) + " kB");
        report.about("cpu", cpuModel());
        report.about("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        report.about("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.about("camel", new DefaultCamelContext().getVersion());
        report.about("aws-sdk", VersionInfo.SDK_VERSION);
        report.about("kinesalite", kinesaliteVersion());
        report.about("wrk", Wrk.version());
        report.about("records", recordCount);
        report.about("load-start", Proc.loadAverage());
        log(
                "kinesis-bridge benchmark: %s; cases %s; %d records; results in %s",
                suite.jar, cases, recordCount, suite.out);

        events = suite.work.resolve("events.ndjson");
        writeEvents(events, recordCount, 1);

        runCase(cases, "startup", this::startup);
        runCase(cases, "cost", this::recordCost);
        runCase(cases, "offline", this::offline);
        runCase(cases, "peer", this::peer);
        runCase(cases, "limit", this::limit);
        runCase(cases, "burst", this::burst);

        report.about("load-end", Proc.loadAverage());
        report.about("duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
        report.print(System.out);
        Path json = suite.out.resolve("bench-results.json");
        report.writeJson(json);
        log("wrote %s and %s", json, json.resolveSibling("bench-results.md"));
        return 0;
    }

    private interface Case {
        void run() throws Exception;
    }

    private void runCase(Set<String> cases, String name, Case c) {
        if (!cases.contains(name)) {
            return;
        }
        long t = System.nanoTime();
        log("== %s", name);
        try {
            c.run();
        } catch (Exception | AssertionError e) {
            report.problem(name + ": " + e);
            e.printStackTrace(System.out);
        }
        log("   %s took %.0f s", name, (System.nanoTime() - t) / 1e9);
    }

    // ---- start to ready ------------------------------------------------------------------------------------

    private void startup() throws Exception {
        int runs = Integer.getInteger("bench.startup-runs", 5);
        List<Double> ready = new ArrayList<>();
        List<Double> http = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            double[] times = startupRun("startup-" + i, List.of());
            ready.add(times[0]);
            http.add(times[1]);
            rss.add(times[2]);
            log("   run %d: ready after %.2f s, HTTP route answered after %.2f s", i, times[0], times[1]);
        }
        double medianReady = median(ready);
        report.add(
                "startup.ready",
                "start",
                "java -jar to readiness UP (median of " + runs + ")",
                medianReady,
                "s",
                "runs: " + joined(ready, "%.2f"));
        report.add(
                "startup.http",
                "start",
                "java -jar to the HTTP route's first 200 (median)",
                median(http),
                "s",
                "runs: " + joined(http, "%.2f"));
        report.add("startup.rss", "start", "peak RSS at ready, shipped defaults", median(rss), "MiB", "");

        // the shipped launcher: the same jar with a class-data-sharing archive of its classes, which its first run
        // writes when it stops (JDK 17: -XX:ArchiveClassesAtExit)
        String jarName = suite.jar.getFileName().toString().replace(".jar", "");
        try (var old = Files.list(suite.jar.getParent())) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith(jarName + "-")
                            && p.getFileName().toString().endsWith(".jsa"))
                    .toList()) {
                Files.delete(p);
            }
        }
        try (Bridge b = Bridge.startWithLauncher(suite, "startup-launcher-first")) {
            b.awaitStartup(Duration.ofSeconds(60));
        }
        List<Double> launched = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            launched.add(startupRun("startup-launcher-" + i, null)[0]);
        }
        report.atMost(
                "startup.launcher",
                "start",
                "bin/kinesis-bridge to readiness UP (median of " + runs
                        + "; its AppCDS archive written by a first run)",
                median(launched),
                "s",
                1.5,
                "≤ 1.5 s",
                "runs: " + joined(launched, "%.2f") + "; the README's run command");
    }

    /**
     * One start of the jar (through the launcher when {@code jvmArgs} is null): seconds to ready, seconds to the HTTP route's first 200, peak RSS. Run again once when
     * the start fails: the ports are chosen free before the child binds them, and another process can take one
     * in between (seen once: the management port).
     */
    private double[] startupRun(String name, List<String> jvmArgs) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String run = attempt == 1 ? name : name + "-again";
            try (Bridge b = jvmArgs == null
                    ? Bridge.startWithLauncher(suite, run)
                    : Bridge.start(suite, run, jvmArgs, Map.of())) {
                double[] times = b.awaitStartup(Duration.ofSeconds(60));
                return new double[] {times[0], times[1], b.child.peakRssMiB()};
            } catch (IllegalStateException e) {
                if (attempt > 1) {
                    throw e;
                }
                log("   %s failed to start (%s); once more on other ports", name, e.getMessage());
            }
        }
    }

    // ---- case 1: per-record cost -----------------------------------------------------------------------------

    private void recordCost() throws Exception {
        Options options = new OptionsBuilder()
                .include(RecordCostBenchmark.class.getName() + ".*")
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .forks(1)
                .jvmArgs("-Xmx1g")
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            label = label.substring(label.lastIndexOf('.') + 1);
            scores.put(label, new double[] {
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()
            });
        }
        double floor = scores.get("floor_md5AndBase64")[0];
        String[][] order = {
            {"floor_md5AndBase64", "floor: MD5 of the key + base64 of the data, plain loop"},
            {"keyExtraction_jsonPointer", "key extraction (JSON pointer /userId)"},
            {"validation", "validation (every Kinesis rule, MD5 hash key)"},
            {"md5Routing", "MD5 routing to one of 4 shards"},
            {"wireEncoding_putRecordJson", "wire encoding (PutRecord JSON, base64 data)"},
            {"keyValidationAndRouting", "key + validation + routing, as kinesis-put does per record"},
        };
        for (String[] o : order) {
            double[] s = scores.get(o[0]);
            if (s == null) {
                continue;
            }
            report.add(
                    "cost." + o[0],
                    "1 per-record cost (JMH)",
                    o[1],
                    s[0],
                    "ns",
                    String.format(Locale.ROOT, "±%.0f ns; %.1f× the floor", s[1], s[0] / floor));
        }
        double[] all = scores.get("keyValidationAndRouting");
        double[] wire = scores.get("wireEncoding_putRecordJson");
        if (all != null && wire != null) {
            double sum = all[0] + wire[0];
            report.add(
                    "cost.total",
                    "1 per-record cost (JMH)",
                    "all steps (key + validation + routing + wire)",
                    sum,
                    "ns",
                    String.format(Locale.ROOT, "%.1f× the floor; %,.0f records/s on one core", sum / floor, 1e9 / sum));
        }
    }

    // ---- case 2: offline end to end --------------------------------------------------------------------------

    private void offline() throws Exception {
        // the floor: a plain Camel route, file -> split lines -> MD5 + base64 -> a list
        Rate floor;
        try (Child c = Child.java(
                "floor-camel-split",
                List.of(),
                CamelFloorMain.class,
                List.of(warmup(recordCount).toString(), events.toString()),
                suite.work.resolve("floor"),
                suite.logs)) {
            String[] r = c.awaitResult(l -> l.startsWith("floor "), LONG).split(" ");
            floor = new Rate(
                    Long.parseLong(r[1]), Double.parseDouble(r[2]), Double.parseDouble(r[3]), Double.parseDouble(r[4]));
        }
        log("   Camel floor: %,.0f records/s, %.2f CPU s per million", floor.perSecond(), floor.cpuPerMillion());
        report.add(
                "offline.floor.rate",
                "2 offline: floor",
                "Camel route: file → split lines → MD5 + base64 → list",
                floor.perSecond(),
                "records/s",
                "reference machine ~313,000");
        report.add(
                "offline.floor.cpu",
                "2 offline: floor",
                "… CPU per million records",
                floor.cpuPerMillion(),
                "CPU s",
                "");

        // the bridge's file-inbox route into the in-memory backend
        try (Bridge b =
                Bridge.start(suite, "offline-file", List.of(), Map.of("bridge.file.partition-key", "json:/userId"))) {
            b.awaitReady(Duration.ofSeconds(60));
            Rate file = throughInbox(b, "logs", warmup(recordCount), events, recordCount);
            report.atLeast(
                    "offline.file.rate",
                    "2 offline: file route",
                    recordCount + " lines, file-inbox → in-memory backend",
                    file.perSecond(),
                    "records/s",
                    250_000,
                    "≥ 250,000",
                    "whole file incl. pick-up: " + String.format(Locale.ROOT, "%,.0f/s", file.wholePerSecond()));
            report.atLeast(
                    "offline.file.floor-share",
                    "2 offline: file route",
                    "… share of the same-run Camel floor",
                    100 * file.perSecond() / floor.perSecond(),
                    "%",
                    80,
                    "≥ 80 %",
                    "");
            report.add(
                    "offline.file.cpu",
                    "2 offline: file route",
                    "… CPU per million records",
                    file.cpuPerMillion(),
                    "CPU s",
                    String.format(Locale.ROOT, "%.1f× the floor's", file.cpuPerMillion() / floor.cpuPerMillion()));
            report.add(
                    "offline.file.rss",
                    "2 offline: file route",
                    "… peak RSS",
                    b.child.peakRssMiB(),
                    "MiB",
                    "default heap (¼ of RAM); the stream keeps all " + recordCount + " records");
            report.add(
                    "offline.file.dead",
                    "2 offline: file route",
                    "… records dead-lettered",
                    b.deadLettered("logs"),
                    "",
                    "");
        }

        // HTTP floor: a do-nothing platform-http POST route
        Path singles = Wrk.bodies(suite.work.resolve("bodies-1.txt"), bodies(5000, 1, 11));
        Path hundreds = Wrk.bodies(suite.work.resolve("bodies-100.txt"), bodies(400, 100, 12));
        int noopPort = Bridge.freePort();
        WrkRun noop;
        try (Child c = Child.java(
                "floor-http-noop",
                List.of(),
                NoopHttpMain.class,
                List.of(String.valueOf(noopPort)),
                suite.work.resolve("floor-http"),
                suite.logs)) {
            String url = "http://127.0.0.1:" + noopPort + "/noop";
            awaitPost(url, c);
            noop = wrk(c, url, singles, "application/json", 1);
        }
        report.add(
                "offline.http-floor.rate",
                "2 offline: floor",
                "do-nothing platform-http POST route (wrk -t2 -c64)",
                noop.wrk.requestsPerSecond(),
                "requests/s",
                "reference machine ~74,000");
        report.add(
                "offline.http-floor.p99",
                "2 offline: floor",
                "… p50 / p99 latency",
                noop.wrk.p99Ms(),
                "ms p99",
                String.format(Locale.ROOT, "p50 %.2f ms", noop.wrk.p50Ms()));
        report.add(
                "offline.http-floor.cpu",
                "2 offline: floor",
                "… CPU per million requests",
                noop.cpuPerMillion(),
                "CPU s",
                "");

        try (Bridge b = Bridge.start(suite, "offline-http-100", List.of(), Map.of())) {
            b.awaitReady(Duration.ofSeconds(60));
            WrkRun r = wrk(b.child, b.clickstreamUrl(), hundreds, "application/x-ndjson", 100);
            report.atLeast(
                    "offline.http100.rate",
                    "2 offline: HTTP",
                    "NDJSON, 100 events per POST → in-memory backend",
                    r.recordsPerSecond(),
                    "records/s",
                    150_000,
                    "≥ 150,000",
                    String.format(
                            Locale.ROOT,
                            "%,.0f requests/s; %.0f %% of the do-nothing route's requests/s",
                            r.wrk.requestsPerSecond(),
                            100 * r.wrk.requestsPerSecond() / noop.wrk.requestsPerSecond()));
            report.add(
                    "offline.http100.latency",
                    "2 offline: HTTP",
                    "… p50 / p99 latency",
                    r.wrk.p99Ms(),
                    "ms p99",
                    String.format(Locale.ROOT, "p50 %.2f ms; %d errors", r.wrk.p50Ms(), r.wrk.errors()));
            report.add(
                    "offline.http100.cpu",
                    "2 offline: HTTP",
                    "… CPU per million records",
                    r.cpuPerMillionRecords(),
                    "CPU s",
                    "");
            report.add("offline.http100.rss", "2 offline: HTTP", "… peak RSS", b.child.peakRssMiB(), "MiB", "");
        }
        try (Bridge b = Bridge.start(suite, "offline-http-1", List.of(), Map.of())) {
            b.awaitReady(Duration.ofSeconds(60));
            WrkRun r = wrk(b.child, b.clickstreamUrl(), singles, "application/json", 1);
            report.atLeast(
                    "offline.http1.rate",
                    "2 offline: HTTP",
                    "one event per POST → in-memory backend",
                    r.wrk.requestsPerSecond(),
                    "requests/s",
                    50_000,
                    "≥ 50,000",
                    String.format(
                            Locale.ROOT,
                            "%.0f %% of the do-nothing route",
                            100 * r.wrk.requestsPerSecond() / noop.wrk.requestsPerSecond()));
            report.add(
                    "offline.http1.latency",
                    "2 offline: HTTP",
                    "… p50 / p99 latency",
                    r.wrk.p99Ms(),
                    "ms p99",
                    String.format(
                            Locale.ROOT,
                            "p50 %.2f ms (floor p99 %.2f ms); %d errors",
                            r.wrk.p50Ms(),
                            noop.wrk.p99Ms(),
                            r.wrk.errors()));
            report.add(
                    "offline.http1.cpu",
                    "2 offline: HTTP",
                    "… CPU per million records",
                    r.cpuPerMillionRecords(),
                    "CPU s",
                    String.format(
                            Locale.ROOT,
                            "%.1f× the do-nothing route's",
                            r.cpuPerMillionRecords() / noop.cpuPerMillion()));
            report.add("offline.http1.rss", "2 offline: HTTP", "… peak RSS", b.child.peakRssMiB(), "MiB", "");
        }
    }

    /** A measured run of wrk against one process: warm-up first, then the measured run with that process's CPU. */
    private record WrkRun(Wrk.Result wrk, double cpuSeconds, int eventsPerRequest) {
        double recordsPerSecond() {
            return wrk.requestsPerSecond() * eventsPerRequest;
        }

        double cpuPerMillion() {
            return cpuSeconds / wrk.requests() * 1e6;
        }

        double cpuPerMillionRecords() {
            return cpuSeconds / (wrk.requests() * (double) eventsPerRequest) * 1e6;
        }
    }

    private WrkRun wrk(Child server, String url, Path bodies, String contentType, int eventsPerRequest)
            throws Exception {
        Wrk.run(suite, url, bodies, contentType, 2, 64, Duration.ofSeconds(5));
        double cpu0 = server.cpuSeconds();
        Wrk.Result r = Wrk.run(suite, url, bodies, contentType, 2, 64, Duration.ofSeconds(httpSeconds));
        double cpu = server.cpuSeconds() - cpu0;
        log(
                "   %s: %,.0f requests/s (%,.0f records/s), p50 %.2f ms, p99 %.2f ms, %d errors, %.1f CPU s",
                url,
                r.requestsPerSecond(),
                r.requestsPerSecond() * eventsPerRequest,
                r.p50Ms(),
                r.p99Ms(),
                r.errors(),
                cpu);
        if (r.errors() > 0) {
            report.problem(url + ": wrk counted " + r.errors() + " failed requests (non-2xx, timeouts, socket errors)");
        }
        return new WrkRun(r, cpu, eventsPerRequest);
    }

    private static void awaitPost(String url, Child server) throws InterruptedException {
        var post = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.alive()) {
                throw new IllegalStateException(server + " exited; see " + server.log());
            }
            try {
                if (Bridge.HTTP
                                .send(post, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(url + " did not answer");
    }

    /** Records through a pipeline: measured from the first acknowledged record to the last. */
    record Rate(long records, double seconds, double cpuSeconds, double peakRssMiB, double wholeSeconds) {
        Rate(long records, double seconds, double cpuSeconds, double peakRssMiB) {
            this(records, seconds, cpuSeconds, peakRssMiB, seconds);
        }

        double perSecond() {
            return records / seconds;
        }

        double wholePerSecond() {
            return records / wholeSeconds;
        }

        double cpuPerMillion() {
            return cpuSeconds / records * 1e6;
        }
    }

    /**
     * Drops {@code warmup} into the bridge's inbox and waits until the route is done with it (the JIT compiles the
     * hot paths meanwhile), then drops {@code file} ({@code lines} lines) and measures from its first acknowledged
     * record until the route moved it to .done (every line acknowledged or dead-lettered): records/s and the
     * bridge's CPU over that span. Files appear whole at once (hard links).
     */
    private Rate throughInbox(Bridge b, String stream, Path warmup, Path file, long lines) throws Exception {
        Files.createDirectories(b.inbox());
        long deadline = System.nanoTime() + LONG.toNanos();
        Path warmupDone = b.inbox().resolve(".done").resolve(warmup.getFileName());
        drop(b, warmup);
        while (!Files.exists(warmupDone)) {
            check(b, deadline, warmup + " (warm-up) not finished");
            Thread.sleep(20);
        }
        double baseline = b.acknowledged(stream) + b.deadLettered(stream);
        Path done = b.inbox().resolve(".done").resolve(file.getFileName());
        long dropped = System.nanoTime();
        drop(b, file);
        long t1;
        double a1;
        double c1;
        while (true) {
            double acked = b.acknowledged(stream) - baseline;
            if (acked > 0) {
                t1 = System.nanoTime();
                c1 = b.child.cpuSeconds();
                a1 = acked;
                break;
            }
            check(b, deadline, "no record of " + file + " acknowledged");
            Thread.sleep(50);
        }
        while (!Files.exists(done)) {
            check(b, deadline, file + " not finished");
            Thread.sleep(10);
        }
        long t2 = System.nanoTime();
        double c2 = b.child.cpuSeconds();
        double acked = b.acknowledged(stream) - baseline;
        double dead = b.deadLettered(stream);
        if (acked + dead < lines) {
            report.problem(stream + ": " + file.getFileName() + " moved to .done with " + acked + " acknowledged and "
                    + dead + " dead-lettered of " + lines);
        }
        Rate r = new Rate(
                (long) (lines - a1),
                (t2 - t1) / 1e9,
                c2 - c1,
                b.child.peakRssMiB(),
                (t2 - dropped) / 1e9 * (lines - a1) / lines);
        log(
                "   %s: %,.0f records/s (%,d lines in %.2f s after the first acknowledgement; %.2f s from the drop), "
                        + "%.2f CPU s per million, peak RSS %.0f MiB",
                b.child, r.perSecond(), lines, r.seconds(), (t2 - dropped) / 1e9, r.cpuPerMillion(), r.peakRssMiB());
        return r;
    }

    /**
     * Puts a copy of the file into the bridge's inbox at once: copied beside the inbox, then renamed into it. The inbox
     * takes regular files with one link only, so a hard link to the shared input would be refused.
     */
    private static void drop(Bridge b, Path file) throws IOException {
        Path staging = Files.createDirectories(b.inbox().resolveSibling("staging"));
        Path copy = Files.copy(file, staging.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.move(copy, b.inbox().resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void check(Bridge b, long deadline, String what) {
        if (!b.child.alive()) {
            throw new IllegalStateException(b.child + " exited; see " + b.child.log());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " within " + LONG + "; see " + b.child.log());
        }
    }

    // ---- case 3: against the peer ----------------------------------------------------------------------------

    private void peer() throws Exception {
        int bridgeRecords = Integer.getInteger("bench.peer.bridge-records", 100_000);
        int peerRecords = Integer.getInteger("bench.peer.records", 10_000);
        int peerSlowRecords = Integer.getInteger("bench.peer.slow-records", 400);
        Path bridgeFile = head(bridgeRecords);
        Path peerFile = head(peerRecords);
        Path peerSlowFile = head(peerSlowRecords);

        double kinesaliteCapacity;
        Rate peerK;
        Rate bridgeK;
        try (Kinesalite kinesalite = Kinesalite.start()) {
            String url = kinesalite.uri().toString();
            kinesalite.createStream("capacity", SHARDS);
            kinesalite.createStream("peer", SHARDS);
            kinesalite.createStream("bridge", SHARDS);
            kinesaliteCapacity = putRecordsCapacity(url, "capacity");
            peerK = peer(url, "peer", warmup(peerRecords / 2), peerFile, "peer-kinesalite");
            bridgeK = bridgeTo(url, "bridge", bridgeFile, bridgeRecords, "bridge-aws-kinesalite", false);
        }
        report.add(
                "peer.kinesalite.capacity",
                "3 vs peer: kinesalite",
                "kinesalite's own capacity (SDK PutRecords of 500, 8 in flight)",
                kinesaliteCapacity,
                "records/s",
                "reference machine ~25,000");
        report.add(
                "peer.kinesalite.peer",
                "3 vs peer: kinesalite",
                "camel-aws2-kinesis 4.17.0: file → split → key from JSON → aws2-kinesis",
                peerK.perSecond(),
                "records/s",
                String.format(
                        Locale.ROOT,
                        "%,d records; %.0f µs CPU per record; reference ~2,900/s",
                        peerK.records(),
                        peerK.cpuPerMillion()));
        report.add(
                "peer.kinesalite.peer-cpu",
                "3 vs peer: kinesalite",
                "… CPU per million records (peer)",
                peerK.cpuPerMillion(),
                "CPU s",
                "");
        report.add(
                "peer.kinesalite.bridge",
                "3 vs peer: kinesalite",
                "kinesis-bridge, aws backend: file-inbox route",
                bridgeK.perSecond(),
                "records/s",
                String.format(Locale.ROOT, "%,d records", bridgeK.records()));
        report.add(
                "peer.kinesalite.bridge-cpu",
                "3 vs peer: kinesalite",
                "… CPU per million records (bridge)",
                bridgeK.cpuPerMillion(),
                "CPU s",
                "");
        report.atLeast(
                "peer.kinesalite.capacity-share",
                "3 vs peer: kinesalite",
                "bridge / kinesalite's capacity",
                100 * bridgeK.perSecond() / kinesaliteCapacity,
                "%",
                90,
                "≥ 90 %",
                "");
        report.atLeast(
                "peer.kinesalite.ratio",
                "3 vs peer: kinesalite",
                "bridge / peer, records/s",
                bridgeK.perSecond() / peerK.perSecond(),
                "×",
                6,
                "≥ 6×",
                "");
        report.atMost(
                "peer.kinesalite.cpu-ratio",
                "3 vs peer: kinesalite",
                "bridge's CPU per record / peer's",
                bridgeK.cpuPerMillion() / peerK.cpuPerMillion(),
                "",
                1.0 / 15,
                "≤ 1/15 (0.067)",
                "");

        // the bridge's own endpoint with 20 ms added per write, as a real region's round trip
        double endpointCapacity;
        Rate peerE;
        Rate bridgeE;
        try (Sink sink = Sink.start(suite, "sink-plain", "capacity:4", false, 0)) {
            endpointCapacity = putRecordsCapacity(sink.url(), "capacity");
        }
        try (Sink sink = Sink.start(suite, "sink-20ms", "peer:4,bridge:4", false, 20)) {
            peerE = peer(sink.url(), "peer", warmup(peerSlowRecords / 4), peerSlowFile, "peer-endpoint-20ms");
            bridgeE = bridgeTo(sink.url(), "bridge", bridgeFile, bridgeRecords, "bridge-aws-endpoint-20ms", false);
            long stored = sink.count("bridge")[0];
            long sent = FileRun.lines(warmup(bridgeRecords)) + bridgeRecords;
            if (stored != sent) {
                report.problem(
                        "endpoint with 20 ms: " + stored + " of " + sent + " bridge records (warm-up included) stored");
            }
        }
        report.atLeast(
                "peer.endpoint.capacity",
                "3 vs peer: endpoint",
                "the bridge's endpoint, SDK PutRecords of 500 (JSON)",
                endpointCapacity,
                "records/s",
                5 * kinesaliteCapacity,
                "≥ 5× kinesalite",
                String.format(
                        Locale.ROOT, "%.1f× kinesalite's same-run capacity", endpointCapacity / kinesaliteCapacity));
        report.add(
                "peer.endpoint.peer",
                "3 vs peer: endpoint +20 ms",
                "camel-aws2-kinesis → bridge endpoint, 20 ms per write",
                peerE.perSecond(),
                "records/s",
                String.format(Locale.ROOT, "%,d records", peerE.records()));
        report.add(
                "peer.endpoint.bridge",
                "3 vs peer: endpoint +20 ms",
                "kinesis-bridge, aws backend → same endpoint",
                bridgeE.perSecond(),
                "records/s",
                String.format(
                        Locale.ROOT,
                        "%,d records; %.2f CPU s per million (peer %.2f)",
                        bridgeE.records(),
                        bridgeE.cpuPerMillion(),
                        peerE.cpuPerMillion()));
        report.atLeast(
                "peer.endpoint.ratio",
                "3 vs peer: endpoint +20 ms",
                "bridge / peer, records/s",
                bridgeE.perSecond() / peerE.perSecond(),
                "×",
                100,
                "≥ 100×",
                "");
    }

    private Rate peer(String url, String stream, Path warmup, Path file, String name) throws Exception {
        try (Child c = Child.java(
                name,
                List.of(),
                PeerMain.class,
                List.of(url, stream, warmup.toString(), file.toString()),
                suite.work.resolve(name),
                suite.logs)) {
            String[] r = c.awaitResult(l -> l.startsWith("peer "), Duration.ofMinutes(3))
                    .split(" ");
            Rate rate = new Rate(
                    Long.parseLong(r[1]), Double.parseDouble(r[2]), Double.parseDouble(r[3]), Double.parseDouble(r[4]));
            log("   %s: %,.0f records/s, %.0f µs CPU per record", name, rate.perSecond(), rate.cpuPerMillion());
            return rate;
        }
    }

    /** The bridge jar with the aws backend to {@code url}, its file-inbox route into {@code stream}, pacing off or on. */
    private Rate bridgeTo(String url, String stream, Path file, long lines, String name, boolean pacing)
            throws Exception {
        Map<String, String> s = awsSettings(url, stream);
        s.put("bridge.dispatch.shard-flow-control", String.valueOf(pacing));
        s.put("bridge.aws.cbor", "false");
        try (Bridge b = Bridge.start(suite, name, List.of(), s)) {
            b.awaitReady(Duration.ofSeconds(60));
            return throughInbox(b, stream, warmup(lines), file, lines);
        }
    }

    private static Map<String, String> awsSettings(String url, String stream) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridge.backend", "aws");
        s.put("bridge.aws.region", "us-east-1");
        s.put("bridge.aws.endpoint-override", url);
        s.put("bridge.aws.credentials", "static");
        s.put("bridge.aws.access-key-id", "AKIDBENCH");
        s.put("bridge.aws.secret-access-key", "bench");
        s.put("bridge.file.stream", stream);
        s.put("bridge.file.partition-key", "json:/userId");
        s.put("bridge.http.enabled", "false");
        s.put("bridge.syslog.enabled", "false");
        return s;
    }

    /** PutRecords of 500 of the shared events, 8 requests in flight, from the AWS SDK (JSON): records/s over 8 s. */
    private double putRecordsCapacity(String url, String stream) throws Exception {
        KinesisAsyncClient client = SdkClients.jsonKinesis(url);
        try {
            List<PutRecordsRequest> requests = new ArrayList<>();
            Random random = new Random(5);
            for (int r = 0; r < 20; r++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>(500);
                for (int i = 0; i < 500; i++) {
                    int user = random.nextInt(BenchRecords.USERS);
                    entries.add(PutRecordsRequestEntry.builder()
                            .partitionKey("user-" + user)
                            .data(SdkBytes.fromByteArray(BenchRecords.event(r * 500 + i, user)))
                            .build());
                }
                requests.add(PutRecordsRequest.builder()
                        .streamName(stream)
                        .records(entries)
                        .build());
            }
            drive(client, requests, Duration.ofSeconds(3));
            double rate = drive(client, requests, Duration.ofSeconds(8));
            log("   PutRecords capacity of %s: %,.0f records/s", url, rate);
            return rate;
        } finally {
            client.close();
        }
    }

    private static double drive(KinesisAsyncClient client, List<PutRecordsRequest> requests, Duration duration)
            throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(8);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
            inFlight.acquire();
            client.putRecords(requests.get(n++ % requests.size())).whenComplete((response, error) -> {
                if (error != null) {
                    errors.incrementAndGet();
                } else {
                    accepted.addAndGet(response.records().size() - response.failedRecordCount());
                }
                inFlight.release();
            });
        }
        inFlight.acquire(8);
        inFlight.release(8);
        if (errors.get() > 0) {
            throw new IllegalStateException(errors.get() + " PutRecords requests failed");
        }
        return accepted.get() / ((System.nanoTime() - start) / 1e9);
    }

    // ---- case 4: against the service limit -------------------------------------------------------------------

    private void limit() throws Exception {
        int limit = SHARDS * 1000;
        long lines = (long) limit * (limitSeconds + 5);
        Path file = head(lines);
        try (Sink sink = Sink.start(suite, "sink-limits", "paced:" + SHARDS, true, 0);
                Bridge b = Bridge.start(suite, "limit", List.of(), awsSettings(sink.url(), "paced"))) {
            b.awaitReady(Duration.ofSeconds(60));
            Files.createDirectories(b.inbox());
            drop(b, file);
            long deadline = System.nanoTime() + LONG.toNanos();
            while (b.acknowledged("paced") == 0) {
                check(b, deadline, "no record acknowledged");
                Thread.sleep(20);
            }
            // past the first seconds, when every shard's bucket is full
            Thread.sleep(2000);
            double a1 = b.acknowledged("paced");
            double th1 = b.metric("kinesis_bridge_records_throttled_total", "paced");
            long t1 = System.nanoTime();
            Thread.sleep(limitSeconds * 1000L);
            double a2 = b.acknowledged("paced");
            double th2 = b.metric("kinesis_bridge_records_throttled_total", "paced");
            double seconds = (System.nanoTime() - t1) / 1e9;
            Path done = b.inbox().resolve(".done").resolve(file.getFileName());
            while (!Files.exists(done)) {
                check(b, deadline, file + " not finished");
                Thread.sleep(50);
            }
            double acked = b.acknowledged("paced");
            double dead = b.deadLettered("paced");
            long[] count = sink.count("paced");
            double rate = (a2 - a1) / seconds;
            log(
                    "   paced: %,.0f records/s over %.0f s (%.1f %% of %d), %s records throttled in the window, %d throttled "
                            + "requests, stored %d of %d, dead-lettered %.0f",
                    rate, seconds, 100 * rate / limit, limit, (long) (th2 - th1), count[1], count[0], lines, dead);
            report.atLeast(
                    "limit.share",
                    "4 service limit",
                    "4 shards × 1,000 records/s, pacing on, " + limitSeconds + " s",
                    100 * rate / limit,
                    "%",
                    95,
                    "≥ 95 %",
                    String.format(Locale.ROOT, "%,.0f records/s acknowledged", rate));
            report.add(
                    "limit.throttled-requests",
                    "4 service limit",
                    "throttled requests (whole run, counted by the endpoint)",
                    count[1],
                    "",
                    String.format(
                            Locale.ROOT,
                            "%.0f records throttled in the window, %.0f in all",
                            th2 - th1,
                            b.metric("kinesis_bridge_records_throttled_total", "paced")));
            report.atMost(
                    "limit.lost",
                    "4 service limit",
                    "records lost (in the file, neither stored nor dead-lettered)",
                    Math.max(0, lines - count[0] - dead),
                    "",
                    0,
                    "0",
                    String.format(
                            Locale.ROOT,
                            "%,d stored of %,d; %.0f acknowledged; %.0f dead-lettered",
                            count[0],
                            lines,
                            acked,
                            dead));
        }
    }

    // ---- case 5: memory under burst --------------------------------------------------------------------------

    private void burst() throws Exception {
        try (Sink sink = Sink.start(suite, "sink-burst", "burst:" + SHARDS, false, 0);
                Bridge b = Bridge.start(suite, "burst", List.of("-Xmx256m"), awsSettingsUnpaced(sink.url(), "burst"))) {
            b.awaitReady(Duration.ofSeconds(60));
            Rate r = throughInbox(b, "burst", warmup(recordCount), events, recordCount);
            double dead = b.deadLettered("burst");
            long[] count = sink.count("burst");
            boolean oom = b.child.logText().contains("OutOfMemoryError");
            boolean alive = b.child.alive();
            report.add(
                    "burst.rate",
                    "5 burst, -Xmx256m",
                    recordCount + " lines dropped at once → aws backend → endpoint",
                    r.perSecond(),
                    "records/s",
                    String.format(Locale.ROOT, "%.2f CPU s per million", r.cpuPerMillion()));
            report.atMost(
                    "burst.oom",
                    "5 burst, -Xmx256m",
                    "OutOfMemoryError (1 = yes)",
                    oom || !alive ? 1 : 0,
                    "",
                    0,
                    "none",
                    alive ? "" : "the bridge died");
            long sent = FileRun.lines(warmup(recordCount)) + recordCount;
            report.atMost(
                    "burst.lost",
                    "5 burst, -Xmx256m",
                    "records lost (of the warm-up and the burst)",
                    Math.max(0, sent - count[0] - dead),
                    "",
                    0,
                    "0",
                    String.format(Locale.ROOT, "%,d stored of %,d sent, %.0f dead-lettered", count[0], sent, dead));
            report.add("burst.rss", "5 burst, -Xmx256m", "peak RSS", b.child.peakRssMiB(), "MiB", "");
        }
    }

    private static Map<String, String> awsSettingsUnpaced(String url, String stream) {
        Map<String, String> s = awsSettings(url, stream);
        s.put("bridge.dispatch.shard-flow-control", "false");
        return s;
    }

    // ---- input -----------------------------------------------------------------------------------------------

    /** {@code count} lines of the shared events (NDJSON, '\n' after each). */
    static void writeEvents(Path file, long count, long seed) throws IOException {
        Random random = new Random(seed);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < count; i++) {
                out.write(BenchRecords.event(i, random.nextInt(BenchRecords.USERS)));
                out.write('\n');
            }
        }
    }

    /**
     * As many other events (seed 2) as {@code lines}, at most 200,000: what a run sends first, unmeasured. The JIT
     * of these 2-core machines needs that many (C2 compiles the hot paths for seconds, and a short run measures the
     * compiler more than the bridge).
     */
    private Path warmup(long lines) throws IOException {
        long n = Math.max(1, Math.min(200_000, lines));
        Path file = suite.work.resolve("warmup-" + n + ".ndjson");
        if (!Files.exists(file)) {
            writeEvents(file, n, 2);
        }
        return file;
    }

    /** The first {@code lines} events, in a file of their own (written once). */
    private Path head(long lines) throws IOException {
        Path file = suite.work.resolve("events-" + lines + ".ndjson");
        if (!Files.exists(file)) {
            writeEvents(file, lines, 1);
        }
        return file;
    }

    /** {@code n} request bodies of {@code perBody} events each: one JSON object, or NDJSON lines. */
    private static List<String> bodies(int n, int perBody, long seed) {
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>(n);
        int seq = 0;
        for (int b = 0; b < n; b++) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < perBody; i++) {
                if (i > 0) {
                    body.append('\n');
                }
                body.append(new String(
                        BenchRecords.event(seq++, random.nextInt(BenchRecords.USERS)), StandardCharsets.UTF_8));
            }
            bodies.add(body.toString());
        }
        return bodies;
    }

    // ---- small helpers ---------------------------------------------------------------------------------------

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static String joined(List<Double> values, String format) {
        return String.join(
                ", ",
                values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList());
    }

    private String kinesaliteVersion() {
        try {
            String json = Files.readString(suite.kinesaliteDir.resolve("node_modules/kinesalite/package.json"));
            var m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "not installed";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
        System.out.flush();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
