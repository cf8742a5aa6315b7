package io.kinesisbridge.app;

import io.kinesisbridge.backend.aws.AssumeRole;
import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.CredentialsSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code bridge.aws.*} settings as the aws backend's settings, with the checks that span several keys. */
final class AwsSettings {

    static final List<Setting> SETTINGS = List.of(
            Setting.text(
                    "bridge.aws.region",
                    "",
                    "AWS region of the streams (backend aws); empty for the SDK's region chain (AWS_REGION, profile, instance metadata)."),
            Setting.custom(
                    "bridge.aws.endpoint-override",
                    "",
                    "Another Kinesis endpoint than the region's: a VPC endpoint, kinesalite, the bridge's own (`http://127.0.0.1:4567`).",
                    SettingChecks::url),
            Setting.bool(
                    "bridge.aws.cbor",
                    "true",
                    "CBOR on the wire, the SDK's default for Kinesis; `false` speaks JSON (kinesalite needs it). Applies to this backend's client only."),
            Setting.oneOf(
                    "bridge.aws.credentials",
                    "default",
                    List.of("default", "profile", "static", "web-identity"),
                    "Where credentials come from: `default` (the SDK's chain: environment, system properties, web identity, profile, container, instance), `profile` (bridge.aws.profile), `static` (bridge.aws.access-key-id and secret-access-key) or `web-identity` (bridge.aws.web-identity-token-file and role-arn)."),
            Setting.text(
                    "bridge.aws.profile",
                    "",
                    "Profile name for credentials=profile (from ~/.aws/config and ~/.aws/credentials)."),
            Setting.text("bridge.aws.access-key-id", "", "Access key id for credentials=static."),
            Setting.text(
                    "bridge.aws.secret-access-key",
                    "",
                    "Secret access key for credentials=static; never logged (prefer the environment variable BRIDGE_AWS_SECRET_ACCESS_KEY to a file)."),
            Setting.text(
                    "bridge.aws.session-token", "", "Session token for temporary static credentials; never logged."),
            Setting.custom(
                    "bridge.aws.role-arn",
                    "",
                    "Role to act as: assumed with STS on top of the credentials above, or the web identity's role.",
                    SettingChecks::roleArn),
            Setting.text(
                    "bridge.aws.external-id", "", "External id the role's trust policy asks for (needs role-arn)."),
            Setting.custom(
                    "bridge.aws.role-session-name",
                    "kinesis-bridge",
                    "Session name of the assumed role.",
                    SettingChecks::roleSessionName),
            Setting.text(
                    "bridge.aws.web-identity-token-file",
                    "",
                    "Token file for credentials=web-identity (EKS: AWS_WEB_IDENTITY_TOKEN_FILE)."),
            Setting.custom(
                    "bridge.aws.sts-endpoint-override",
                    "",
                    "Another STS endpoint than the region's, for role-arn and web identity.",
                    SettingChecks::url),
            Setting.oneOf(
                    "bridge.aws.http-protocol",
                    "auto",
                    List.of("auto", "http1.1", "http2"),
                    "HTTP version to Kinesis: `auto` is HTTP/1.1 for an http:// endpoint override and the SDK's HTTP/2 otherwise."),
            Setting.integer(
                    "bridge.aws.max-concurrency",
                    "50",
                    1,
                    10_000,
                    "Connections (HTTP/1.1) or streams (HTTP/2) to Kinesis at once."),
            Setting.integer("bridge.aws.connect-timeout-ms", "2000", 1, 600_000, "Connection set-up timeout."),
            Setting.integer(
                    "bridge.aws.read-timeout-ms",
                    "30000",
                    1,
                    600_000,
                    "Longest silence while reading an answer or writing a request."),
            Setting.integer(
                    "bridge.aws.attempt-timeout-ms",
                    "10000",
                    1,
                    600_000,
                    "Longest time for one request; past it the records are retried (ServiceUnreachable)."),
            Setting.integer(
                    "bridge.aws.acquisition-timeout-ms",
                    "10000",
                    1,
                    600_000,
                    "How long a request waits for a free connection."));

    private AwsSettings() {}

    static AwsBackendSettings of(BridgeSettings s) {
        String credentials = s.text("bridge.aws.credentials").trim().toLowerCase(Locale.ROOT);
        String roleArn = s.text("bridge.aws.role-arn").trim();
        String sessionName = s.text("bridge.aws.role-session-name").trim();
        CredentialsSource source = switch (credentials) {
            case "profile" -> new CredentialsSource.Profile(required(s, "bridge.aws.profile", "credentials=profile"));
            case "static" ->
                new CredentialsSource.Static(
                        required(s, "bridge.aws.access-key-id", "credentials=static"),
                        new CredentialsSource.Secret(required(s, "bridge.aws.secret-access-key", "credentials=static")),
                        optional(s, "bridge.aws.session-token").map(CredentialsSource.Secret::new));
            case "web-identity" ->
                new CredentialsSource.WebIdentity(
                        Path.of(required(s, "bridge.aws.web-identity-token-file", "credentials=web-identity")),
                        required(s, "bridge.aws.role-arn", "credentials=web-identity"),
                        sessionName);
            default -> new CredentialsSource.DefaultChain();
        };
        refuseUnused(
                s,
                credentials,
                "static",
                "bridge.aws.access-key-id",
                "bridge.aws.secret-access-key",
                "bridge.aws.session-token");
        refuseUnused(s, credentials, "profile", "bridge.aws.profile");
        refuseUnused(s, credentials, "web-identity", "bridge.aws.web-identity-token-file");
        if (roleArn.isEmpty() && optional(s, "bridge.aws.external-id").isPresent()) {
            throw new InvalidSettingException(
                    "Setting bridge.aws.external-id needs bridge.aws.role-arn: the external id "
                            + "is sent when assuming that role");
        }
        Optional<AssumeRole> assume = roleArn.isEmpty() || credentials.equals("web-identity")
                ? Optional.empty()
                : Optional.of(new AssumeRole(roleArn, optional(s, "bridge.aws.external-id"), sessionName));
        AwsBackendSettings.HttpProtocol protocol =
                switch (s.text("bridge.aws.http-protocol").trim().toLowerCase(Locale.ROOT)) {
                    case "http1.1" -> AwsBackendSettings.HttpProtocol.HTTP1_1;
                    case "http2" -> AwsBackendSettings.HttpProtocol.HTTP2;
                    default -> AwsBackendSettings.HttpProtocol.AUTO;
                };
        return new AwsBackendSettings(
                optional(s, "bridge.aws.region"),
                optional(s, "bridge.aws.endpoint-override").map(URI::create),
                s.bool("bridge.aws.cbor"),
                source,
                assume,
                protocol,
                s.integer("bridge.aws.max-concurrency"),
                millis(s, "bridge.aws.connect-timeout-ms"),
                millis(s, "bridge.aws.read-timeout-ms"),
                millis(s, "bridge.aws.attempt-timeout-ms"),
                millis(s, "bridge.aws.acquisition-timeout-ms"),
                optional(s, "bridge.aws.sts-endpoint-override").map(URI::create));
    }

    private static void refuseUnused(BridgeSettings s, String credentials, String needs, String... keys) {
        if (credentials.equals(needs)) {
            return;
        }
        for (String key : keys) {
            if (optional(s, key).isPresent()) {
                throw new InvalidSettingException("Setting " + key + " is used only with bridge.aws.credentials="
                        + needs + ", but bridge.aws.credentials is " + credentials);
            }
        }
    }

    private static String required(BridgeSettings s, String key, String why) {
        return optional(s, key)
                .orElseThrow(
                        () -> new InvalidSettingException("Setting " + key + " is required with bridge.aws." + why));
    }

    private static Optional<String> optional(BridgeSettings s, String key) {
        String v = s.text(key).trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Duration millis(BridgeSettings s, String key) {
        return Duration.ofMillis(s.longValue(key));
    }
}
