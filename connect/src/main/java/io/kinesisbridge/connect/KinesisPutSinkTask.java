package io.kinesisbridge.connect;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.aws.AwsSetupException;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a task's records into Kinesis, at least once: a record counts as done only once Kinesis acknowledged it or
 * it is safe in the dead-letter output, and {@link #preCommit} offers Connect only offsets up to the first record
 * of each partition that is not done. Per-key order is the dispatcher's (ordering key or chain: one record of a key
 * in flight, retries included); a record waits in the task, in order, while the stream's pending budget is full,
 * and the task pauses its partitions until the budget has room again.
 */
public final class KinesisPutSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisPutSinkTask.class);
    /** How soon Connect calls {@link #put} again while records wait for room. */
    private static final long WAITING_POLL_MS = 50;

    private KinesisSinkConfig config;
    private Ordering ordering;
    private DispatchSettings dispatchSettings;
    private Function<KinesisSinkConfig, KinesisBackend> backends = c -> AwsKinesisBackend.create(c.awsSettings());
    private KinesisBackend backend;
    private ScheduledExecutorService scheduler;
    private ExecutorService completions;
    private ConnectDeadLetters deadLetters;
    private final Map<String, StreamDispatcher> dispatchers = new HashMap<>();
    private final OffsetLedger ledger = new OffsetLedger();
    /** Records given to the task and not yet taken by their dispatcher, in the order Connect gave them. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private boolean paused;
    /** A record that could be neither sent nor dead-lettered: the task fails with it. */
    private final AtomicReference<ConnectException> failure = new AtomicReference<>();

    private record Waiting(SinkRecord record, OffsetLedger.Entry entry) {}

    public KinesisPutSinkTask() {}

    /** A task whose backend is built by {@code backends} instead of the AWS client (tests). */
    KinesisPutSinkTask(Function<KinesisSinkConfig, KinesisBackend> backends) {
        this.backends = backends;
    }

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        try {
            config = new KinesisSinkConfig(props);
        } catch (ConfigException e) {
            throw new ConnectException("invalid configuration: " + e.getMessage(), e);
        }
        ordering = config.ordering();
        dispatchSettings = config.dispatchSettings();
        try {
            backend = backends.apply(config);
        } catch (AwsSetupException e) {
            throw new ConnectException("cannot reach Kinesis: " + e.getMessage(), e);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("kinesis-put-timers"));
        completions = Executors.newSingleThreadExecutor(daemon("kinesis-put-completions"));
        Optional<DeadLetterSink> files = config.deadLetterDir()
                .map(dir -> new FileDeadLetterSink(
                        dir, FileDeadLetterSink.DEFAULT_MAX_FILE_BYTES, FileDeadLetterSink.DEFAULT_MAX_FILES));
        deadLetters = new ConnectDeadLetters(errantRecordReporter(), files);
    }

    private Optional<ErrantRecordReporter> errantRecordReporter() {
        try {
            return Optional.ofNullable(context.errantRecordReporter());
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return Optional.empty(); // a worker older than Kafka 2.6
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        throwIfFailed();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            waiting.addLast(new Waiting(record, ledger.add(tp, record.originalKafkaOffset())));
        }
        while (!waiting.isEmpty() && offer(waiting.peekFirst())) {
            waiting.pollFirst();
        }
        if (!waiting.isEmpty()) {
            // the budget is full: take no more records until the waiting ones are taken (partitions assigned since
            // the last pause are paused too)
            context.pause(context.assignment().toArray(TopicPartition[]::new));
            if (!paused) {
                paused = true;
                LOG.debug(
                        "Paused {} partitions: {} records wait for room",
                        context.assignment().size(),
                        waiting.size());
            }
            context.timeout(WAITING_POLL_MS);
        } else if (paused) {
            context.resume(context.assignment().toArray(TopicPartition[]::new));
            paused = false;
        }
    }

    /** Hands a record to its dispatcher; false when the stream's pending budget has no room for it now. */
    private boolean offer(Waiting w) {
        SinkRecord record = w.record();
        if (record.value() == null && config.nullValues() == KinesisSinkConfig.NullValues.IGNORE) {
            w.entry().settle();
            return true;
        }
        String stream = config.streamFor(record.topic())
                .orElseThrow(() -> new ConnectException("no stream for topic " + record.topic() + ": map it in "
                        + KinesisSinkConfig.TOPIC_STREAMS + " or set " + KinesisSinkConfig.STREAM));
        StreamDispatcher dispatcher = dispatcher(stream);
        byte[] data;
        Optional<KinesisError> rejection = Optional.empty();
        String partitionKey = null;
        String hashKey = null;
        if (record.value() == null) {
            data = new byte[0];
            rejection = Optional.of(
                    new KinesisError(KinesisError.UNSUPPORTED_BODY, "the record's value is null (a tombstone)"));
        } else {
            try {
                data = RecordValues.data(record.value());
            } catch (IllegalArgumentException e) {
                data = new byte[0];
                rejection = Optional.of(new KinesisError(KinesisError.UNSUPPORTED_BODY, e.getMessage()));
            }
        }
        if (rejection.isEmpty()) {
            try {
                Optional<String> key = config.partitionKey().extract(record, data);
                if (key.isEmpty()) {
                    rejection = Optional.of(new KinesisError(
                            KinesisError.MISSING_PARTITION_KEY,
                            "No partition key: " + config.partitionKey().describe() + " is missing or empty."));
                }
                partitionKey = key.orElse(null);
                if (config.explicitHashKey().isPresent() && rejection.isEmpty()) {
                    Optional<String> hash = config.explicitHashKey().get().extract(record, data);
                    if (hash.isEmpty()) {
                        rejection = Optional.of(new KinesisError(
                                KinesisError.MISSING_EXPLICIT_HASH_KEY,
                                "No explicit " + "hash key: "
                                        + config.explicitHashKey().get().describe() + " is missing or empty."));
                    }
                    hashKey = hash.orElse(null);
                }
            } catch (IllegalArgumentException e) {
                rejection = Optional.of(
                        new KinesisError(KinesisError.MISSING_PARTITION_KEY, "No partition key: " + e.getMessage()));
            }
        }
        if (deadLetters.knows(data)) {
            data = data.clone(); // two records sharing one array: each letter must find its own record
        }
        PutRequest request = new PutRequest(stream, partitionKey, data, hashKey, null);
        deadLetters.remember(data, record);
        CompletableFuture<RecordResult> result;
        if (rejection.isPresent()) {
            result = dispatcher.reject(request, rejection.get());
        } else {
            long refusedBefore = dispatcher.stats().recordsRefused();
            result = dispatcher.submit(request, ordering, Duration.ZERO);
            if (dispatcher.stats().recordsRefused() != refusedBefore) {
                // not taken (this thread is the dispatcher's only submitter): it waits in the task
                deadLetters.forget(data);
                return false;
            }
        }
        byte[] letterKey = data;
        result.whenComplete((r, error) -> settled(w, letterKey, r, error));
        return true;
    }

    private void settled(Waiting w, byte[] data, RecordResult result, Throwable error) {
        deadLetters.forget(data);
        if (result instanceof RecordResult.Accepted) {
            w.entry().settle();
        } else if (result instanceof RecordResult.Failed failed
                && !KinesisError.BRIDGE_SATURATED.equals(failed.error().code())) {
            w.entry().settle(); // safe in the dead-letter output
        } else {
            SinkRecord r = w.record();
            String why = error != null ? String.valueOf(error) : String.valueOf(result);
            String problem = deadLetters.lastProblem();
            if (problem != null) {
                why = why + " (" + problem + ")";
            }
            failure.compareAndSet(
                    null,
                    new ConnectException("the record of " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
                            + " could be neither put nor dead-lettered: " + why));
        }
    }

    private StreamDispatcher dispatcher(String stream) {
        StreamDispatcher d = dispatchers.get(stream);
        if (d == null) {
            d = new StreamDispatcher(stream, backend, dispatchSettings, deadLetters, scheduler, completions);
            dispatchers.put(stream, d);
            try {
                // the stream's record size limit and shards; an error here is logged and asked again later
                d.start().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn(
                        "Stream {}: its description is not read yet ({}); records are checked against 1 MiB meanwhile",
                        stream,
                        e.toString());
            }
        }
        return d;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        throwIfFailed();
        return ledger.committable(currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit says what is safe; nothing to flush
    }

    /**
     * The partitions go to another task (or this one stops): records of theirs still waiting for room are dropped
     * (never sent, they are read again by the next owner from the committed offset); records in flight are waited
     * for up to {@link KinesisSinkConfig#CLOSE_TIMEOUT_MS}, so that the next owner's records of a key do not
     * overtake them.
     */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (config == null) {
            return;
        }
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            SinkRecord r = w.record();
            if (partitions.contains(new TopicPartition(r.originalTopic(), r.originalKafkaPartition()))) {
                it.remove();
                // never sent: Connect committed these partitions before closing them, and forgets them now
                w.entry().settle();
            }
        }
        try {
            ledger.settledIn(partitions).get(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "Closing {}: records still in flight after {} ms are handed back to Kafka; the next owner sends them "
                            + "again",
                    partitions,
                    config.closeTimeout().toMillis());
        }
        ledger.forget(partitions);
    }

    @Override
    public void stop() {
        if (deadLetters != null) {
            deadLetters.stopping();
        }
        for (StreamDispatcher d : dispatchers.values()) {
            try {
                d.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Stream {}: closing its dispatcher failed: {}", d.streamName(), e.toString());
            }
        }
        dispatchers.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (completions != null) {
            completions.shutdown();
        }
        if (backend != null) {
            backend.close();
        }
        if (deadLetters != null) {
            if (deadLetters.handedBack() > 0) {
                LOG.info("{} records not acknowledged at stop were handed back to Kafka", deadLetters.handedBack());
            }
            deadLetters.close();
        }
    }

    private void throwIfFailed() {
        ConnectException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
