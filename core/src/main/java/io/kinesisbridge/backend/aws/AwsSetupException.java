package io.kinesisbridge.backend.aws;

/**
 * The aws backend cannot work as set up (no region, no credentials, a role that cannot be assumed): found at start, and
 * said in one line that names the settings to change, instead of as a stack trace or a dead letter per record.
 */
public final class AwsSetupException extends RuntimeException {

    AwsSetupException(String message) {
        super(message);
    }
}
