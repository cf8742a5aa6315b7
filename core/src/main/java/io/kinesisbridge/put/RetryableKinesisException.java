package io.kinesisbridge.put;

/** Throttling, an internal failure or a network error: the same record may succeed when sent again. */
public final class RetryableKinesisException extends KinesisException {
    RetryableKinesisException(KinesisError error, String streamName, String partitionKey, Throwable cause) {
        super(error, streamName, partitionKey, cause);
    }
}
