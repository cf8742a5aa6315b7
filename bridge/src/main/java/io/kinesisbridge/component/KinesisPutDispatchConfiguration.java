package io.kinesisbridge.component;

import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.FlowControl;
import io.kinesisbridge.dispatch.RetryPolicy;
import io.kinesisbridge.dispatch.spool.FsyncPolicy;
import io.kinesisbridge.dispatch.spool.SpoolDirectories;
import io.kinesisbridge.dispatch.spool.SpoolSettings;
import io.kinesisbridge.put.PutRecordValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the component's per-stream dispatchers, spools and dead-letter files. They are component options only:
 * one dispatcher serves every endpoint of its stream (so that per-key order holds across routes), so a value per
 * endpoint would have no single meaning. The defaults are those of the dispatch records, so they are written once.
 */
@UriParams
public class KinesisPutDispatchConfiguration implements Cloneable {

    static final String DEFAULT_DEAD_LETTER_DIR = "data/dead-letter";
    static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;
    static final String DEFAULT_SPOOL_FSYNC = "always";

    @UriParam(
            defaultValue = DEFAULT_DEAD_LETTER_DIR,
            description = "Directory of the dead-letter files "
                    + "(one STREAM.ndjson per stream) when no deadLetterSink is set.")
    private String deadLetterDir = DEFAULT_DEAD_LETTER_DIR;

    @UriParam(
            label = "advanced",
            defaultValue = "" + FileDeadLetterSink.DEFAULT_MAX_FILE_BYTES,
            description = "Size "
                    + "in bytes at which a dead-letter file (when no deadLetterSink is set) is rotated to .1, .2, ...")
    private long deadLetterMaxFileBytes = FileDeadLetterSink.DEFAULT_MAX_FILE_BYTES;

    @UriParam(
            label = "advanced",
            defaultValue = "" + FileDeadLetterSink.DEFAULT_MAX_FILES,
            description =
                    "Dead-letter " + "files kept per stream (when no deadLetterSink is set), the current one included.")
    private int deadLetterMaxFiles = FileDeadLetterSink.DEFAULT_MAX_FILES;

    @UriParam(
            label = "advanced",
            defaultValue = "" + PutRecordValidator.MAX_RECORDS_PER_REQUEST,
            description = "Records per PutRecords request (1 to 500).")
    private int maxBatchRecords = PutRecordValidator.MAX_RECORDS_PER_REQUEST;

    @UriParam(
            label = "advanced",
            defaultValue = "" + PutRecordValidator.MAX_REQUEST_BYTES,
            description = "Bytes (data " + "plus partition keys) per PutRecords request, at most 5 MiB.")
    private int maxBatchBytes = PutRecordValidator.MAX_REQUEST_BYTES;

    @UriParam(
            label = "advanced",
            defaultValue = "" + DispatchSettings.DEFAULT_LINGER_MS,
            description = "How long, in "
                    + "milliseconds, a partly filled batch waits for more records. 0 sends at once and batches what queues "
                    + "while requests are in flight.")
    private long lingerMs = DispatchSettings.DEFAULT_LINGER_MS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + DispatchSettings.DEFAULT_MAX_CONCURRENT_REQUESTS,
            description = "Requests in flight per stream.")
    private int maxConcurrentRequests = DispatchSettings.DEFAULT_MAX_CONCURRENT_REQUESTS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + RetryPolicy.DEFAULT_MAX_ATTEMPTS,
            description =
                    "Sends of a "
                            + "record before it is dead-lettered, for retryable errors (throttling, InternalFailure, network errors).")
    private int retryMaxAttempts = RetryPolicy.DEFAULT_MAX_ATTEMPTS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + RetryPolicy.DEFAULT_BASE_DELAY_MS,
            description = "Backoff base "
                    + "in milliseconds: a retry waits a random time up to the base doubled for each earlier attempt (base, "
                    + "2 x base, 4 x base, ...), at most retryMaxDelayMs.")
    private long retryBaseDelayMs = RetryPolicy.DEFAULT_BASE_DELAY_MS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + RetryPolicy.DEFAULT_MAX_DELAY_MS,
            description = "Backoff cap in milliseconds.")
    private long retryMaxDelayMs = RetryPolicy.DEFAULT_MAX_DELAY_MS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + DEFAULT_SHUTDOWN_TIMEOUT_MS,
            description = "On stop, how long "
                    + "in milliseconds to wait for records in flight; what is left then is written to the spool (or, without "
                    + "one, dead-lettered).")
    private long shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;

    @UriParam(
            label = "advanced",
            defaultValue = "true",
            description = "Whether each stream's dispatcher paces its "
                    + "sends per shard (it reads the stream's shards and keeps a budget of shardRecordsPerSecond and "
                    + "shardBytesPerSecond per shard) so that Kinesis rarely throttles.")
    private boolean shardFlowControl = true;

    @UriParam(
            label = "advanced",
            defaultValue = "" + FlowControl.KINESIS_RECORDS_PER_SECOND,
            description = "Records per second a shard takes (Kinesis: 1,000).")
    private int shardRecordsPerSecond = FlowControl.KINESIS_RECORDS_PER_SECOND;

    @UriParam(
            label = "advanced",
            defaultValue = "" + FlowControl.KINESIS_BYTES_PER_SECOND,
            description = "Bytes " + "(data plus partition keys) per second a shard takes (Kinesis: 1 MiB).")
    private long shardBytesPerSecond = FlowControl.KINESIS_BYTES_PER_SECOND;

    @UriParam(
            label = "advanced",
            defaultValue = "" + FlowControl.DEFAULT_REFRESH_MS,
            description = "How often, in "
                    + "milliseconds, the shard map is read again besides the signs of a reshard; 0 for only those.")
    private long shardMapRefreshMs = FlowControl.DEFAULT_REFRESH_MS;

    @UriParam(
            label = "advanced",
            defaultValue = "" + DispatchSettings.DEFAULT_MAX_PENDING_BYTES,
            description = "Bytes "
                    + "(data plus partition keys) of records a stream may hold unacknowledged; past it a record waits "
                    + "(whenSaturated=BLOCK) or is refused with BridgeSaturated (REJECT), so that a slow stream slows its "
                    + "sources instead of growing memory.")
    private long maxPendingBytes = DispatchSettings.DEFAULT_MAX_PENDING_BYTES;

    @UriParam(
            label = "advanced",
            description = "Directory of the spool (store and forward): when set, records "
                    + "whose retries against an unreachable or throttling Kinesis are used up are written here (one "
                    + "directory per stream) instead of the dead-letter output, acknowledged to their sources, and sent in "
                    + "per-key order when Kinesis answers again, also after a restart. Empty: no spool.")
    private String spoolDir = "";

    @UriParam(
            label = "advanced",
            defaultValue = "" + SpoolSettings.DEFAULT_MAX_BYTES,
            description = "Bytes each "
                    + "stream's spool may hold on disk; a full spool keeps further records in memory (maxPendingBytes), "
                    + "which slows the sources.")
    private long spoolMaxBytes = SpoolSettings.DEFAULT_MAX_BYTES;

    @UriParam(
            label = "advanced",
            defaultValue = DEFAULT_SPOOL_FSYNC,
            enums = "always,interval,never",
            description =
                    "When spooled records are forced to the disk: always (before the source is acknowledged; one fsync per "
                            + "group of records), interval (at most spoolFsyncIntervalMs later), never (left to the operating system).")
    private String spoolFsync = DEFAULT_SPOOL_FSYNC;

    @UriParam(
            label = "advanced",
            defaultValue = "" + SpoolSettings.DEFAULT_FSYNC_INTERVAL_MS,
            description = "With "
                    + "spoolFsync=interval, the longest time in milliseconds between a spool write and its fsync.")
    private long spoolFsyncIntervalMs = SpoolSettings.DEFAULT_FSYNC_INTERVAL_MS;

    public KinesisPutDispatchConfiguration copy() {
        try {
            return (KinesisPutDispatchConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** How each stream's dispatcher batches, retries and paces; throws naming the option when a value is out of range. */
    public DispatchSettings dispatchSettings() {
        return new DispatchSettings(
                maxBatchRecords,
                maxBatchBytes,
                Duration.ofMillis(lingerMs),
                maxConcurrentRequests,
                new RetryPolicy(
                        retryMaxAttempts, Duration.ofMillis(retryBaseDelayMs), Duration.ofMillis(retryMaxDelayMs)),
                DispatchSettings.DEFAULT_CHAIN_KEYS,
                new FlowControl(
                        shardFlowControl,
                        shardRecordsPerSecond,
                        shardBytesPerSecond,
                        Duration.ofMillis(shardMapRefreshMs)),
                maxPendingBytes);
    }

    /** The spool's directory, when there is a spool. */
    public Optional<Path> spoolRoot() {
        return spoolDir == null || spoolDir.isBlank() ? Optional.empty() : Optional.of(Path.of(spoolDir));
    }

    /** Where and how a stream's spool keeps records, or empty without a spool. */
    public Optional<SpoolSettings> spoolSettings(String streamName) {
        return spoolRoot()
                .map(root -> SpoolSettings.of(
                        SpoolDirectories.of(root, streamName),
                        spoolMaxBytes,
                        FsyncPolicy.parse(spoolFsync),
                        Duration.ofMillis(spoolFsyncIntervalMs)));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(shutdownTimeoutMs);
    }

    public String getDeadLetterDir() {
        return deadLetterDir;
    }

    public void setDeadLetterDir(String deadLetterDir) {
        this.deadLetterDir = deadLetterDir;
    }

    public long getDeadLetterMaxFileBytes() {
        return deadLetterMaxFileBytes;
    }

    public void setDeadLetterMaxFileBytes(long deadLetterMaxFileBytes) {
        this.deadLetterMaxFileBytes = deadLetterMaxFileBytes;
    }

    public int getDeadLetterMaxFiles() {
        return deadLetterMaxFiles;
    }

    public void setDeadLetterMaxFiles(int deadLetterMaxFiles) {
        this.deadLetterMaxFiles = deadLetterMaxFiles;
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

    public long getMaxPendingBytes() {
        return maxPendingBytes;
    }

    public void setMaxPendingBytes(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
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
}
