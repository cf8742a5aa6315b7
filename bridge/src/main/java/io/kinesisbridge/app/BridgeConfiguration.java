package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.AwsSetupException;
import io.kinesisbridge.backend.fault.FaultInjectingBackend;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.console.WebConsole;
import io.kinesisbridge.deadletter.CountingDeadLetterSink;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.net.CannotListenException;
import io.kinesisbridge.server.EndpointMetrics;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.server.SignatureCheck;
import io.kinesisbridge.source.file.FileDeadLetters;
import io.kinesisbridge.source.file.FileLines;
import io.kinesisbridge.source.file.FileTailer;
import io.kinesisbridge.source.file.GlobScanner;
import io.kinesisbridge.source.file.InboxFilter;
import io.kinesisbridge.source.file.InboxWatch;
import io.kinesisbridge.source.file.OwnOutput;
import io.kinesisbridge.source.file.RegularFiles;
import io.kinesisbridge.source.http.HttpIngest;
import io.kinesisbridge.source.http.HttpListener;
import io.kinesisbridge.source.syslog.SyslogListeners;
import io.kinesisbridge.source.syslog.SyslogParser;
import io.kinesisbridge.source.syslog.SyslogRecords;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        SyslogSettings syslogSettings = settings.syslog();
        if (syslogSettings.enabled()) {
            // camel-netty binds at route start, after other listeners: a taken port must stop the start before that
            SyslogListeners.requireFree(syslogSettings.host(), syslogSettings.port());
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
        HttpSettings http = settings.http();
        Vertx vertx = EarlyStart.vertx(http.workerThreads());
        registry.bind("vertx", Vertx.class, vertx);
        context.addLifecycleStrategy(new ClosesVertx(vertx));
        KinesisBackend backend = createBackend(settings);
        registry.bind("kinesisBackend", KinesisBackend.class, backend);
        if (backend instanceof InMemoryKinesis memory) {
            createEndpoint(settings.endpoint(), memory, Optional.of(vertx)).ifPresent(endpoint -> {
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
        } else if (settings.endpoint().enabled()) {
            LOG.info(
                    "Kinesis endpoint not started: it serves the in-memory backend only (bridge.backend={})",
                    settings.backend().name().toLowerCase(Locale.ROOT));
        }
        CountingDeadLetterSink deadLetters = new CountingDeadLetterSink(
                settings.deadLetters().sink(),
                () -> registry.findByType(MeterRegistry.class).stream().findFirst());
        registry.bind("deadLetterSink", deadLetters);
        registry.bind(
                "httpIngest",
                new HttpIngest(
                        Math.toIntExact(http.listener().maxBodyBytes()),
                        http.listener().saturatedStatus(),
                        http.listener().retryAfterSeconds()));
        listen(context, settings, backend, vertx);
        FileSettings file = settings.file();
        DeliverySettings delivery = settings.delivery();
        // the route waits for each batch's answers before it reads the next: a batch of as many records as the
        // dispatcher sends at once (requests in flight x records per request) keeps every request slot busy
        FileDeadLetters fileDeadLetters =
                new FileDeadLetters(deadLetters, file.stream(), file.maxRecordBytes(), Clock.systemUTC());
        RegularFiles regularFiles = new RegularFiles(file.allowLinks());
        registry.bind(
                "fileLines",
                new FileLines(
                        Math.min(
                                settings.maxInFlightRecords(),
                                delivery.maxBatchRecords() * delivery.maxConcurrentRequests()),
                        fileDeadLetters,
                        regularFiles,
                        health));
        registry.bind("inboxFilter", new InboxFilter(regularFiles, fileDeadLetters));
        InboxWatch inboxWatch = new InboxWatch(health, Duration.ofSeconds(10));
        registry.bind("inboxWatch", inboxWatch);
        addService(context, inboxWatch);
        FileTailer tailer = new FileTailer(
                file.tailSettings(delivery.maxBatchRecords(), ownOutput(settings)), fileDeadLetters, health);
        registry.bind("fileTailer", tailer);
        addService(context, tailer);
        SyslogListeners syslog = new SyslogListeners(syslogSettings.listeners(), () -> meterRegistry(registry));
        registry.bind("syslogListeners", syslog);
        registry.bind("syslogTcpGuard", syslog.tcpGuard());
        registry.bind("syslogTcpFraming", syslog.tcpFraming());
        registry.bind("syslogUdpWatch", syslog.udpWatch());
        registry.bind("syslogUdpDatagrams", syslog.udpDatagrams());
        addService(context, syslog);
        registry.bind("syslogRecords", new SyslogRecords(new SyslogParser()));
        registry.bind("backendHealthCheck", new BackendHealthCheck(backend, targetStreams(settings)));
        Duration progress = settings.progressInterval();
        try {
            if (!progress.isZero()) {
                context.addService(new ProgressReporter(context, progress.toSeconds()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the bridge's services", e);
        }
    }

    /**
     * Binds the HTTP source's and the management server's addresses now, before Camel starts anything: a taken port
     * stops the start with one line ({@link CannotListenException}) instead of a bridge that
     * looks ready with a source that never listened.
     */
    private static void listen(CamelContext context, BridgeSettings settings, KinesisBackend backend, Vertx vertx) {
        HttpSettings http = settings.http();
        ManagementSettings managementSettings = settings.management();
        Registry registry = context.getRegistry();
        Supplier<Optional<MeterRegistry>> meters = () -> meterRegistry(registry);
        List<ServiceSupport> bound = new ArrayList<>();
        try {
            if (http.enabled()) {
                HttpListener listener = HttpListener.listen(vertx, http.listener(), context, meters);
                bound.add(listener);
                registry.bind("httpListener", listener);
            }
            if (managementSettings.enabled()) {
                ManagementServer management = new ManagementServer(
                        context, vertx, managementSettings.address(), managementSettings.limits(), meters);
                management.listen();
                bound.add(management);
                registry.bind("managementServer", management);
                ConsoleSettings console = settings.console();
                if (console.enabled()) {
                    WebConsole webConsole = new WebConsole(
                            context,
                            vertx,
                            backend instanceof InMemoryKinesis memory ? Optional.of(memory) : Optional.empty(),
                            new WebConsole.Options(
                                    console.allowResend(),
                                    console.recentRecords(),
                                    http.listener().token(),
                                    settings.deadLetters().dir(),
                                    Math.max(1, managementSettings.limits().maxConnections() / 2)));
                    management.setConsole(webConsole::handle);
                    bound.add(webConsole);
                    registry.bind("webConsole", webConsole);
                }
            }
        } catch (RuntimeException e) {
            bound.forEach(ServiceSupport::stop);
            vertx.close();
            throw e;
        }
        bound.forEach(service -> addService(context, service));
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
        return ProcessHandle.current()
                .info()
                .startInstant()
                .map(start -> System.nanoTime()
                        - Duration.between(start, Instant.now()).toNanos())
                .orElse(System.nanoTime());
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }

    /** The directories and files the bridge writes, which the tailer must not read. */
    static OwnOutput ownOutput(BridgeSettings settings) {
        List<Path> dirs = new ArrayList<>(
                List.of(settings.deadLetters().dir(), settings.delivery().spoolDir()));
        settings.memory().persistDir().ifPresent(dirs::add);
        Set<String> streams = new LinkedHashSet<>(targetStreams(settings));
        settings.streams().forEach(s -> streams.add(s.name()));
        List<String> names = new ArrayList<>();
        for (String s : streams) {
            names.addAll(List.of(
                    s + ".ndjson",
                    s + ".ndjson.1",
                    s + ".log",
                    s + ".json",
                    "stream-" + s + "/head",
                    s + "/stream.json",
                    s + "/shardId-000000000000.log"));
        }
        return new OwnOutput(dirs, List.of(settings.file().checkpointFile()), names);
    }

    /**
     * Refuses, at start, globs of bridge.file.paths that match the bridge's own output: tailing its dead letters
     * made the bridge feed on itself.
     */
    static void checkTailPaths(BridgeSettings settings) {
        FileSettings file = settings.file();
        List<String> globs = file.tailGlobs();
        if (globs.isEmpty() || !file.enabled()) {
            return;
        }
        ownOutput(settings).matchedBy(new GlobScanner(globs)).ifPresent(own -> {
            throw new InvalidSettingException(
                    "Setting bridge.file.paths: '" + file.paths()
                            + "' matches the bridge's own output " + own
                            + ": the bridge would tail what it writes itself"
                            + " (dead letters, spool, checkpoints, persisted streams); narrow the globs or move those directories");
        });
    }

    /** The streams the enabled sources put to, in the order of the settings. */
    static List<String> targetStreams(BridgeSettings settings) {
        Set<String> streams = new LinkedHashSet<>();
        HttpSettings http = settings.http();
        FileSettings file = settings.file();
        SyslogSettings syslog = settings.syslog();
        MqttSettings mqtt = settings.mqtt();
        addIf(streams, http.enabled(), http.stream());
        addIf(streams, file.enabled(), file.stream());
        addIf(streams, syslog.enabled(), syslog.stream());
        addIf(streams, mqtt.enabled(), mqtt.stream());
        return List.copyOf(streams);
    }

    private static void addIf(Set<String> streams, boolean enabled, String stream) {
        if (enabled && !stream.isBlank()) {
            streams.add(stream);
        }
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
    static Optional<KinesisEndpoint> createEndpoint(
            KinesisEndpointSettings settings, InMemoryKinesis memory, Optional<Vertx> vertx) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        FaultSettings faults = settings.faults();
        KinesisBackend writer = memory;
        if (faults.active()) {
            writer = new FaultInjectingBackend(memory, faults, memory.settings().accountId());
            LOG.info(
                    "Kinesis endpoint faults: {} of requests and {} of PutRecords entries fail ({}), latency {} ms + up to {} ms, seed {}",
                    faults.requestFailureRate(),
                    faults.entryFailureRate(),
                    String.join("/", faults.errorCodes()),
                    faults.latency().toMillis(),
                    faults.latencyJitter().toMillis(),
                    faults.seed());
        }
        Clock clock = Clock.systemUTC();
        KinesisApi api = new KinesisApi(
                memory,
                writer,
                clock,
                new ShardIterators(clock, ShardIterators.DEFAULT_TTL),
                settings.requireSignature() ? SignatureCheck.STRUCTURE : SignatureCheck.OFF);
        KinesisEndpoint kinesisEndpoint = new KinesisEndpoint(api, settings.listener(), vertx);
        kinesisEndpoint.allowBrowsersFrom(settings.corsOrigins());
        return Optional.of(kinesisEndpoint);
    }

    /** Closes the shared Vert.x instance after the Camel context stopped. */
    static final class ClosesVertx extends LifecycleStrategySupport {
        private final Vertx vertx;

        ClosesVertx(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public void onContextStopped(CamelContext context) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
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
        if (settings.backend() == BridgeSettings.Backend.AWS) {
            LOG.debug("AWS backend: the streams must exist; bridge.streams applies to the memory backend only");
            try {
                return AwsKinesisBackend.create(settings.aws());
            } catch (AwsSetupException e) {
                throw new StartRefusedException(e.getMessage());
            }
        }
        MemorySettings memory = settings.memory();
        Optional<Path> persistDir = memory.persistDir();
        InMemoryKinesis kinesis = persistDir.isEmpty()
                ? new InMemoryKinesis(memory.backend())
                : InMemoryKinesis.durable(memory.backend(), persistDir.get(), memory.persistFsync());
        for (StreamSpec s : settings.streams()) {
            if (kinesis.hasStream(s.name())) {
                LOG.info(
                        "In-memory backend: stream {} restored from {} with {} records",
                        s.name(),
                        persistDir.get(),
                        kinesis.describe(s.name()).recordCount());
            } else {
                kinesis.createStream(s.name(), s.shards(), s.maxRecordSizeBytes());
            }
        }
        LOG.debug(
                "In-memory backend: streams {} (shard limits {}, memory cap {} MiB, {})",
                kinesis.streamNames(),
                memory.backend().shardLimits() ? "on" : "off",
                memory.backend().maxBytes() >> 20,
                persistDir.map(dir -> "persisted in " + dir).orElse("not persisted"));
        return kinesis;
    }
}
