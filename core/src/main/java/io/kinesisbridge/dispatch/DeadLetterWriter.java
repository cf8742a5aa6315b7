package io.kinesisbridge.dispatch;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterSink;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stream's dead letters and tells when it cannot. The log says when letters stop being written and when
 * they are written again, never what a record holds (it may be personal data). Thread-safe; called outside the
 * dispatcher's lock, since a sink may block.
 */
final class DeadLetterWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StreamDispatcher.class);

    private final String streamName;
    private final DeadLetterSink sink;
    private final DispatchStats stats;
    /** The last dead letter could not be written: logged once, until one is written again. */
    private final AtomicBoolean failing = new AtomicBoolean();

    DeadLetterWriter(String streamName, DeadLetterSink sink, DispatchStats stats) {
        this.streamName = streamName;
        this.sink = sink;
        this.stats = stats;
    }

    /** Writes a dead letter; returns why it could not be written, if it could not. */
    Optional<String> write(PutRequest request, KinesisError error, int attempts) {
        try {
            sink.accept(new DeadLetter(Instant.now(), streamName, request, error, attempts));
        } catch (RuntimeException e) {
            stats.deadLetterWriteFailures.increment();
            String problem = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            if (!failing.getAndSet(true)) {
                LOG.error(
                        "Stream {}: a dead letter could not be written ({}); until one can, records that would be "
                                + "dead-lettered go back to their sources (HTTP 503, MQTT not acknowledged, file tailing paused) "
                                + "or, when read back from the spool, stay there",
                        streamName,
                        problem);
            }
            return Optional.of(problem);
        }
        if (failing.getAndSet(false)) {
            LOG.info(
                    "Stream {}: dead letters are written again ({} writes had failed so far)",
                    streamName,
                    stats.deadLetterWriteFailures());
        }
        return Optional.empty();
    }

    /** The answer for a record given up on whose dead letter could not be written: not taken, try again later. */
    KinesisError notWritten(KinesisError reason) {
        return new KinesisError(
                KinesisError.BRIDGE_SATURATED,
                "Stream " + streamName + ": the record failed (" + reason.code()
                        + ") and its dead letter could not be written; the record was not taken, try again later.");
    }
}
