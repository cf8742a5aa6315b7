package io.kinesisbridge.backend.aws;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place where what the AWS SDK throws becomes a {@link KinesisException}, retryable or not:
 * <ul>
 *   <li>a service error keeps AWS's error code and message. Throttling (ProvisionedThroughputExceeded,
 *       LimitExceeded, KMSThrottling, any error the SDK classes as throttling), InternalFailure and every other 5xx
 *       are retryable; a 5xx or throttling error with a code the bridge does not know is reported as
 *       InternalFailure, ServiceUnavailable or ThrottlingException with the original code in the message.
 *       ResourceNotFound, InvalidArgument, Validation, AccessDenied, the KMS access errors (KMSAccessDenied,
 *       KMSDisabled, KMSInvalidState, KMSNotFound, KMSOptInRequired), expired or unknown credentials and anything
 *       else are not retryable;</li>
 *   <li>no answer at all (connection refused or reset, a timeout of the attempt or the call, a closed channel) is
 *       the retryable ServiceUnreachable;</li>
 *   <li>another client-side failure (no credentials found, say) is not retryable and named by its class.</li>
 * </ul>
 */
final class AwsErrors {

    private AwsErrors() {}

    static KinesisException toKinesisException(Throwable thrown, String streamName, String partitionKey) {
        Throwable t = unwrap(thrown);
        if (t instanceof KinesisException k) {
            return k;
        }
        return KinesisException.of(toKinesisError(t), streamName, partitionKey, t);
    }

    static KinesisError toKinesisError(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof KinesisException k) {
            return k.error();
        }
        if (t instanceof AwsServiceException service) {
            return serviceError(service);
        }
        if (t instanceof ApiCallAttemptTimeoutException || t instanceof ApiCallTimeoutException) {
            return new KinesisError(KinesisError.SERVICE_UNREACHABLE, "No answer in time: " + t.getMessage());
        }
        if (t instanceof SdkClientException client) {
            if (isNetworkFailure(client)) {
                return new KinesisError(
                        KinesisError.SERVICE_UNREACHABLE, "Kinesis could not be reached: " + describe(client));
            }
            return new KinesisError(client.getClass().getSimpleName(), describe(client));
        }
        if (t instanceof SdkException sdk) {
            return new KinesisError(
                    sdk.retryable()
                            ? KinesisError.SERVICE_UNREACHABLE
                            : sdk.getClass().getSimpleName(),
                    describe(sdk));
        }
        if (isNetworkFailure(t)) {
            return new KinesisError(KinesisError.SERVICE_UNREACHABLE, "Kinesis could not be reached: " + t);
        }
        return new KinesisError(KinesisError.INTERNAL_FAILURE, String.valueOf(t));
    }

    private static KinesisError serviceError(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
        int status = e.statusCode();
        if (code == null || code.isBlank()) {
            code = "HTTP" + status;
        }
        KinesisError asIs = new KinesisError(code, message);
        if (asIs.retryable()) {
            return asIs;
        }
        if (e.isThrottlingException() || status == 429) {
            return new KinesisError("ThrottlingException", code + ": " + message);
        }
        if (status == 503) {
            return new KinesisError(KinesisError.SERVICE_UNAVAILABLE, code + ": " + message);
        }
        if (status >= 500) {
            return new KinesisError(KinesisError.INTERNAL_FAILURE, code + ": " + message);
        }
        return asIs;
    }

    private static boolean isNetworkFailure(Throwable t) {
        if (t instanceof SdkClientException client && client.retryable()) {
            return true;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException
                    || c instanceof TimeoutException
                    || c.getClass().getName().startsWith("io.netty.channel.")
                    || c.getClass().getName().startsWith("io.netty.handler.timeout.")) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t
                ? shortMessage(t)
                : shortMessage(t) + " (" + root.getClass().getSimpleName() + ": " + shortMessage(root) + ")";
    }

    /**
     * The first sentence-sized part of an SDK message: the credential chain's explains each provider it tried in one
     * message of over a thousand characters, which would otherwise land in every dead letter.
     */
    static String shortMessage(Throwable t) {
        String message = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip();
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        for (String detail : new String[] {" AwsCredentialsProviderChain(", ": ["}) {
            int at = message.indexOf(detail);
            if (at > 0) {
                message = message.substring(0, at);
            }
        }
        return message.length() > 240 ? message.substring(0, 240) + "…" : message;
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
