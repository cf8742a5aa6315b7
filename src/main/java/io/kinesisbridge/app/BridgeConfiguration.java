package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.AwsSetupException;
import io.kinesisbridge.backend.fault.FaultInjectingBackend;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.CountingDeadLetterSink;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.net.AllowedOrigins;
import io.kinesisbridge.net.ListenAddress;
import io.kinesisbridge.net.ListenerLimits;
import io.kinesisbridge.server.EndpointMetrics;
import io.kinesisbridge.server.EndpointSettings;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.source.file.FileDeadLetters;
import io.kinesisbridge.server.SignatureCheck;
import io.kinesisbridge.source.file.FileLines;
import io.kinesisbridge.source.file.FileTailer;
import io.kinesisbridge.source.file.GlobScanner;
import io.kinesisbridge.source.file.InboxFilter;
import io.kinesisbridge.source.file.InboxWatch;
import io.kinesisbridge.source.file.OwnOutput;
import io.kinesisbridge.source.file.RecordFormat;
import io.kinesisbridge.source.file.RegularFiles;
import io.kinesisbridge.source.file.TailSettings;
import io.kinesisbridge.source.http.BearerToken;
import io.kinesisbridge.source.http.CorsPolicy;
import io.kinesisbridge.source.http.HttpIngest;
import io.kinesisbridge.source.http.HttpListener;
import io.kinesisbridge.source.http.HttpListenerSettings;
import io.kinesisbridge.source.syslog.SyslogListenerSettings;
import io.kinesisbridge.source.syslog.SyslogListeners;
import io.kinesisbridge.source.syslog.SyslogParser;
import io.kinesisbridge.source.syslog.SyslogRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Binds what the routes and the kinesis-put component use, built from the {@code bridge.*} properties of the
 * Camel context: the backend (with its streams), the dead-letter sink and the sources' helpers. Used by the
 * application and by Camel Main tests alike.
 */
public class BridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);
    private static final String CONFIGURED = "kinesisBridgeConfigured";

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        // Camel Main calls configure() for the configurations it was given and again for every CamelConfiguration
        // in the registry, which holds this one too: the second call must not build a second backend and endpoint
        if (registry.lookupByName(CONFIGURED) != null) {
            return;
        }
        registry.bind(CONFIGURED, Boolean.TRUE);
        BridgeSettings settings = settingsOf(context);
        if (settings.bool("bridge.syslog.enabled")) {
            // camel-netty binds at route start, after other listeners: a taken port must stop the start before that
            SyslogListeners.requireFree(settings.text("bridge.syslog.host"), settings.integer("bridge.syslog.port"));
        }
        BridgeHealth health = new BridgeHealth();
        registry.bind("bridgeHealth", BridgeHealth.class, health);
        registry.bind("bridgeHealthCheck", new BridgeHealthCheck(health));
        try {
            context.addStartupListener(new StartupReport(settings, health, processStartNanos()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the start-up report", e);
        }
        // one Vert.x for the HTTP source (platform-http takes the registry's) and the Kinesis endpoint, closed once
        // the context and every service using it have stopped
        Vertx vertx = EarlyStart.vertx(settings.integer("bridge.http.worker-threads"));
        registry.bind("vertx", Vertx.class, vertx);
        context.addLifecycleStrategy(new ClosesVertx(vertx));
        KinesisBackend backend = createBackend(settings);
        registry.bind("kinesisBackend", KinesisBackend.class, backend);
        if (backend instanceof InMemoryKinesis memory) {
            createEndpoint(settings, memory, Optional.of(vertx)).ifPresent(endpoint -> {
                try {
                    endpoint.start(); // binds now, as the HTTP source does: a taken port stops the start with one line
                } catch (RuntimeException e) {
                    vertx.close();
                    throw e;
                }
                registry.bind("kinesisEndpoint", KinesisEndpoint.class, endpoint);
                try {
                    context.addService(new EndpointService(endpoint, context), true, false);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot register the Kinesis endpoint with Camel", e);
                }
            });
        } else if (settings.bool("bridge.endpoint.enabled")) {
            LOG.info("Kinesis endpoint not started: it serves the in-memory backend only (bridge.backend={})", settings.text("bridge.backend"));
        }
        FileDeadLetterSink files = new FileDeadLetterSink(Path.of(settings.text("bridge.dead-letter.dir")),
                settings.longValue("bridge.dead-letter.max-file-bytes"), settings.integer("bridge.dead-letter.max-files"));
        CountingDeadLetterSink deadLetters = new CountingDeadLetterSink(files,
                () -> registry.findByType(io.micrometer.core.instrument.MeterRegistry.class).stream().findFirst());
        registry.bind("deadLetterSink", deadLetters);
        registry.bind("httpIngest", new HttpIngest(settings.integer("bridge.http.max-body-bytes"),
                settings.integer("bridge.http.saturated-status"), settings.integer("bridge.http.retry-after-seconds")));
        listen(context, settings, vertx);
        // the route waits for each batch's answers before it reads the next: a batch of as many records as the
        // dispatcher sends at once (requests in flight x records per request) keeps every request slot busy
        FileDeadLetters fileDeadLetters = new FileDeadLetters(deadLetters, settings.text("bridge.file.stream"),
                settings.integer("bridge.file.max-record-bytes"), Clock.systemUTC());
        RegularFiles regularFiles = new RegularFiles(settings.bool("bridge.file.allow-links"));
        registry.bind("fileLines", new FileLines(Math.min(settings.integer("bridge.max-in-flight-records"),
                settings.integer("bridge.dispatch.max-batch-records") * settings.integer("bridge.dispatch.max-concurrent-requests")),
                fileDeadLetters, regularFiles, health));
        registry.bind("inboxFilter", new InboxFilter(regularFiles, fileDeadLetters));
        InboxWatch inboxWatch = new InboxWatch(health, Duration.ofSeconds(10));
        registry.bind("inboxWatch", inboxWatch);
        addService(context, inboxWatch);
        FileTailer tailer = new FileTailer(tailSettings(settings), fileDeadLetters, health);
        registry.bind("fileTailer", tailer);
        addService(context, tailer);
        SyslogListeners syslog = new SyslogListeners(syslogSettings(settings), () -> meterRegistry(registry));
        registry.bind("syslogListeners", syslog);
        registry.bind("syslogTcpGuard", syslog.tcpGuard());
        registry.bind("syslogTcpFraming", syslog.tcpFraming());
        registry.bind("syslogUdpWatch", syslog.udpWatch());
        registry.bind("syslogUdpDatagrams", syslog.udpDatagrams());
        addService(context, syslog);
        registry.bind("syslogRecords", new SyslogRecords(new SyslogParser()));
        registry.bind("backendHealthCheck", new BackendHealthCheck(backend, targetStreams(settings)));
        long progress = settings.longValue("bridge.progress-interval-seconds");
        try {
            if (progress > 0) {
                context.addService(new ProgressReporter(context, progress));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the bridge's services", e);
        }
    }

    /**
     * Binds the HTTP source's and the management server's addresses now, before Camel starts anything: a taken port
     * stops the start with one line ({@link io.kinesisbridge.net.CannotListenException}) instead of a bridge that
     * looks ready with a source that never listened.
     */
    private static void listen(CamelContext context, BridgeSettings settings, Vertx vertx) {
        Registry registry = context.getRegistry();
        Supplier<Optional<MeterRegistry>> meters = () -> meterRegistry(registry);
        List<ServiceSupport> bound = new ArrayList<>();
        try {
            if (settings.bool("bridge.http.enabled")) {
                HttpListener http = HttpListener.listen(vertx, httpListenerSettings(settings), context, meters);
                bound.add(http);
                registry.bind("httpListener", http);
            }
            if (settings.bool("bridge.management.enabled")) {
                ManagementServer management = new ManagementServer(context, vertx, new ListenAddress(
                        settings.text("bridge.management.host"), settings.integer("bridge.management.port"), "bridge.management.port"),
                        listenerLimits(settings, "bridge.management."), meters);
                management.listen();
                bound.add(management);
                registry.bind("managementServer", management);
            }
        } catch (RuntimeException e) {
            bound.forEach(ServiceSupport::stop);
            vertx.close();
            throw e;
        }
        bound.forEach(service -> addService(context, service));
    }

    static HttpListenerSettings httpListenerSettings(BridgeSettings settings) {
        String keyStore = settings.text("bridge.http.tls.keystore");
        return new HttpListenerSettings(new ListenAddress(settings.text("bridge.http.host"), settings.integer("bridge.http.port"),
                "bridge.http.port"), listenerLimits(settings, "bridge.http."), settings.integer("bridge.http.max-body-bytes"),
                settings.longValue("bridge.http.max-body-bytes-in-flight"), BearerToken.of(settings.text("bridge.http.token")),
                keyStore.isBlank() ? Optional.empty() : Optional.of(new HttpListenerSettings.KeyStoreFile(
                        Path.of(keyStore), settings.text("bridge.http.tls.keystore-password"))),
                settings.integer("bridge.http.saturated-status"), settings.integer("bridge.http.retry-after-seconds"),
                CorsPolicy.of(settings.text("bridge.http.cors.allowed-origins"), settings.integer("bridge.http.cors.max-age-seconds")));
    }

    /** A listener's max-connections, idle-timeout-ms and request-timeout-ms under {@code prefix}. */
    static ListenerLimits listenerLimits(BridgeSettings settings, String prefix) {
        return new ListenerLimits(settings.integer(prefix + "max-connections"),
                Duration.ofMillis(settings.longValue(prefix + "idle-timeout-ms")),
                Duration.ofMillis(settings.longValue(prefix + "request-timeout-ms")));
    }

    /** The registry Camel's Micrometer support uses (camel.metrics.enabled binds it as metricsRegistry), once bound. */
    private static Optional<MeterRegistry> meterRegistry(Registry registry) {
        MeterRegistry byName = registry.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (byName != null) {
            return Optional.of(byName);
        }
        Set<MeterRegistry> all = registry.findByType(MeterRegistry.class);
        return all.size() == 1 ? Optional.of(all.iterator().next()) : Optional.empty();
    }

    /** When this process started, on the clock of System.nanoTime(): "ready in" counts from the launch. */
    private static long processStartNanos() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> System.nanoTime() - Duration.between(start, java.time.Instant.now()).toNanos())
                .orElse(System.nanoTime());
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }

    static SyslogListenerSettings syslogSettings(BridgeSettings settings) {
        return new SyslogListenerSettings(settings.integer("bridge.syslog.max-message-bytes"),
                settings.integer("bridge.syslog.max-connections"), Duration.ofMillis(settings.longValue("bridge.syslog.idle-timeout-ms")),
                settings.integer("bridge.syslog.udp-receive-buffer-bytes"), SyslogListenerSettings.DEFAULT_UDP_DROP_CHECK_INTERVAL);
    }

    static TailSettings tailSettings(BridgeSettings settings) {
        List<String> paths = BridgeSettings.commaList(settings.text("bridge.file.paths"));
        String multiline = settings.text("bridge.file.multiline.start");
        return new TailSettings(paths, settings.text("bridge.file.start-at").equals("end"),
                RecordFormat.parse(settings.text("bridge.file.format")), BridgeSettings.commaList(settings.text("bridge.file.csv.columns")),
                multiline.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(multiline)),
                Duration.ofMillis(settings.longValue("bridge.file.multiline.flush-ms")),
                Path.of(settings.text("bridge.file.checkpoint-file")),
                Duration.ofMillis(settings.longValue("bridge.file.rotate-wait-ms")),
                settings.integer("bridge.dispatch.max-batch-records"), settings.integer("bridge.file.max-record-bytes"),
                settings.text("bridge.file.stream"), settings.bool("bridge.file.allow-links"), ownOutput(settings));
    }

    /** The directories and files the bridge writes, which the tailer must not read. */
    static OwnOutput ownOutput(BridgeSettings settings) {
        List<Path> dirs = new ArrayList<>(List.of(Path.of(settings.text("bridge.dead-letter.dir")),
                Path.of(settings.text("bridge.spool.dir"))));
        if (!settings.text("bridge.memory.persist-dir").isBlank()) {
            dirs.add(Path.of(settings.text("bridge.memory.persist-dir")));
        }
        Set<String> streams = new LinkedHashSet<>(targetStreams(settings));
        settings.streams().forEach(s -> streams.add(s.name()));
        List<String> names = new ArrayList<>();
        for (String s : streams) {
            names.addAll(List.of(s + ".ndjson", s + ".ndjson.1", s + ".log", s + ".json", "stream-" + s + "/head",
                    s + "/stream.json", s + "/shardId-000000000000.log"));
        }
        return new OwnOutput(dirs, List.of(Path.of(settings.text("bridge.file.checkpoint-file"))), names);
    }

    /**
     * Refuses, at start, globs of bridge.file.paths that match the bridge's own output: tailing its dead letters
     * made the bridge feed on itself.
     */
    static void checkTailPaths(BridgeSettings settings) {
        List<String> paths = BridgeSettings.commaList(settings.text("bridge.file.paths"));
        if (paths.isEmpty() || !settings.bool("bridge.file.enabled")) {
            return;
        }
        ownOutput(settings).matchedBy(new GlobScanner(paths)).ifPresent(own -> {
            throw new InvalidSettingException("Setting bridge.file.paths: '" + settings.text("bridge.file.paths")
                    + "' matches the bridge's own output " + own + ": the bridge would tail what it writes itself"
                    + " (dead letters, spool, checkpoints, persisted streams); narrow the globs or move those directories");
        });
    }

    /** The streams the enabled sources put to: every bridge.SOURCE.stream whose bridge.SOURCE.enabled is not false. */
    static List<String> targetStreams(BridgeSettings settings) {
        Set<String> streams = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : settings.bridgeValues().entrySet()) {
            String key = e.getKey();
            if (key.endsWith(".stream") && !e.getValue().isBlank()) {
                String source = key.substring(0, key.length() - ".stream".length());
                String enabled = settings.bridgeValues().get(source + ".enabled");
                if (enabled == null || Boolean.parseBoolean(enabled)) {
                    streams.add(e.getValue());
                }
            }
        }
        return List.copyOf(streams);
    }

    /** The bridge.* properties Camel knows (from the application, a test, or defaults), checked as at start. */
    static BridgeSettings settingsOf(CamelContext context) {
        Properties props = context.getPropertiesComponent().loadProperties(k -> k.startsWith("bridge."));
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return BridgeSettings.load(Optional.empty(), Map.of(), values);
    }

    /**
     * The Kinesis-compatible endpoint over the in-memory backend, when bridge.endpoint.enabled: reads and stream
     * administration go to the backend itself, writes through the fault decorator when faults or latency are set,
     * so that records put by the routes and through the endpoint land in the same streams.
     */
    static Optional<KinesisEndpoint> createEndpoint(BridgeSettings settings, InMemoryKinesis memory, Optional<Vertx> vertx) {
        if (!settings.bool("bridge.endpoint.enabled")) {
            return Optional.empty();
        }
        FaultSettings faults = settings.endpointFaults();
        KinesisBackend writer = memory;
        if (faults.active()) {
            writer = new FaultInjectingBackend(memory, faults, memory.settings().accountId());
            LOG.info("Kinesis endpoint faults: {} of requests and {} of PutRecords entries fail ({}), latency {} ms + up to {} ms, seed {}",
                    faults.requestFailureRate(), faults.entryFailureRate(), String.join("/", faults.errorCodes()),
                    faults.latency().toMillis(), faults.latencyJitter().toMillis(), faults.seed());
        }
        Clock clock = Clock.systemUTC();
        KinesisApi api = new KinesisApi(memory, writer, clock, new ShardIterators(clock, ShardIterators.DEFAULT_TTL),
                settings.bool("bridge.endpoint.require-signature") ? SignatureCheck.STRUCTURE : SignatureCheck.OFF);
        EndpointSettings endpoint = EndpointSettings.of(settings.text("bridge.endpoint.host"), settings.integer("bridge.endpoint.port"))
                .withLimits(settings.longValue("bridge.endpoint.max-body-bytes-in-flight"), settings.integer("bridge.endpoint.max-connections"),
                        Duration.ofMillis(settings.longValue("bridge.endpoint.idle-timeout-ms")),
                        Duration.ofMillis(settings.longValue("bridge.endpoint.header-timeout-ms")),
                        Duration.ofMillis(settings.longValue("bridge.endpoint.request-timeout-ms")));
        KinesisEndpoint kinesisEndpoint = new KinesisEndpoint(api, endpoint, vertx);
        kinesisEndpoint.allowBrowsersFrom(AllowedOrigins.parse(settings.text("bridge.endpoint.cors.allowed-origins"),
                "bridge.endpoint.cors.allowed-origins"));
        return Optional.of(kinesisEndpoint);
    }

    /** Closes the shared Vert.x instance after the Camel context stopped. */
    static final class ClosesVertx extends org.apache.camel.support.LifecycleStrategySupport {
        private final Vertx vertx;

        ClosesVertx(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public void onContextStopped(CamelContext context) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
    }

    /** Starts and stops the endpoint with the Camel context. */
    static final class EndpointService extends ServiceSupport {
        private final KinesisEndpoint endpoint;
        private final CamelContext context;

        EndpointService(KinesisEndpoint endpoint, CamelContext context) {
            this.endpoint = endpoint;
            this.context = context;
        }

        @Override
        protected void doStart() {
            endpoint.start();
            meterRegistry(context.getRegistry()).ifPresent(registry -> EndpointMetrics.bind(endpoint, registry));
        }

        @Override
        protected void doStop() {
            endpoint.close();
        }
    }

    static KinesisBackend createBackend(BridgeSettings settings) {
        String backend = settings.text("bridge.backend").trim().toLowerCase(java.util.Locale.ROOT);
        if (backend.equals("aws")) {
            LOG.debug("AWS backend: the streams must exist; bridge.streams applies to the memory backend only");
            try {
                return AwsKinesisBackend.create(AwsSettings.of(settings));
            } catch (AwsSetupException e) {
                throw new StartRefusedException(e.getMessage());
            }
        }
        MemoryBackendSettings memory = new MemoryBackendSettings(settings.bool("bridge.memory.shard-limits"),
                settings.integer("bridge.memory.records-per-second"), settings.longValue("bridge.memory.bytes-per-second"),
                settings.memoryMaxBytes(), MemoryBackendSettings.DEFAULT_ACCOUNT_ID, "us-east-1",
                Duration.ofMillis(settings.longValue("bridge.memory.create-delay-ms")),
                Duration.ofMillis(settings.longValue("bridge.memory.delete-delay-ms")),
                settings.integer("bridge.memory.account-shard-limit"));
        String persistDir = settings.text("bridge.memory.persist-dir");
        InMemoryKinesis kinesis = persistDir.isBlank() ? new InMemoryKinesis(memory)
                : InMemoryKinesis.durable(memory, Path.of(persistDir), settings.bool("bridge.memory.persist-fsync"));
        for (StreamSpec s : settings.streams()) {
            if (kinesis.hasStream(s.name())) {
                LOG.info("In-memory backend: stream {} restored from {} with {} records", s.name(), persistDir,
                        kinesis.describe(s.name()).recordCount());
            } else {
                kinesis.createStream(s.name(), s.shards(), s.maxRecordSizeBytes());
            }
        }
        LOG.debug("In-memory backend: streams {} (shard limits {}, memory cap {} MiB, {})", kinesis.streamNames(),
                memory.shardLimits() ? "on" : "off", memory.maxBytes() >> 20,
                persistDir.isBlank() ? "not persisted" : "persisted in " + persistDir);
        return kinesis;
    }
}
