package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Tls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the bridge (its own JVM, the shipped routes) that uses every secret it knows: static AWS credentials
 * with a session token against a Kinesis that cannot be reached, the HTTP bearer token over TLS with a key store
 * password, an MQTT user name and password against a broker that is not there. Its whole output (Camel's start-up
 * summaries included), its dead-letter and spool files, its metrics and health answers and its HTTP answers hold
 * none of the secrets.
 */
@Tag("slow")
class SecretsStayOutOfLogsTest {

    private static final String AWS_SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY0001";
    private static final String AWS_SESSION_TOKEN = "FwoGZXIvYXdzEBYaDSESSIONTOKEN0002xyz";
    private static final String HTTP_TOKEN = "http-bearer-token-0003";
    private static final String MQTT_PASSWORD = "mqtt-password-0004";
    private static final String KEYSTORE_PASSWORD = "keystore-password-0005";
    private static final List<String> SECRETS =
            List.of(AWS_SECRET, AWS_SESSION_TOKEN, HTTP_TOKEN, MQTT_PASSWORD, KEYSTORE_PASSWORD);

    @TempDir
    Path dir;

    @Test
    void aRunUsingEverySecret_logsAndAnswersNoneOfThem() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        Tls.keytool(
                "-genkeypair",
                "-alias",
                "bridge",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                KEYSTORE_PASSWORD,
                "-keypass",
                KEYSTORE_PASSWORD);
        int httpPort = FreePorts.tcp();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bridge.backend", "aws");
        settings.put("bridge.aws.region", "us-east-1");
        settings.put("bridge.aws.endpoint-override", "http://127.0.0.1:" + FreePorts.tcp()); // nobody listens
        settings.put("bridge.aws.credentials", "static");
        settings.put("bridge.aws.access-key-id", "AKIDSECRETSTEST");
        settings.put("bridge.aws.secret-access-key", AWS_SECRET);
        settings.put("bridge.aws.session-token", AWS_SESSION_TOKEN);
        settings.put("bridge.aws.connect-timeout-ms", "200");
        settings.put("bridge.retry.max-attempts", "2");
        settings.put("bridge.retry.base-delay-ms", "10");
        settings.put("bridge.retry.max-delay-ms", "50");
        settings.put("bridge.http.enabled", "true");
        settings.put("bridge.http.port", String.valueOf(httpPort));
        settings.put("bridge.http.token", HTTP_TOKEN);
        settings.put("bridge.http.tls.keystore", keyStore.toString());
        settings.put("bridge.http.tls.keystore-password", KEYSTORE_PASSWORD);
        settings.put("bridge.mqtt.enabled", "true");
        settings.put("bridge.mqtt.broker-url", "tcp://127.0.0.1:" + FreePorts.tcp());
        settings.put("bridge.mqtt.username", "bridge-user");
        settings.put("bridge.mqtt.password", MQTT_PASSWORD);
        settings.put("bridge.shutdown-timeout-ms", "2000");
        List<String> answers = new ArrayList<>();
        // Camel's own start-up lines too (its placeholder summary names every setting), as a user who asks for them
        // sees
        BridgeProcess bridge = BridgeProcess.start(
                dir, "secrets", settings, List.of("-Xmx384m", "-Dkinesis.bridge.camel.log-level=INFO"));
        try {
            bridge.awaitUp(Duration.ofSeconds(60));
            HttpClient https = Tls.clientTrusting(keyStore, KEYSTORE_PASSWORD);
            URI uri = URI.create("https://127.0.0.1:" + httpPort + "/clickstream");
            HttpResponse<String> spooled = await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(
                            () -> https.send(
                                    post(uri, HTTP_TOKEN, "{\"userId\":\"u1\",\"n\":1}"),
                                    HttpResponse.BodyHandlers.ofString()),
                            r -> r.statusCode() == 200);
            answers.add(spooled.body());
            assertThat(spooled.body())
                    .as("Kinesis cannot be reached: the event is spooled")
                    .contains("\"Spooled\":true");
            HttpResponse<String> refused = https.send(
                    post(uri, HTTP_TOKEN + "-wrong", "{\"userId\":\"u2\"}"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            answers.add(refused.body());
            answers.add(bridge.metricsText());
            answers.add(bridge.get("/observe/health").body());
        } finally {
            bridge.stop();
        }
        String output = bridge.output();
        assertThat(output).as("the run used the AWS backend").contains("backend aws");
        assertThat(output)
                .as("Camel's start-up summary was logged, and is scanned")
                .contains("Property-placeholders summary")
                .contains("bridge.mqtt.password = xxxxxx");
        for (String secret : SECRETS) {
            assertThat(output).as("output holds %s", secret).doesNotContain(secret);
            for (String answer : answers) {
                assertThat(answer).as("an answer holds %s", secret).doesNotContain(secret);
            }
        }
        try (Stream<Path> files = Files.walk(bridge.home())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : SECRETS) {
                    assertThat(content).as("%s holds %s", f, secret).doesNotContain(secret);
                }
            }
        }
    }

    private static HttpRequest post(URI uri, String token, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
