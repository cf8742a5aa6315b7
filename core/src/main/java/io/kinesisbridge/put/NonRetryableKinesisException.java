package io.kinesisbridge.put;

/** Validation, a missing stream, a bad argument: sending the same record again fails the same way. */
public final class NonRetryableKinesisException extends KinesisException {
    NonRetryableKinesisException(KinesisError error, String streamName, String partitionKey, Throwable cause) {
        super(error, streamName, partitionKey, cause);
    }
}
