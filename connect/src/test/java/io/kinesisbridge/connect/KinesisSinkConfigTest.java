package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.aws.AwsBackendSettings;
import io.kinesisbridge.backend.aws.CredentialsSource;
import io.kinesisbridge.dispatch.DispatchSettings;
import io.kinesisbridge.dispatch.Ordering;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class KinesisSinkConfigTest {

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static Map<String, List<String>> errorsOf(Map<String, String> props) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue v : new KinesisPutSinkConnector().validate(props).configValues()) {
            if (!v.errorMessages().isEmpty()) {
                errors.put(v.name(), v.errorMessages());
            }
        }
        return errors;
    }

    @Test
    void aStreamAlone_isAValidConfiguration_withTheDefaults() {
        KinesisSinkConfig c = new KinesisSinkConfig(props(KinesisSinkConfig.STREAM, "orders"));

        assertThat(c.streamFor("any-topic")).contains("orders");
        assertThat(c.ordering()).isEqualTo(Ordering.KEY);
        assertThat(c.partitionKey()).isInstanceOf(RecordKeySource.RecordKey.class);
        assertThat(c.explicitHashKey()).isEmpty();
        assertThat(c.nullValues()).isEqualTo(KinesisSinkConfig.NullValues.IGNORE);
        DispatchSettings d = c.dispatchSettings();
        assertThat(d.maxPendingBytes()).isEqualTo(DispatchSettings.DEFAULT_MAX_PENDING_BYTES);
        assertThat(d.retry().maxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(d.flowControl().enabled()).isTrue();
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "orders"))).isEmpty();
    }

    @Test
    void noStreamAtAll_isRefused_onTheStreamKey() {
        assertThatThrownBy(() -> new KinesisSinkConfig(props()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("target stream");
        assertThat(errorsOf(props())).containsOnlyKeys(KinesisSinkConfig.STREAM);
    }

    @Test
    void topicStreams_mapTopics_andTheStreamKeyTakesTheRest() {
        KinesisSinkConfig c = new KinesisSinkConfig(props(
                KinesisSinkConfig.TOPIC_STREAMS, "orders:orders-stream, clicks:c1", KinesisSinkConfig.STREAM, "rest"));

        assertThat(c.streamFor("orders")).contains("orders-stream");
        assertThat(c.streamFor("clicks")).contains("c1");
        assertThat(c.streamFor("other")).contains("rest");
        assertThat(new KinesisSinkConfig(props(KinesisSinkConfig.TOPIC_STREAMS, "orders:o")).streamFor("other"))
                .isEmpty();
    }

    @Test
    void badTopicStreamPairs_andBadStreamNames_areRefusedByTheirValidators() {
        assertThat(errorsOf(props(KinesisSinkConfig.TOPIC_STREAMS, "orders")))
                .containsKey(KinesisSinkConfig.TOPIC_STREAMS);
        assertThat(errorsOf(props(KinesisSinkConfig.TOPIC_STREAMS, "a:s1,a:s2")))
                .containsKey(KinesisSinkConfig.TOPIC_STREAMS);
        assertThat(errorsOf(props(KinesisSinkConfig.TOPIC_STREAMS, "a:bad stream")))
                .containsKey(KinesisSinkConfig.TOPIC_STREAMS);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "bad/name"))).containsKey(KinesisSinkConfig.STREAM);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "x".repeat(129)))).containsKey(KinesisSinkConfig.STREAM);
    }

    @Test
    void keySources_areCheckedByTheirValidators() {
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.PARTITION_KEY, "json:/user/id")))
                .isEmpty();
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.PARTITION_KEY, "header:user")))
                .isEmpty();
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.PARTITION_KEY, "json:user")))
                .containsKey(KinesisSinkConfig.PARTITION_KEY);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.PARTITION_KEY, "simple:${body}")))
                .containsKey(KinesisSinkConfig.PARTITION_KEY);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.EXPLICIT_HASH_KEY, "random")))
                .containsKey(KinesisSinkConfig.EXPLICIT_HASH_KEY);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.EXPLICIT_HASH_KEY, "header:h")))
                .isEmpty();
    }

    @Test
    void ordering_isOneOfNoneKeyChain_inAnyCase() {
        assertThat(new KinesisSinkConfig(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.ORDERING, "CHAIN"))
                        .ordering())
                .isEqualTo(Ordering.CHAIN);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.ORDERING, "strict")))
                .containsKey(KinesisSinkConfig.ORDERING);
    }

    @Test
    void staticCredentials_needBothKeys_andReachTheBackendSettings() {
        assertThat(errorsOf(props(
                        KinesisSinkConfig.STREAM,
                        "s",
                        KinesisSinkConfig.CREDENTIALS,
                        "static",
                        KinesisSinkConfig.ACCESS_KEY_ID,
                        "AKID")))
                .containsOnlyKeys(KinesisSinkConfig.SECRET_ACCESS_KEY);

        AwsBackendSettings aws = new KinesisSinkConfig(props(
                        KinesisSinkConfig.STREAM,
                        "s",
                        KinesisSinkConfig.CREDENTIALS,
                        "static",
                        KinesisSinkConfig.ACCESS_KEY_ID,
                        "AKID",
                        KinesisSinkConfig.SECRET_ACCESS_KEY,
                        "secret",
                        KinesisSinkConfig.REGION,
                        "eu-west-1",
                        KinesisSinkConfig.ENDPOINT_OVERRIDE,
                        "http://127.0.0.1:4567",
                        KinesisSinkConfig.CBOR,
                        "false"))
                .awsSettings();

        assertThat(aws.credentials())
                .isEqualTo(
                        new CredentialsSource.Static("AKID", new CredentialsSource.Secret("secret"), Optional.empty()));
        assertThat(aws.region()).contains("eu-west-1");
        assertThat(aws.endpointOverride()).contains(URI.create("http://127.0.0.1:4567"));
        assertThat(aws.cbor()).isFalse();
        assertThat(aws.assumeRole()).isEmpty();
    }

    @Test
    void profileAndWebIdentity_needTheirParts_andARoleIsAssumedOverTheOtherSources() {
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.CREDENTIALS, "profile")))
                .containsOnlyKeys(KinesisSinkConfig.PROFILE);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.CREDENTIALS, "web-identity")))
                .containsOnlyKeys(KinesisSinkConfig.WEB_IDENTITY_TOKEN_FILE, KinesisSinkConfig.ROLE_ARN);

        AwsBackendSettings aws = new KinesisSinkConfig(props(
                        KinesisSinkConfig.STREAM,
                        "s",
                        KinesisSinkConfig.CREDENTIALS,
                        "profile",
                        KinesisSinkConfig.PROFILE,
                        "ops",
                        KinesisSinkConfig.ROLE_ARN,
                        "arn:aws:iam::123456789012:role/put",
                        KinesisSinkConfig.ROLE_EXTERNAL_ID,
                        "ext"))
                .awsSettings();
        assertThat(aws.credentials()).isEqualTo(new CredentialsSource.Profile("ops"));
        assertThat(aws.assumeRole()).hasValueSatisfying(role -> {
            assertThat(role.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/put");
            assertThat(role.externalId()).contains("ext");
        });
    }

    @Test
    void anEndpointOverride_mustBeAnHttpUrl() {
        assertThat(errorsOf(
                        props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.ENDPOINT_OVERRIDE, "127.0.0.1:4567")))
                .containsKey(KinesisSinkConfig.ENDPOINT_OVERRIDE);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.ENDPOINT_OVERRIDE, "ftp://host/")))
                .containsKey(KinesisSinkConfig.ENDPOINT_OVERRIDE);
    }

    @Test
    void numericLimits_areRangeChecked() {
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.BATCH_MAX_RECORDS, "501")))
                .containsKey(KinesisSinkConfig.BATCH_MAX_RECORDS);
        assertThat(errorsOf(props(KinesisSinkConfig.STREAM, "s", KinesisSinkConfig.MAX_PENDING_BYTES, "10")))
                .containsKey(KinesisSinkConfig.MAX_PENDING_BYTES);
        assertThat(errorsOf(props(
                        KinesisSinkConfig.STREAM,
                        "s",
                        KinesisSinkConfig.RETRY_BASE_DELAY_MS,
                        "500",
                        KinesisSinkConfig.RETRY_MAX_DELAY_MS,
                        "100")))
                .containsKey(KinesisSinkConfig.RETRY_MAX_DELAY_MS);
    }

    @Test
    void theConnector_refusesToStart_whenATopicHasNoStream() {
        KinesisPutSinkConnector connector = new KinesisPutSinkConnector();
        assertThatThrownBy(() ->
                        connector.start(props("topics", "orders,clicks", KinesisSinkConfig.TOPIC_STREAMS, "orders:o")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[clicks]");

        connector.start(props("topics", "orders", KinesisSinkConfig.TOPIC_STREAMS, "orders:o"));
        assertThat(connector.taskConfigs(3))
                .hasSize(3)
                .allSatisfy(c -> assertThat(c).containsEntry("topics", "orders"));
    }
}
