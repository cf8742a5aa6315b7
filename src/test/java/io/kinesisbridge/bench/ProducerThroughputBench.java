package io.kinesisbridge.bench;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.CredentialsSource;
import io.kinesisbridge.backend.aws.Kinesalite;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.dispatch.DispatchStats;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import io.kinesisbridge.server.EndpointSettings;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records per second, the same records to the same endpoint, side by side in one run: the bridge's kinesis-put on
 * the aws backend versus camel-aws2-kinesis 4.17.0, to kinesalite and to the bridge's own Kinesis endpoint; then the
 * share of a 4-shard stream's 4,000 records/s the bridge sustains with per-shard pacing on, against kinesalite
 * (which never throttles), the bridge's endpoint enforcing Kinesis's shard limits, and the in-memory backend
 * enforcing them without a network. Not a test: run it with
 * <pre>
 * mvn -q test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.kinesisbridge.bench.ProducerThroughputBench
 * </pre>
 * Options (system properties): bench.records (20000), bench.senders (32), bench.pacedSeconds (20).
 */
public final class ProducerThroughputBench {

    private static final int KEYS = 1000;
    private static final int SHARDS = 4;

    private ProducerThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 20_000);
        int senders = Integer.getInteger("bench.senders", 32);
        int pacedSeconds = Integer.getInteger("bench.pacedSeconds", 20);
        List<Event> events = events(records);
        System.out.printf("%d records of ~%d bytes over %d keys, %d sender threads, %d-shard streams, %s cores%n",
                records, events.get(0).data.length, KEYS, senders, SHARDS, Runtime.getRuntime().availableProcessors());
        try (Kinesalite kinesalite = Kinesalite.start()) {
            side(new Target("kinesalite 3.3.3 (node)", kinesalite.uri(), kinesalite::createStream,
                    s -> kinesalite.readAll(s).size()), events, senders);
        }
        InMemoryKinesis served = new InMemoryKinesis(MemoryBackendSettings.defaults());
        try (KinesisEndpoint endpoint = endpoint(served)) {
            side(new Target("the bridge's own endpoint (same JVM)", URI.create(endpoint.url()), served::createStream,
                    s -> served.readAll(s).size()), events, senders);
        }

        System.out.println();
        System.out.printf("%-62s %10s %9s %10s %10s%n", "4 shards x 1,000 records/s, pacing on, " + pacedSeconds + " s window",
                "acked/s", "of 4,000", "sent/s", "throttled");
        try (Kinesalite kinesalite = Kinesalite.start()) {
            kinesalite.createStream("bench-paced", SHARDS);
            try (AwsKinesisBackend aws = aws(kinesalite.uri())) {
                pacedRow("aws backend -> kinesalite (no shard limits)", paced(aws, "bench-paced", pacedSeconds));
            }
        }
        InMemoryKinesis limited = new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
        limited.createStream("bench-paced", SHARDS);
        try (KinesisEndpoint endpoint = endpoint(limited); AwsKinesisBackend aws = aws(URI.create(endpoint.url()))) {
            pacedRow("aws backend -> bridge endpoint enforcing Kinesis's limits", paced(aws, "bench-paced", pacedSeconds));
        }
        InMemoryKinesis direct = new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
        direct.createStream("bench-paced", SHARDS);
        pacedRow("memory backend enforcing Kinesis's limits (no network)", paced(direct, "bench-paced", pacedSeconds));
    }

    private record Target(String name, URI uri, java.util.function.BiConsumer<String, Integer> create,
                          java.util.function.ToIntFunction<String> count) {
    }

    /** The same records through camel-aws2-kinesis and through kinesis-put on the aws backend, to one target. */
    private static void side(Target target, List<Event> events, int senders) throws Exception {
        List<Event> warmup = events(2_000);
        for (String s : List.of("bench-camel", "bench-bridge", "bench-bridge-batch")) {
            target.create().accept(s, SHARDS);
        }
        List<String[]> rows = new ArrayList<>();
        try (AwsKinesisBackend aws = aws(target.uri()); CamelContext camel = context(aws, new LongAdder(), false)) {
            String endpoint = target.uri().toString();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:camel").to("aws2-kinesis:bench-camel?overrideEndpoint=true&uriEndpointOverride=" + endpoint
                            + "&region=us-east-1&accessKey=RAW(AKIDBENCH)&secretKey=RAW(bench)&cborEnabled=false");
                    from("direct:bridge").to("kinesis-put:bench-bridge?partitionKey=header:key&ordering=KEY");
                    from("direct:bridge-batch").to("kinesis-put:bench-bridge-batch?partitionKey=json:/userId&ordering=KEY&batch=true");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            sendEach(template, "direct:camel", warmup, senders);
            sendEach(template, "direct:bridge", warmup, senders);
            sendBatches(template, "direct:bridge-batch", warmup, 4);

            double camelRate = sendEach(template, "direct:camel", events, senders);
            rows.add(row("camel-aws2-kinesis 4.17.0, one exchange per record", camelRate,
                    target.count().applyAsInt("bench-camel") - warmup.size(), events.size()));
            double bridgeRate = sendEach(template, "direct:bridge", events, senders);
            rows.add(row("kinesis-put (aws backend), one exchange per record", bridgeRate,
                    target.count().applyAsInt("bench-bridge") - warmup.size(), events.size()));
            double batchRate = sendBatches(template, "direct:bridge-batch", events, 4);
            rows.add(row("kinesis-put (aws backend), 500 records per exchange", batchRate,
                    target.count().applyAsInt("bench-bridge-batch") - warmup.size(), events.size()));
            camel.stop();
        }
        System.out.println();
        System.out.printf("%-62s %10s %12s%n", "to " + target.name() + ", pacing off", "records/s", "arrived");
        rows.forEach(r -> System.out.printf("%-62s %10s %12s%n", (Object[]) r));
    }

    private static AwsKinesisBackend aws(URI endpoint) {
        return AwsKinesisBackend.create(AwsBackendSettings.defaults().withRegion("us-east-1").withEndpoint(endpoint).withCbor(false)
                .withCredentials(new CredentialsSource.Static("AKIDBENCH", new CredentialsSource.Secret("bench"), Optional.empty())));
    }

    private static KinesisEndpoint endpoint(InMemoryKinesis memory) {
        Clock clock = Clock.systemUTC();
        KinesisEndpoint endpoint = new KinesisEndpoint(new KinesisApi(memory, memory, clock,
                new ShardIterators(clock, ShardIterators.DEFAULT_TTL), KinesisApi.DEFAULT_ACCOUNT_SHARD_LIMIT),
                EndpointSettings.of("127.0.0.1", 0));
        endpoint.start();
        return endpoint;
    }

    private static void pacedRow(String name, Paced p) {
        System.out.printf("%-62s %10.0f %8.1f%% %10.0f %10d%n", name, p.rate, p.rate / 40, p.sendRate, p.throttled);
    }

    private record Event(String key, byte[] data) {
    }

    private record Paced(double rate, double sendRate, long throttled) {
    }

    private static String[] row(String name, double rate, int arrived, int expected) {
        return new String[]{name, String.format("%.0f", rate), arrived + "/" + expected};
    }

    private static List<Event> events(int n) {
        List<Event> events = new ArrayList<>(n);
        String pad = "x".repeat(120);
        for (int i = 0; i < n; i++) {
            String key = "user-" + (i * 7919L % KEYS);
            String json = "{\"userId\":\"" + key + "\",\"n\":" + i + ",\"page\":\"/products/" + (i % 97) + "\",\"pad\":\"" + pad + "\"}";
            events.add(new Event(key, json.getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    private static CamelContext context(KinesisBackend backend, LongAdder deadLetters, boolean pacing) {
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind("kinesisBackend", KinesisBackend.class, backend);
        DeadLetterSink sink = letter -> deadLetters.increment();
        camel.getRegistry().bind("deadLetterSink", DeadLetterSink.class, sink);
        KinesisPutComponent component = new KinesisPutComponent();
        component.setShardFlowControl(pacing);
        component.setShutdownTimeoutMs(2000);
        camel.addComponent("kinesis-put", component);
        return camel;
    }

    /** Each record its own exchange, from {@code senders} threads; records/s from first send to last answer. */
    private static double sendEach(ProducerTemplate template, String uri, List<Event> events, int senders) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            done.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < events.size()) {
                    Event e = events.get(i);
                    template.sendBodyAndHeaders(uri, e.data, Map.of("key", e.key, "CamelAwsKinesisPartitionKey", e.key));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        return events.size() / (elapsed / 1e9);
    }

    /** Lists of 500 records per exchange (as the HTTP and file routes send them), from {@code senders} threads. */
    private static double sendBatches(ProducerTemplate template, String uri, List<Event> events, int senders) throws Exception {
        List<List<byte[]>> batches = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 500) {
            batches.add(events.subList(i, Math.min(events.size(), i + 500)).stream().map(Event::data).toList());
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            done.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < batches.size()) {
                    template.sendBody(uri, batches.get(i));
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        return events.size() / (elapsed / 1e9);
    }

    /**
     * Offers more than a 4-shard stream takes, with per-shard pacing on, and measures the acknowledged rate over
     * {@code seconds} after a 2-second start (past the first second's burst of full buckets).
     */
    private static Paced paced(KinesisBackend backend, String stream, int seconds) throws Exception {
        LongAdder deadLetters = new LongAdder();
        try (CamelContext camel = context(backend, deadLetters, true)) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:paced").to("kinesis-put:" + stream + "?partitionKey=json:/userId&ordering=KEY&batch=true");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            AtomicBoolean offering = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger counter = new AtomicInteger();
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    while (offering.get()) {
                        int base = counter.getAndAdd(500);
                        List<byte[]> batch = events(500).stream().map(e -> e.data).toList();
                        template.sendBody("direct:paced", batch);
                        if (base > 10_000_000) {
                            break;
                        }
                    }
                });
            }
            KinesisPutComponent component = camel.getComponent("kinesis-put", KinesisPutComponent.class);
            while (component.dispatchers().get(stream) == null) {
                Thread.sleep(10);
            }
            DispatchStats stats = component.dispatchers().get(stream).stats();
            Thread.sleep(2000);
            long ack0 = stats.recordsAcknowledged();
            long sent0 = stats.recordsSent();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long ack1 = stats.recordsAcknowledged();
            long sent1 = stats.recordsSent();
            long t1 = System.nanoTime();
            offering.set(false);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            double window = (t1 - t0) / 1e9;
            return new Paced((ack1 - ack0) / window, (sent1 - sent0) / window, stats.recordsThrottled());
        }
    }
}
