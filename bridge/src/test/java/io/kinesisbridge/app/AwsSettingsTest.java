package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.CredentialsSource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

    private static AwsBackendSettings aws(Map<String, String> flags) {
        return AwsSettings.of(BridgeSettings.load(Optional.empty(), Map.of(), flags));
    }

    @Test
    void defaults_areTheDefaultChain_cborOn_andTheRegionsEndpoint() {
        AwsBackendSettings s = aws(Map.of());
        assertThat(s.credentials()).isInstanceOf(CredentialsSource.DefaultChain.class);
        assertThat(s.cbor()).isTrue();
        assertThat(s.region()).isEmpty();
        assertThat(s.endpointOverride()).isEmpty();
        assertThat(s.assumeRole()).isEmpty();
        assertThat(s.maxConcurrency()).isEqualTo(50);
        assertThat(s.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyKey_reachesTheBackendSettings() {
        AwsBackendSettings s = aws(Map.ofEntries(
                Map.entry("bridge.aws.region", "eu-central-1"),
                Map.entry("bridge.aws.endpoint-override", "http://127.0.0.1:4567"),
                Map.entry("bridge.aws.cbor", "false"),
                Map.entry("bridge.aws.credentials", "static"),
                Map.entry("bridge.aws.access-key-id", "AKID1"),
                Map.entry("bridge.aws.secret-access-key", "s3cret"),
                Map.entry("bridge.aws.role-arn", "arn:aws:iam::123456789012:role/writer"),
                Map.entry("bridge.aws.external-id", "ext"),
                Map.entry("bridge.aws.role-session-name", "bridge-1"),
                Map.entry("bridge.aws.sts-endpoint-override", "https://sts.eu-central-1.amazonaws.com"),
                Map.entry("bridge.aws.http-protocol", "http2"),
                Map.entry("bridge.aws.max-concurrency", "12"),
                Map.entry("bridge.aws.connect-timeout-ms", "500"),
                Map.entry("bridge.aws.read-timeout-ms", "700"),
                Map.entry("bridge.aws.attempt-timeout-ms", "900"),
                Map.entry("bridge.aws.acquisition-timeout-ms", "1100")));
        assertThat(s.region()).contains("eu-central-1");
        assertThat(s.endpointOverride()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(s.cbor()).isFalse();
        assertThat(s.credentials())
                .isEqualTo(new CredentialsSource.Static(
                        "AKID1", new CredentialsSource.Secret("s3cret"), Optional.empty()));
        assertThat(s.assumeRole()).hasValueSatisfying(r -> {
            assertThat(r.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/writer");
            assertThat(r.externalId()).contains("ext");
            assertThat(r.sessionName()).isEqualTo("bridge-1");
        });
        assertThat(s.stsEndpointOverride()).contains(URI.create("https://sts.eu-central-1.amazonaws.com"));
        assertThat(s.httpProtocol()).isEqualTo(AwsBackendSettings.HttpProtocol.HTTP2);
        assertThat(s.maxConcurrency()).isEqualTo(12);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.readTimeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(s.attemptTimeout()).isEqualTo(Duration.ofMillis(900));
        assertThat(s.acquisitionTimeout()).isEqualTo(Duration.ofMillis(1100));
    }

    @Test
    void webIdentity_takesTheRoleItself() {
        AwsBackendSettings s = aws(Map.of(
                "bridge.aws.credentials",
                "web-identity",
                "bridge.aws.web-identity-token-file",
                "/var/run/token",
                "bridge.aws.role-arn",
                "arn:aws:iam::1:role/r"));
        assertThat(s.credentials()).isInstanceOf(CredentialsSource.WebIdentity.class);
        assertThat(s.assumeRole()).isEmpty();
    }

    @Test
    void missingOrStrayKeys_stopTheStart_namingTheKey() {
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.credentials", "static", "bridge.aws.access-key-id", "A")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("Setting bridge.aws.secret-access-key is required with bridge.aws.credentials=static");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.credentials", "profile")))
                .hasMessage("Setting bridge.aws.profile is required with bridge.aws.credentials=profile");
        assertThatThrownBy(() -> aws(
                        Map.of("bridge.aws.credentials", "web-identity", "bridge.aws.web-identity-token-file", "/t")))
                .hasMessage("Setting bridge.aws.role-arn is required with bridge.aws.credentials=web-identity");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.access-key-id", "A")))
                .hasMessage(
                        "Setting bridge.aws.access-key-id is used only with bridge.aws.credentials=static, but bridge.aws.credentials is default");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.external-id", "x")))
                .hasMessageStartingWith("Setting bridge.aws.external-id needs bridge.aws.role-arn");
    }

    @Test
    void malformedValues_areRefusedOnLoad() {
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.endpoint-override", "localhost:4567")))
                .hasMessageContaining("bridge.aws.endpoint-override")
                .hasMessageContaining("is not an http:// or https:// URL");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.role-arn", "writer")))
                .hasMessageContaining("is not a role ARN");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.credentials", "sso")))
                .hasMessageContaining("is not one of default, profile, static, web-identity");
        assertThatThrownBy(() -> aws(Map.of("bridge.aws.cbor", "yes"))).hasMessageContaining("is not true or false");
        assertThatThrownBy(() -> aws(Map.of("bridge.dispatch.max-pending-bytes", "12")))
                .hasMessageContaining("is not between 1024");
    }
}
