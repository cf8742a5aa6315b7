package io.kinesisbridge.component;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.PutRecordValidator;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

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
            + "a random time up to base * 2^(attempt-1), at most retryMaxDelayMs.")
    private long retryBaseDelayMs = 100;

    @Metadata(label = "advanced", defaultValue = "5000", description = "Backoff cap in milliseconds.")
    private long retryMaxDelayMs = 5000;

    @Metadata(label = "advanced", defaultValue = "30000", description = "On stop, how long in milliseconds to wait "
            + "for records in flight before dead-lettering them.")
    private long shutdownTimeoutMs = 30_000;

    private final Map<String, StreamDispatcher> dispatchers = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private DeadLetterSink ownedDeadLetterSink;

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
        if (backend == null) {
            throw new IllegalStateException("kinesis-put needs a KinesisBackend: bind one in the registry or set the "
                    + "component's backend option");
        }
        if (deadLetterSink == null) {
            ownedDeadLetterSink = new FileDeadLetterSink(Path.of(deadLetterDir), 100L << 20, 10);
            deadLetterSink = ownedDeadLetterSink;
        }
        // a plain JDK scheduler: its queue is unbounded, so thousands of retries waiting for their backoff are
        // never refused (Camel's default thread-pool profile caps the queue at 1,000 tasks)
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kinesis-put-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
    }

    @Override
    protected void doStop() throws Exception {
        Duration timeout = Duration.ofMillis(shutdownTimeoutMs);
        dispatchers.values().forEach(d -> d.close(timeout));
        dispatchers.clear();
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
            StreamDispatcher d = new StreamDispatcher(name, backend, dispatchSettings(), deadLetterSink, scheduler);
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
                DispatchSettings.defaults().chainKeys());
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
