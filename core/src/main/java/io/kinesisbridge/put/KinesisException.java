package io.kinesisbridge.put;

import java.util.Optional;

/**
 * A Kinesis error raised for one stream and, where known, one partition key. The subclass tells the caller what
 * to do: {@link RetryableKinesisException} may succeed when sent again; {@link NonRetryableKinesisException} will
 * not, and the record belongs in the dead-letter output.
 */
public abstract sealed class KinesisException extends RuntimeException
        permits RetryableKinesisException, NonRetryableKinesisException {

    private final KinesisError error;
    private final String streamName;
    private final String partitionKey;

    protected KinesisException(KinesisError error, String streamName, String partitionKey, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
        this.streamName = streamName;
        this.partitionKey = partitionKey;
    }

    /** The subclass that matches the error's retryability. */
    public static KinesisException of(KinesisError error, String streamName, String partitionKey) {
        return of(error, streamName, partitionKey, null);
    }

    public static KinesisException of(KinesisError error, String streamName, String partitionKey, Throwable cause) {
        return error.retryable()
                ? new RetryableKinesisException(error, streamName, partitionKey, cause)
                : new NonRetryableKinesisException(error, streamName, partitionKey, cause);
    }

    public KinesisError error() {
        return error;
    }

    public String errorCode() {
        return error.code();
    }

    public Optional<String> streamName() {
        return Optional.ofNullable(streamName);
    }

    public Optional<String> partitionKey() {
        return Optional.ofNullable(partitionKey);
    }

    public boolean retryable() {
        return this instanceof RetryableKinesisException;
    }

    /** The error and the stream; not the partition key, which often names a person (logs show this text). */
    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder(getClass().getSimpleName()).append(": ").append(error);
        if (streamName != null) {
            s.append(" [stream=").append(streamName).append(']');
        }
        return s.toString();
    }
}
