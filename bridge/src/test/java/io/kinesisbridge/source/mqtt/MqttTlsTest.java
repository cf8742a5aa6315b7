package io.kinesisbridge.source.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HiveMqBroker;
import io.kinesisbridge.testing.MqttPublisher;
import io.kinesisbridge.testing.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT route over TLS (ssl://) to embedded HiveMQ, trusting the broker's self-signed certificate from a trust store. */
@Tag("slow")
class MqttTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    @Test
    void sslBroker_withTrustStore_messagesArrive() throws Exception {
        Path keyStore = dir.resolve("broker.jks");
        Path cert = dir.resolve("broker.crt");
        Path trustStore = dir.resolve("trust.p12");
        Tls.keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-storetype",
                "JKS",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        Tls.keytool(
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                cert.toString());
        Tls.keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                PASSWORD);
        int tlsPort = FreePorts.tcp();
        try (HiveMqBroker broker = HiveMqBroker.startWithTls(dir, FreePorts.tcp(), tlsPort, keyStore, PASSWORD);
                RunningBridge bridge = RunningBridge.start(
                        dir.resolve("bridge"),
                        Map.of(
                                "bridge.mqtt.enabled",
                                "true",
                                "bridge.mqtt.broker-url",
                                "ssl://127.0.0.1:" + tlsPort,
                                "bridge.mqtt.tls.truststore",
                                trustStore.toString(),
                                "bridge.mqtt.tls.truststore-password",
                                PASSWORD));
                MqttPublisher pub = MqttPublisher.v5(broker.url())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                pub.publish("telemetry/secure-1/t", "{\"over\":\"tls\"}", 1);
                return bridge.records("telemetry").contains("{\"over\":\"tls\"}");
            });
            assertThat(bridge.streamRecords("telemetry").get(0).partitionKey()).isEqualTo("secure-1");
        }
    }
}
