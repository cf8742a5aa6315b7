package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP source over TLS with a keytool-made certificate (bridge.http.tls.keystore): a client trusting the
 * certificate posts events and gets PutRecords answers; plain HTTP on the same port gets no answer; the bearer
 * token still applies.
 */
class HttpTlsTest {

    private static final String PASSWORD = "tls-test-password-1";
    private static final String TOKEN = "tls-test-token-2";

    @TempDir
    Path dir;

    private static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void https_withAKeytoolCertificate_takesEvents_andPlainHttpIsRefused() throws Exception {
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
                PASSWORD,
                "-keypass",
                PASSWORD);
        int port = FreePorts.tcp();
        try (RunningBridge bridge = RunningBridge.start(
                dir.resolve("bridge"),
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(port),
                        "bridge.http.token",
                        TOKEN,
                        "bridge.http.tls.keystore",
                        keyStore.toString(),
                        "bridge.http.tls.keystore-password",
                        PASSWORD))) {
            HttpClient https = Tls.clientTrusting(keyStore, PASSWORD);
            HttpResponse<String> ok = https.send(
                    post("https://127.0.0.1:" + port + "/clickstream", TOKEN, "{\"userId\":\"u1\",\"over\":\"tls\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(ok.body()).contains("\"FailedRecordCount\":0");
            assertThat(ok.sslSession())
                    .hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));
            assertThat(bridge.records("clickstream")).containsExactly("{\"userId\":\"u1\",\"over\":\"tls\"}");

            HttpResponse<String> noToken = https.send(
                    post("https://127.0.0.1:" + port + "/clickstream", "wrong", "{\"userId\":\"u2\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);

            HttpClient plain = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            assertThatThrownBy(() -> plain.send(
                            post("http://127.0.0.1:" + port + "/clickstream", TOKEN, "{\"userId\":\"u3\"}"),
                            HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            // a client that does not trust the certificate cannot talk to it either
            assertThatThrownBy(() -> HttpClient.newHttpClient()
                            .send(
                                    post("https://127.0.0.1:" + port + "/clickstream", TOKEN, "{\"userId\":\"u4\"}"),
                                    HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(bridge.records("clickstream")).hasSize(1);
        }
    }
}
