package io.kinesisbridge.put;

import java.util.Objects;
import java.util.Set;

/**
 * An error as Kinesis reports it: AWS's error code ({@code __type}) and message. The bridge adds a few codes of
 * its own for failures that happen before a request reaches Kinesis; they are listed here too.
 */
public record KinesisError(String code, String message) {

    public static final String VALIDATION = "ValidationException";
    public static final String INVALID_ARGUMENT = "InvalidArgumentException";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String RESOURCE_IN_USE = "ResourceInUseException";
    public static final String SERIALIZATION = "SerializationException";
    public static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
    public static final String INTERNAL_FAILURE = "InternalFailure";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    public static final String KMS_THROTTLING = "KMSThrottlingException";
    public static final String EXPIRED_ITERATOR = "ExpiredIteratorException";
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";

    /** Bridge: no partition key could be extracted from the record. */
    public static final String MISSING_PARTITION_KEY = "MissingPartitionKey";
    /** Bridge: no explicit hash key could be extracted though one was configured. */
    public static final String MISSING_EXPLICIT_HASH_KEY = "MissingExplicitHashKey";
    /** Bridge: the record's body could not be turned into bytes. */
    public static final String UNSUPPORTED_BODY = "UnsupportedBody";
    /** Bridge: the service could not be reached (connection refused, timeout, reset). */
    public static final String SERVICE_UNREACHABLE = "ServiceUnreachable";
    /** Bridge: too many records in flight and the endpoint is set to refuse rather than wait. */
    public static final String BRIDGE_SATURATED = "BridgeSaturated";
    /** Bridge: the bridge stopped before the record was acknowledged. */
    public static final String SHUTDOWN = "BridgeShutdown";

    private static final Set<String> RETRYABLE = Set.of(
            THROUGHPUT_EXCEEDED,
            INTERNAL_FAILURE,
            SERVICE_UNAVAILABLE,
            LIMIT_EXCEEDED,
            KMS_THROTTLING,
            SERVICE_UNREACHABLE,
            BRIDGE_SATURATED,
            "ThrottlingException",
            "RequestLimitExceeded",
            "RequestTimeout",
            "RequestTimeoutException",
            "InternalServerError",
            "InternalError");

    public KinesisError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Whether sending the same record again may succeed: throttling, internal failures, network errors. */
    public boolean retryable() {
        return RETRYABLE.contains(code);
    }

    /** The HTTP status Kinesis answers with for this error. */
    public int httpStatus() {
        return switch (code) {
            case INTERNAL_FAILURE, "InternalServerError", "InternalError" -> 500;
            case SERVICE_UNAVAILABLE, SERVICE_UNREACHABLE, BRIDGE_SATURATED -> 503;
            default -> 400;
        };
    }

    public static KinesisError resourceNotFound(String streamName, String accountId) {
        return new KinesisError(
                RESOURCE_NOT_FOUND, "Stream " + streamName + " under account " + accountId + " not found.");
    }

    public static KinesisError throughputExceeded(String shardId, String streamName, String accountId) {
        return new KinesisError(
                THROUGHPUT_EXCEEDED,
                "Rate exceeded for shard " + shardId + " in stream " + streamName + " under account " + accountId
                        + ".");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
