package io.kinesisbridge.backend.aws;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Where the backend's AWS credentials come from. Secrets never appear in {@code toString()}. */
public sealed interface CredentialsSource {

    /** The SDK's default chain: environment, system properties, web identity, profile, container, instance. */
    record DefaultChain() implements CredentialsSource {}

    /** A named profile of ~/.aws/config and ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). */
    record Profile(String name) implements CredentialsSource {
        public Profile {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Fixed keys, with a session token for temporary credentials. */
    record Static(String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken)
            implements CredentialsSource {
        public Static {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            Objects.requireNonNull(sessionToken, "sessionToken");
        }
    }

    /** STS AssumeRoleWithWebIdentity with the token in a file (EKS IRSA, GitHub OIDC, …). */
    record WebIdentity(Path tokenFile, String roleArn, String sessionName) implements CredentialsSource {}

    /** A value that must not reach a log: shows as {@code ****}. */
    record Secret(String value) {
        public Secret {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "****";
        }
    }
}
