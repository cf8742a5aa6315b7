package io.kinesisbridge.component;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.deadletter.HealthReportingDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchMetrics;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.FlowControl;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolDirectories;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.dispatch.spool.StreamSpool;
import io.kinesisbridge.files.StreamFileNames;
import io.kinesisbridge.health.BridgeHealth;
import io.kinesisbridge.put.PutRecordValidator;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The kinesis-put component: builds endpoints from a copy of its configuration and owns one dispatcher per
 * stream, shared by every endpoint that writes to that stream, so that per-key order holds across routes.
 */
@Component("kinesis-put")
public class KinesisPutComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisPutComponent.class);

    @Metadata(description = "Default options of the component's endpoints.")
    private KinesisPutConfiguration configuration = new KinesisPutConfiguration();

    @Metadata(autowired = true, description = "Where records go: the in-memory shard backend or Kinesis. The bridge "
            + "binds one in the registry; a KinesisBackend bean is picked up automatically.")
    private KinesisBackend backend;

    @Metadata(autowired = true, label = "advanced", description = "Where rejected records go. Unset, they are "
            + "written as JSON lines to deadLetterDir.")
    private DeadLetterSink deadLetterSink;

    @Metadata(defaultValue = "data/dead-letter", description = "Directory of the dead-letter files "
            + "(one STREAM.ndjson per stream) when no deadLetterSink is set.")
    private String deadLetterDir = "data/dead-letter";

    @Metadata(label = "advanced", defaultValue = "500", description = "Records per PutRecords request (1 to 500).")
    private int maxBatchRecords = 500;

    @Metadata(label = "advanced", defaultValue = "5242880", description = "Bytes (data plus partition keys) per "
            + "PutRecords request, at most 5 MiB.")
    private int maxBatchBytes = PutRecordValidator.MAX_REQUEST_BYTES;

    @Metadata(label = "advanced", defaultValue = "0", description = "How long, in milliseconds, a partly filled "
            + "batch waits for more records. 0 sends at once and batches what queues while requests are in flight.")
    private long lingerMs;

    @Metadata(label = "advanced", defaultValue = "8", description = "Requests in flight per stream.")
    private int maxConcurrentRequests = 8;

    @Metadata(label = "advanced", defaultValue = "10", description = "Sends of a record before it is dead-lettered, "
            + "for retryable errors (throttling, InternalFailure, network errors).")
    private int retryMaxAttempts = 10;

    @Metadata(label = "advanced", defaultValue = "100", description = "Backoff base in milliseconds: a retry waits "
            + "a random time up to the base doubled for each earlier attempt (base, 2 x base, 4 x base, ...), at most retryMaxDelayMs.")
    private long retryBaseDelayMs = 100;

    @Metadata(label = "advanced", defaultValue = "5000", description = "Backoff cap in milliseconds.")
    private long retryMaxDelayMs = 5000;

    @Metadata(label = "advanced", defaultValue = "30000", description = "On stop, how long in milliseconds to wait "
            + "for records in flight; what is left then is written to the spool (or, without one, dead-lettered).")
    private long shutdownTimeoutMs = 30_000;

    @Metadata(label = "advanced", defaultValue = "true", description = "Whether each stream's dispatcher paces its "
            + "sends per shard (it reads the stream's shards and keeps a budget of shardRecordsPerSecond and "
            + "shardBytesPerSecond per shard) so that Kinesis rarely throttles.")
    private boolean shardFlowControl = true;

    @Metadata(label = "advanced", defaultValue = "1000", description = "Records per second a shard takes (Kinesis: 1,000).")
    private int shardRecordsPerSecond = FlowControl.KINESIS_RECORDS_PER_SECOND;

    @Metadata(label = "advanced", defaultValue = "1048576", description = "Bytes (data plus partition keys) per "
            + "second a shard takes (Kinesis: 1 MiB).")
    private long shardBytesPerSecond = FlowControl.KINESIS_BYTES_PER_SECOND;

    @Metadata(label = "advanced", defaultValue = "60000", description = "How often, in milliseconds, the shard map "
            + "is read again besides the signs of a reshard; 0 for only those.")
    private long shardMapRefreshMs = 60_000;

    @Metadata(label = "advanced", defaultValue = "67108864", description = "Bytes (data plus partition keys) of "
            + "records a stream may hold unacknowledged; past it a record waits (whenSaturated=BLOCK) or is refused "
            + "with BridgeSaturated (REJECT), so that a slow stream slows its sources instead of growing memory.")
    private long maxPendingBytes = DispatchSettings.DEFAULT_MAX_PENDING_BYTES;

    @Metadata(label = "advanced", description = "Directory of the spool (store and forward): when set, records "
            + "whose retries against an unreachable or throttling Kinesis are used up are written here (one "
            + "directory per stream) instead of the dead-letter output, acknowledged to their sources, and sent in "
            + "per-key order when Kinesis answers again, also after a restart. Empty: no spool.")
    private String spoolDir = "";

    @Metadata(label = "advanced", defaultValue = "1073741824", description = "Bytes each stream's spool may hold on "
            + "disk; a full spool keeps further records in memory (maxPendingBytes), which slows the sources.")
    private long spoolMaxBytes = 1L << 30;

    @Metadata(label = "advanced", defaultValue = "always", enums = "always,interval,never", description = "When "
            + "spooled records are forced to the disk: always (before the source is acknowledged; one fsync per "
            + "group of records), interval (at most spoolFsyncIntervalMs later), never (left to the operating system).")
    private String spoolFsync = "always";

    @Metadata(label = "advanced", defaultValue = "1000", description = "With spoolFsync=interval, the longest time "
            + "in milliseconds between a spool write and its fsync.")
    private long spoolFsyncIntervalMs = 1000;

    private final Map<String, StreamDispatcher> dispatchers = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> completionExecutors = new ConcurrentHashMap<>();
    private final Map<String, DispatchMetrics> metrics = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
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
        // when the bridge begins to stop, routes wait for their exchanges, which wait for Kinesis: from then on the
        // dispatchers have shutdownTimeoutMs in all, after which they spool (or dead-letter) what is still pending
        stopping = new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent && shutdownDeadline == 0) {
                    shutdownDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMs);
                    dispatchers.values().forEach(d -> d.beginShutdown(Duration.ofMillis(shutdownTimeoutMs)));
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
            ownedDeadLetterSink = new FileDeadLetterSink(Path.of(deadLetterDir), 100L << 20, 10);
            deadLetterSink = ownedDeadLetterSink;
        }
        BridgeHealth health = getCamelContext().getRegistry().lookupByNameAndType("bridgeHealth", BridgeHealth.class);
        reportingDeadLetterSink = new HealthReportingDeadLetterSink(deadLetterSink, health != null ? health : new BridgeHealth());
        // a plain JDK scheduler: its queue is unbounded, so thousands of retries waiting for their backoff are
        // never refused (Camel's default thread-pool profile caps the queue at 1,000 tasks)
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kinesis-put-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
        if (!spoolDir.isBlank()) {
            FsyncPolicy.parse(spoolFsync); // a bad value stops the start, not the first spool write
            // streams with records spooled by an earlier run are forwarded even when no route writes to them now
            for (String stream : SpoolDirectories.streams(Path.of(spoolDir))) {
                dispatcher(stream);
            }
        }
    }

    /** The stream's spool, opened (recovering what an earlier run left), when spoolDir is set. */
    private java.util.Optional<StreamSpool> openSpool(String streamName) {
        if (spoolDir.isBlank() || !StreamFileNames.isStreamName(streamName)) {
            // a name Kinesis refuses (from a header) gets no spool: its records are dead-lettered by validation
            return java.util.Optional.empty();
        }
        SpoolSettings settings = SpoolSettings.of(SpoolDirectories.of(Path.of(spoolDir), streamName), spoolMaxBytes,
                FsyncPolicy.parse(spoolFsync), Duration.ofMillis(spoolFsyncIntervalMs));
        return java.util.Optional.of(StreamSpool.open(streamName, settings));
    }

    @Override
    protected void doStop() throws Exception {
        long deadline = shutdownDeadline;
        Duration timeout = Duration.ofNanos(deadline == 0 ? TimeUnit.MILLISECONDS.toNanos(shutdownTimeoutMs)
                : Math.max(0, deadline - System.nanoTime()));
        // every stream at once: the timeout is the bridge's, not each stream's
        java.util.List<Thread> closers = new java.util.ArrayList<>();
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
            if (!completions.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
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
            ExecutorService completions = completionExecutors.computeIfAbsent(name, n -> Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kinesis-put-" + n);
                t.setDaemon(true);
                return t;
            }));
            StreamDispatcher d = new StreamDispatcher(name, backend, dispatchSettings(), reportingDeadLetterSink, scheduler,
                    completions, openSpool(name));
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

    DispatchSettings dispatchSettings() {
        return new DispatchSettings(maxBatchRecords, maxBatchBytes, Duration.ofMillis(lingerMs), maxConcurrentRequests,
                new RetryPolicy(retryMaxAttempts, Duration.ofMillis(retryBaseDelayMs), Duration.ofMillis(retryMaxDelayMs)),
                DispatchSettings.defaults().chainKeys(),
                new FlowControl(shardFlowControl, shardRecordsPerSecond, shardBytesPerSecond, Duration.ofMillis(shardMapRefreshMs)),
                maxPendingBytes);
    }

    /** The registry Camel's Micrometer support uses (camel.metrics.enabled=true binds it as metricsRegistry). */
    private java.util.Optional<MeterRegistry> meterRegistry() {
        MeterRegistry byName = getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (byName != null) {
            return java.util.Optional.of(byName);
        }
        java.util.Set<MeterRegistry> all = getCamelContext().getRegistry().findByType(MeterRegistry.class);
        return all.size() == 1 ? java.util.Optional.of(all.iterator().next()) : java.util.Optional.empty();
    }

    public boolean isShardFlowControl() {
        return shardFlowControl;
    }

    public void setShardFlowControl(boolean shardFlowControl) {
        this.shardFlowControl = shardFlowControl;
    }

    public int getShardRecordsPerSecond() {
        return shardRecordsPerSecond;
    }

    public void setShardRecordsPerSecond(int shardRecordsPerSecond) {
        this.shardRecordsPerSecond = shardRecordsPerSecond;
    }

    public long getShardBytesPerSecond() {
        return shardBytesPerSecond;
    }

    public void setShardBytesPerSecond(long shardBytesPerSecond) {
        this.shardBytesPerSecond = shardBytesPerSecond;
    }

    public long getShardMapRefreshMs() {
        return shardMapRefreshMs;
    }

    public void setShardMapRefreshMs(long shardMapRefreshMs) {
        this.shardMapRefreshMs = shardMapRefreshMs;
    }

    public String getSpoolDir() {
        return spoolDir;
    }

    public void setSpoolDir(String spoolDir) {
        this.spoolDir = spoolDir;
    }

    public long getSpoolMaxBytes() {
        return spoolMaxBytes;
    }

    public void setSpoolMaxBytes(long spoolMaxBytes) {
        this.spoolMaxBytes = spoolMaxBytes;
    }

    public String getSpoolFsync() {
        return spoolFsync;
    }

    public void setSpoolFsync(String spoolFsync) {
        this.spoolFsync = spoolFsync;
    }

    public long getSpoolFsyncIntervalMs() {
        return spoolFsyncIntervalMs;
    }

    public void setSpoolFsyncIntervalMs(long spoolFsyncIntervalMs) {
        this.spoolFsyncIntervalMs = spoolFsyncIntervalMs;
    }

    public long getMaxPendingBytes() {
        return maxPendingBytes;
    }

    public void setMaxPendingBytes(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
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

    public String getDeadLetterDir() {
        return deadLetterDir;
    }

    public void setDeadLetterDir(String deadLetterDir) {
        this.deadLetterDir = deadLetterDir;
    }

    public int getMaxBatchRecords() {
        return maxBatchRecords;
    }

    public void setMaxBatchRecords(int maxBatchRecords) {
        this.maxBatchRecords = maxBatchRecords;
    }

    public int getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }

    public long getLingerMs() {
        return lingerMs;
    }

    public void setLingerMs(long lingerMs) {
        this.lingerMs = lingerMs;
    }

    public int getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public int getRetryMaxAttempts() {
        return retryMaxAttempts;
    }

    public void setRetryMaxAttempts(int retryMaxAttempts) {
        this.retryMaxAttempts = retryMaxAttempts;
    }

    public long getRetryBaseDelayMs() {
        return retryBaseDelayMs;
    }

    public void setRetryBaseDelayMs(long retryBaseDelayMs) {
        this.retryBaseDelayMs = retryBaseDelayMs;
    }

    public long getRetryMaxDelayMs() {
        return retryMaxDelayMs;
    }

    public void setRetryMaxDelayMs(long retryMaxDelayMs) {
        this.retryMaxDelayMs = retryMaxDelayMs;
    }

    public long getShutdownTimeoutMs() {
        return shutdownTimeoutMs;
    }

    public void setShutdownTimeoutMs(long shutdownTimeoutMs) {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }
}
