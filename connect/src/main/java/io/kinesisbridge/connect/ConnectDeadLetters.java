package io.kinesisbridge.connect;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.KinesisError;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatchers' dead-letter output inside Connect. A letter goes to Connect's errant-record reporter when the
 * connector has one (the dead-letter queue topic, with the AWS error as the reported exception), else to the core's
 * file output when {@link KinesisSinkConfig#DEAD_LETTER_DIR} is set. {@link #accept} returns only once the letter is
 * written (the reporter's write acknowledged); it throws when the letter cannot be written, and the dispatcher then
 * hands the record back instead of counting it dead-lettered.
 *
 * <p>The reporter needs the Kafka record: letters find theirs by the identity of the data array, which the core
 * passes through unchanged from submission to dead letter.
 */
final class ConnectDeadLetters implements DeadLetterSink {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectDeadLetters.class);
    private static final long REPORT_TIMEOUT_SECONDS = 60;

    private final Optional<ErrantRecordReporter> reporter;
    private final Optional<DeadLetterSink> files;
    private final Map<byte[], SinkRecord> records = new IdentityHashMap<>();
    private final AtomicLong handedBack = new AtomicLong();
    private volatile boolean stopping;
    private volatile String lastProblem;

    ConnectDeadLetters(Optional<ErrantRecordReporter> reporter, Optional<DeadLetterSink> files) {
        this.reporter = reporter;
        this.files = files;
    }

    /** The record whose data this is, until {@link #forget}; a shared array is the caller's to copy first. */
    synchronized void remember(byte[] data, SinkRecord record) {
        records.put(data, record);
    }

    synchronized boolean knows(byte[] data) {
        return records.containsKey(data);
    }

    synchronized void forget(byte[] data) {
        records.remove(data);
    }

    /**
     * From now on records given up because the task stops are not written: their offsets are never committed, so
     * Kafka hands them to the next task, which sends them again.
     */
    void stopping() {
        stopping = true;
    }

    long handedBack() {
        return handedBack.get();
    }

    /** Why the last letter could not be written, for the task's failure; null while letters are written. */
    String lastProblem() {
        return lastProblem;
    }

    @Override
    public void accept(DeadLetter letter) {
        try {
            write(letter);
            lastProblem = null;
        } catch (RuntimeException e) {
            lastProblem = e.getMessage();
            throw e;
        }
    }

    private void write(DeadLetter letter) {
        if (stopping && KinesisError.SHUTDOWN.equals(letter.error().code())) {
            handedBack.incrementAndGet();
            return;
        }
        SinkRecord record;
        synchronized (this) {
            record = records.get(letter.request().data());
        }
        if (reporter.isPresent() && record != null) {
            report(reporter.get(), record, letter);
            return;
        }
        if (files.isPresent()) {
            files.get().accept(letter);
            return;
        }
        throw new IllegalStateException("no dead-letter output: set errors.deadletterqueue.topic.name (with "
                + "errors.tolerance=all) or " + KinesisSinkConfig.DEAD_LETTER_DIR
                + "; the record was not dead-lettered ("
                + letter.error().code() + ")");
    }

    private static void report(ErrantRecordReporter reporter, SinkRecord record, DeadLetter letter) {
        KinesisRecordRejectedException reason = new KinesisRecordRejectedException(letter.error(), letter.attempts());
        try {
            reporter.report(record, reason).get(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the errant-record reporter wrote a record", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "the errant-record reporter could not write the record of " + record.topic() + "-"
                            + record.kafkaPartition() + "@" + record.kafkaOffset() + ": " + e,
                    e);
        }
        LOG.debug(
                "Reported the record of {}-{}@{} as errant: {}",
                record.topic(),
                record.kafkaPartition(),
                record.kafkaOffset(),
                letter.error().code());
    }

    @Override
    public void close() {
        files.ifPresent(DeadLetterSink::close);
    }
}
