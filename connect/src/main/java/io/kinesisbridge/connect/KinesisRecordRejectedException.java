package io.kinesisbridge.connect;

import io.kinesisbridge.put.KinesisError;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Why a record went to Connect's errant-record reporter: AWS's error type and message (or the connector's own code,
 * such as MissingPartitionKey). With {@code errors.deadletterqueue.context.headers.enable=true} the dead-letter
 * queue's record carries them in its {@code __connect.errors.exception.*} headers.
 */
public final class KinesisRecordRejectedException extends ConnectException {

    private final String errorCode;
    private final String errorMessage;
    private final int attempts;

    public KinesisRecordRejectedException(KinesisError error, int attempts) {
        super(error.code() + ": " + error.message() + (attempts > 1 ? " (after " + attempts + " sends)" : ""));
        this.errorCode = error.code();
        this.errorMessage = error.message();
        this.attempts = attempts;
    }

    /** AWS's error type ({@code __type}), such as ValidationException, or the connector's own code. */
    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** Sends to Kinesis before the record was given up; 0 when it was rejected before any. */
    public int attempts() {
        return attempts;
    }
}
