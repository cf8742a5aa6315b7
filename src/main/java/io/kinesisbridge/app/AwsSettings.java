package io.kinesisbridge.app;

import io.kinesisbridge.backend.aws.AssumeRole;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.CredentialsSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The {@code bridge.aws.*} settings as the aws backend's settings, with the checks that span several keys. */
final class AwsSettings {

    private AwsSettings() {
    }

    static AwsBackendSettings of(BridgeSettings s) {
        String credentials = s.text("bridge.aws.credentials").trim().toLowerCase(java.util.Locale.ROOT);
        String roleArn = s.text("bridge.aws.role-arn").trim();
        String sessionName = s.text("bridge.aws.role-session-name").trim();
        CredentialsSource source = switch (credentials) {
            case "profile" -> new CredentialsSource.Profile(required(s, "bridge.aws.profile", "credentials=profile"));
            case "static" -> new CredentialsSource.Static(required(s, "bridge.aws.access-key-id", "credentials=static"),
                    new CredentialsSource.Secret(required(s, "bridge.aws.secret-access-key", "credentials=static")),
                    optional(s, "bridge.aws.session-token").map(CredentialsSource.Secret::new));
            case "web-identity" -> new CredentialsSource.WebIdentity(
                    Path.of(required(s, "bridge.aws.web-identity-token-file", "credentials=web-identity")),
                    required(s, "bridge.aws.role-arn", "credentials=web-identity"), sessionName);
            default -> new CredentialsSource.DefaultChain();
        };
        refuseUnused(s, credentials, "static", "bridge.aws.access-key-id", "bridge.aws.secret-access-key", "bridge.aws.session-token");
        refuseUnused(s, credentials, "profile", "bridge.aws.profile");
        refuseUnused(s, credentials, "web-identity", "bridge.aws.web-identity-token-file");
        if (roleArn.isEmpty() && optional(s, "bridge.aws.external-id").isPresent()) {
            throw new InvalidSettingException("Setting bridge.aws.external-id needs bridge.aws.role-arn: the external id "
                    + "is sent when assuming that role");
        }
        Optional<AssumeRole> assume = roleArn.isEmpty() || credentials.equals("web-identity") ? Optional.empty()
                : Optional.of(new AssumeRole(roleArn, optional(s, "bridge.aws.external-id"), sessionName));
        AwsBackendSettings.HttpProtocol protocol = switch (s.text("bridge.aws.http-protocol").trim().toLowerCase(java.util.Locale.ROOT)) {
            case "http1.1" -> AwsBackendSettings.HttpProtocol.HTTP1_1;
            case "http2" -> AwsBackendSettings.HttpProtocol.HTTP2;
            default -> AwsBackendSettings.HttpProtocol.AUTO;
        };
        return new AwsBackendSettings(optional(s, "bridge.aws.region"), optional(s, "bridge.aws.endpoint-override").map(URI::create),
                s.bool("bridge.aws.cbor"), source, assume, protocol, s.integer("bridge.aws.max-concurrency"),
                millis(s, "bridge.aws.connect-timeout-ms"), millis(s, "bridge.aws.read-timeout-ms"),
                millis(s, "bridge.aws.attempt-timeout-ms"), millis(s, "bridge.aws.acquisition-timeout-ms"),
                optional(s, "bridge.aws.sts-endpoint-override").map(URI::create));
    }

    private static void refuseUnused(BridgeSettings s, String credentials, String needs, String... keys) {
        if (credentials.equals(needs)) {
            return;
        }
        for (String key : keys) {
            if (optional(s, key).isPresent()) {
                throw new InvalidSettingException("Setting " + key + " is used only with bridge.aws.credentials=" + needs
                        + ", but bridge.aws.credentials is " + credentials);
            }
        }
    }

    private static String required(BridgeSettings s, String key, String why) {
        return optional(s, key).orElseThrow(() -> new InvalidSettingException("Setting " + key + " is required with bridge.aws." + why));
    }

    private static Optional<String> optional(BridgeSettings s, String key) {
        String v = s.text(key).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Duration millis(BridgeSettings s, String key) {
        return Duration.ofMillis(s.longValue(key));
    }
}
