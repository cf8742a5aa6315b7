package io.kinesisbridge.backend.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** What the aws backend checks before it takes records: that a region is known and the credentials resolve. */
final class AwsSetupCheck {

    private AwsSetupCheck() {}

    static void regionKnown(AwsBackendSettings settings) {
        if (settings.region().isPresent()) {
            return;
        }
        try {
            new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new AwsSetupException(
                    "no AWS region: set bridge.aws.region (e.g. --bridge.aws.region=eu-west-1), or the "
                            + "environment variable AWS_REGION, or a region in the AWS profile (~/.aws/config)");
        }
    }

    static void credentialsResolve(AwsBackendSettings settings, AwsCredentials credentials) {
        try {
            credentials.provider().resolveCredentials();
        } catch (SdkException e) {
            throw new AwsSetupException(
                    settings.credentials() instanceof CredentialsSource.DefaultChain
                                    && settings.assumeRole().isEmpty()
                            ? problem(settings)
                            : problem(settings) + " (" + AwsErrors.shortMessage(e) + ")");
        }
    }

    private static String problem(AwsBackendSettings settings) {
        String role =
                settings.assumeRole().map(r -> " to assume role " + r.roleArn()).orElse("");
        CredentialsSource source = settings.credentials();
        if (source instanceof CredentialsSource.Profile p) {
            return "no AWS credentials" + role + " from profile " + p.name()
                    + " (bridge.aws.profile; ~/.aws/credentials and ~/.aws/config)";
        }
        if (source instanceof CredentialsSource.WebIdentity w) {
            return "no AWS credentials from the web identity token " + w.tokenFile() + " for role " + w.roleArn()
                    + " (bridge.aws.web-identity-token-file, bridge.aws.role-arn)";
        }
        if (source instanceof CredentialsSource.Static) {
            return "the static AWS credentials (bridge.aws.access-key-id, …secret-access-key) cannot be used" + role;
        }
        return "no AWS credentials" + role + ": bridge.aws.credentials=default looks in AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY, the aws.accessKeyId system property, a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE), "
                + "the profile AWS_PROFILE or default in ~/.aws, the container and the instance role; provide one, or set "
                + "bridge.aws.credentials to static, profile or web-identity";
    }
}
