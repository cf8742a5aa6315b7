package io.kinesisbridge.component;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.deadletter.HealthReportingDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchMetrics;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolDirectories;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.files.StreamFileNames;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.put.PutRecordValidator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kinesis-put component: builds endpoints from a copy of its configuration and owns one dispatcher per
 * stream, shared by every endpoint that writes to that stream, so that per-key order holds across routes.
 */
@Component("kinesis-put")
public class KinesisPutComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisPutComponent.class);

    @Metadata(description = "Default options of the component's endpoints.")
    private KinesisPutConfiguration configuration = new KinesisPutConfiguration();

    @Metadata(
            autowired = true,
            description = "Where records go: the in-memory shard backend or Kinesis. The bridge "
                    + "binds one in the registry; a KinesisBackend bean is picked up automatically.")
    private KinesisBackend backend;

    @Metadata(
            autowired = true,
            label = "advanced",
            description = "Where rejected records go. Unset, they are " + "written as JSON lines to deadLetterDir.")
    private DeadLetterSink deadLetterSink;

    @Metadata(description = "Options of the per-stream dispatchers, spools and dead-letter files.")
    private KinesisPutDispatchConfiguration dispatchConfiguration = new KinesisPutDispatchConfiguration();

    private final Map<String, StreamDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> completionExecutors = new ConcurrentHashMap<>();
    private final Map<String, DispatchMetrics> metrics = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    /** The dispatch options as they were at start: every dispatcher of this run uses the same. */
    private KinesisPutDispatchConfiguration started;

    private DispatchSettings dispatchSettings;
    /** System.nanoTime() by which the dispatchers must have settled, once the bridge began to stop; 0 before. */
    private volatile long shutdownDeadline;

    private SimpleEventNotifierSupport stopping;
    private DeadLetterSink ownedDeadLetterSink;
    /** The dead-letter sink the dispatchers write to: the configured one, reporting to the bridge's health. */
    private DeadLetterSink reportingDeadLetterSink;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!PutRecordValidator.isStreamName(remaining)) {
            throw new IllegalArgumentException("kinesis-put:" + remaining + ": a stream name of 1 to 128 characters "
                    + "from [a-zA-Z0-9_.-] is required");
        }
        KinesisPutEndpoint endpoint = new KinesisPutEndpoint(uri, this, remaining, configuration.copy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        shutdownDeadline = 0;
        started = dispatchConfiguration.copy();
        dispatchSettings = started.dispatchSettings(); // a value out of range stops the start, not the first record
        // when the bridge begins to stop, routes wait for their exchanges, which wait for Kinesis: from then on the
        // dispatchers have shutdownTimeoutMs in all, after which they spool (or dead-letter) what is still pending
        stopping = new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent && shutdownDeadline == 0) {
                    shutdownDeadline =
                            System.nanoTime() + started.shutdownTimeout().toNanos();
                    dispatchers.values().forEach(d -> d.beginShutdown(started.shutdownTimeout()));
                }
            }
        };
        ServiceHelper.startService(stopping);
        getCamelContext().getManagementStrategy().addEventNotifier(stopping);
        if (backend == null) {
            throw new IllegalStateException("kinesis-put needs a KinesisBackend: bind one in the registry or set the "
                    + "component's backend option");
        }
        if (deadLetterSink == null) {
            ownedDeadLetterSink = new FileDeadLetterSink(
                    Path.of(started.getDeadLetterDir()),
                    started.getDeadLetterMaxFileBytes(),
                    started.getDeadLetterMaxFiles());
            deadLetterSink = ownedDeadLetterSink;
        }
        BridgeHealth health = getCamelContext().getRegistry().lookupByNameAndType("bridgeHealth", BridgeHealth.class);
        reportingDeadLetterSink =
                new HealthReportingDeadLetterSink(deadLetterSink, health != null ? health : new BridgeHealth());
        // a plain JDK scheduler: its queue is unbounded, so thousands of retries waiting for their backoff are
        // never refused (Camel's default thread-pool profile caps the queue at 1,000 tasks)
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kinesis-put-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
        Optional<Path> spoolRoot = started.spoolRoot();
        if (spoolRoot.isPresent()) {
            FsyncPolicy.parse(started.getSpoolFsync()); // a bad value stops the start, not the first spool write
            // streams with records spooled by an earlier run are forwarded even when no route writes to them now
            for (String stream : SpoolDirectories.streams(spoolRoot.get())) {
                dispatcher(stream);
            }
        }
    }

    /** The stream's spool, opened (recovering what an earlier run left), when spoolDir is set. */
    private Optional<StreamSpool> openSpool(String streamName) {
        if (!StreamFileNames.isStreamName(streamName)) {
            // a name Kinesis refuses (from a header) gets no spool: its records are dead-lettered by validation
            return Optional.empty();
        }
        return started.spoolSettings(streamName).map(settings -> StreamSpool.open(streamName, settings));
    }

    @Override
    protected void doStop() throws Exception {
        long deadline = shutdownDeadline;
        // a start that failed early has no options of its own yet
        Duration configured = (started != null ? started : dispatchConfiguration).shutdownTimeout();
        Duration timeout = deadline == 0 ? configured : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
        // every stream at once: the timeout is the bridge's, not each stream's
        List<Thread> closers = new ArrayList<>();
        for (StreamDispatcher d : dispatchers.values()) {
            Thread t = new Thread(() -> d.close(timeout), "kinesis-put-close-" + d.streamName());
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            t.join();
        }
        dispatchers.clear();
        if (stopping != null) {
            getCamelContext().getManagementStrategy().removeEventNotifier(stopping);
            ServiceHelper.stopService(stopping);
            stopping = null;
        }
        metrics.values().forEach(DispatchMetrics::close);
        metrics.clear();
        for (ExecutorService completions : completionExecutors.values()) {
            completions.shutdown(); // runs the completions still queued, then ends
            if (!completions.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("kinesis-put: completions of a stream still running after 10 s at stop");
            }
        }
        completionExecutors.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (ownedDeadLetterSink != null) {
            ownedDeadLetterSink.close();
            deadLetterSink = null;
            ownedDeadLetterSink = null;
        }
        super.doStop();
    }

    /** The stream's dispatcher, started on first use. */
    StreamDispatcher dispatcher(String streamName) {
        return dispatchers.computeIfAbsent(streamName, name -> {
            // callbacks (the rest of a route) run here, off the sending path, one at a time per stream; a plain JDK
            // executor, as the timer: its queue is unbounded, Camel's default profile would refuse past 1,000 tasks
            ExecutorService completions = completionExecutors.computeIfAbsent(
                    name,
                    n -> Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "kinesis-put-" + n);
                        t.setDaemon(true);
                        return t;
                    }));
            StreamDispatcher d = new StreamDispatcher(
                    name, backend, dispatchSettings, reportingDeadLetterSink, scheduler, completions, openSpool(name));
            meterRegistry().ifPresent(registry -> metrics.put(name, DispatchMetrics.bind(d, registry)));
            d.start();
            LOG.debug("kinesis-put: dispatcher for stream {} on backend {}", name, backend.name());
            return d;
        });
    }

    /** Every stream's dispatcher, for metrics and accounting. */
    public Map<String, StreamDispatcher> dispatchers() {
        return Map.copyOf(dispatchers);
    }

    /** The registry Camel's Micrometer support uses (camel.metrics.enabled=true binds it as metricsRegistry). */
    private Optional<MeterRegistry> meterRegistry() {
        MeterRegistry byName =
                getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (byName != null) {
            return Optional.of(byName);
        }
        Set<MeterRegistry> all = getCamelContext().getRegistry().findByType(MeterRegistry.class);
        return all.size() == 1 ? Optional.of(all.iterator().next()) : Optional.empty();
    }

    public KinesisPutConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(KinesisPutConfiguration configuration) {
        this.configuration = configuration;
    }

    public KinesisBackend getBackend() {
        return backend;
    }

    public void setBackend(KinesisBackend backend) {
        this.backend = backend;
    }

    public DeadLetterSink getDeadLetterSink() {
        return deadLetterSink;
    }

    public void setDeadLetterSink(DeadLetterSink deadLetterSink) {
        this.deadLetterSink = deadLetterSink;
    }

    public KinesisPutDispatchConfiguration getDispatchConfiguration() {
        return dispatchConfiguration;
    }

    public void setDispatchConfiguration(KinesisPutDispatchConfiguration dispatchConfiguration) {
        this.dispatchConfiguration = dispatchConfiguration;
    }
}
