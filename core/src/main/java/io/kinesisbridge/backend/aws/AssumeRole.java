package io.kinesisbridge.backend.aws;

import java.util.Optional;

/**
 * STS AssumeRole on top of the configured credentials: the backend acts as {@code roleArn}, refreshing the
 * session before it expires.
 *
 * @param externalId the external id the role's trust policy asks for, if any
 */
public record AssumeRole(String roleArn, Optional<String> externalId, String sessionName) {}
