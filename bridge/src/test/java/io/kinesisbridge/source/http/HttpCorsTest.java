package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.RawConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP source's CORS over raw sockets, the way browsers talk to it: preflights answered before the token check,
 * answers that the page may read, origins not allowed refused before their body, and what stays as it was when CORS
 * is off (the default).
 */
class HttpCorsTest {

    private static final String PAGE = "http://127.0.0.1:5500";
    private static final String SHOP = "https://shop.example";
    private static final String TOKEN = "cors-token-7";
    private static final String AUTH = "Authorization: Bearer " + TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.tcp();
        bridge = RunningBridge.start(
                dir.resolve("list"),
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(port),
                        "bridge.http.token",
                        TOKEN,
                        "bridge.http.cors.allowed-origins",
                        PAGE + ", https://SHOP.example:443",
                        "bridge.http.cors.max-age-seconds",
                        "900"));
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static HttpListener listener(RunningBridge b) {
        return b.context().getRegistry().lookupByNameAndType("httpListener", HttpListener.class);
    }

    static String preflight(String origin, String method, String headers, String... more) {
        StringBuilder r = new StringBuilder("OPTIONS /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + origin
                + "\r\nAccess-Control-Request-Method: " + method + "\r\n");
        if (headers != null) {
            r.append("Access-Control-Request-Headers: ").append(headers).append("\r\n");
        }
        for (String line : more) {
            r.append(line).append("\r\n");
        }
        return r.append("\r\n").toString();
    }

    static RawConnection.Answer exchange(int toPort, String request) {
        try (RawConnection c = RawConnection.open(toPort)) {
            c.send(request);
            return c.read(WAIT);
        }
    }

    @Test
    void preflight_fromAnAllowedOrigin_is204_withTheAllowedMethodHeadersAndMaxAge_andNoTokenIsAsked() {
        long unauthorized = listener(bridge).refusals(RequestIntake.Refusal.UNAUTHORIZED);
        RawConnection.Answer a = exchange(port, preflight(PAGE, "POST", "authorization,content-type"));
        assertThat(a.status()).isEqualTo(204);
        assertThat(a.headers())
                .containsEntry("access-control-allow-origin", PAGE)
                .containsEntry("access-control-allow-methods", "POST")
                .containsEntry("access-control-allow-headers", "Content-Type, Content-Encoding, Authorization")
                .containsEntry("access-control-max-age", "900")
                .doesNotContainKey("access-control-allow-credentials")
                .doesNotContainKey("access-control-allow-private-network");
        assertThat(a.headers().get("vary")).contains("Origin");
        assertThat(a.body()).isEmpty();
        assertThat(listener(bridge).refusals(RequestIntake.Refusal.UNAUTHORIZED))
                .as("a preflight is not a 401")
                .isEqualTo(unauthorized);
    }

    @Test
    void preflight_matchesTheOriginAsBrowsersWriteIt_andEchoesIt() {
        RawConnection.Answer a = exchange(port, preflight(SHOP, "POST", "content-type"));
        assertThat(a.status()).isEqualTo(204);
        assertThat(a.headers()).containsEntry("access-control-allow-origin", SHOP);
    }

    @Test
    void preflight_fromAnotherOrigin_is403_withoutCorsHeaders() {
        RawConnection.Answer a = exchange(port, preflight("http://127.0.0.1:5501", "POST", "content-type"));
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-methods");
        assertThat(a.body()).contains("\"ErrorCode\":\"OriginNotAllowed\"", "bridge.http.cors.allowed-origins");
    }

    @Test
    void preflight_askingForAnotherMethodOrHeader_is403_namingIt() {
        RawConnection.Answer put = exchange(port, preflight(PAGE, "PUT", null));
        assertThat(put.status()).isEqualTo(403);
        assertThat(put.body()).contains("MethodNotAllowed", "PUT");
        assertThat(put.headers()).doesNotContainKey("access-control-allow-origin");
        RawConnection.Answer header = exchange(port, preflight(PAGE, "POST", "content-type, x-api-key"));
        assertThat(header.status()).isEqualTo(403);
        assertThat(header.body()).contains("HeaderNotAllowed", "x-api-key");
    }

    @Test
    void preflight_askingForPrivateNetworkAccess_isGrantedToAnAllowedOrigin() {
        RawConnection.Answer a =
                exchange(port, preflight(PAGE, "POST", "content-type", "Access-Control-Request-Private-Network: true"));
        assertThat(a.status()).isEqualTo(204);
        assertThat(a.headers()).containsEntry("access-control-allow-private-network", "true");
    }

    @Test
    void post_fromAnAllowedOrigin_isAnsweredWithAllowOrigin_andExposesRetryAfter() {
        RawConnection.Answer a = exchange(
                port, RawConnection.post("/clickstream", "{\"userId\":\"cors-allowed\"}", AUTH, "Origin: " + PAGE));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers())
                .containsEntry("access-control-allow-origin", PAGE)
                .containsEntry("vary", "Origin");
        assertThat(a.headers().get("access-control-expose-headers")).contains("Retry-After");
        assertThat(a.body()).contains("\"FailedRecordCount\":0");
        assertThat(bridge.records("clickstream")).contains("{\"userId\":\"cors-allowed\"}");
    }

    @Test
    void post_fromAnAllowedOrigin_withoutTheToken_is401_thatThePageCanRead() {
        RawConnection.Answer a =
                exchange(port, RawConnection.post("/clickstream", "{\"userId\":\"cors-no-token\"}", "Origin: " + PAGE));
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.headers()).containsEntry("access-control-allow-origin", PAGE);
        assertThat(bridge.records("clickstream")).doesNotContain("{\"userId\":\"cors-no-token\"}");
    }

    @Test
    void post_fromAnotherOrigin_is403_beforeItsBody_evenAsASimpleTextRequest() {
        long refusedBefore = listener(bridge).corsRefusals();
        try (RawConnection c = RawConnection.open(port)) {
            // a beacon-like simple request (text/plain: no preflight), headers only: the answer must not wait for the
            // body
            c.send("POST /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                    + "Content-Length: 4000000\r\nOrigin: https://evil.example\r\n" + AUTH + "\r\n\r\n");
            RawConnection.Answer a = c.read(WAIT);
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.headers()).doesNotContainKey("access-control-allow-origin");
            assertThat(a.body()).contains("OriginNotAllowed");
        }
        assertThat(listener(bridge).bodyBytesInFlight()).isZero();
        assertThat(listener(bridge).corsRefusals()).isEqualTo(refusedBefore + 1);

        RawConnection.Answer whole = exchange(
                port,
                RawConnection.post("/clickstream", "{\"userId\":\"cors-evil\"}", AUTH, "Origin: https://evil.example"));
        assertThat(whole.status()).isEqualTo(403);
        assertThat(bridge.records("clickstream")).doesNotContain("{\"userId\":\"cors-evil\"}");
    }

    @Test
    void post_withoutOrigin_isServedAsBefore_withoutCorsHeaders() {
        RawConnection.Answer a = exchange(port, RawConnection.post("/clickstream", "{\"userId\":\"cors-curl\"}", AUTH));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers()).doesNotContainKeys("access-control-allow-origin", "vary");
    }

    @Test
    void otherMethods_get405_withAllowPost_andAPlainOptionsIsNotAPreflight() {
        RawConnection.Answer get = exchange(port, "GET /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("allow", "POST");
        RawConnection.Answer options =
                exchange(port, "OPTIONS /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + PAGE + "\r\n\r\n");
        assertThat(options.status()).isEqualTo(405);
        assertThat(options.headers()).containsEntry("allow", "POST");
    }

    @Test
    void star_allowsEveryPage_answersStar_andStillNamesAuthorization(@TempDir Path starDir) throws Exception {
        int starPort = FreePorts.tcp();
        try (RunningBridge star = RunningBridge.start(
                starDir,
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(starPort),
                        "bridge.http.token",
                        TOKEN,
                        "bridge.http.cors.allowed-origins",
                        "*"))) {
            RawConnection.Answer pre =
                    exchange(starPort, preflight("https://any.example", "POST", "authorization, content-type"));
            assertThat(pre.status()).isEqualTo(204);
            // a wildcard Allow-Headers would not cover Authorization: it is named
            assertThat(pre.headers())
                    .containsEntry("access-control-allow-origin", "*")
                    .containsEntry("access-control-allow-headers", "Content-Type, Content-Encoding, Authorization")
                    .containsEntry("access-control-max-age", "600");
            RawConnection.Answer post = exchange(
                    starPort, RawConnection.post("/clickstream", "{\"userId\":\"cors-star\"}", AUTH, "Origin: null"));
            assertThat(post.status()).isEqualTo(200);
            assertThat(post.headers()).containsEntry("access-control-allow-origin", "*");
            assertThat(star.records("clickstream")).contains("{\"userId\":\"cors-star\"}");
        }
    }

    @Test
    void corsOff_byDefault_leavesEveryAnswerAsItWas(@TempDir Path offDir) throws Exception {
        int offPort = FreePorts.tcp();
        try (RunningBridge off = RunningBridge.start(
                offDir, Map.of("bridge.http.enabled", "true", "bridge.http.port", String.valueOf(offPort)))) {
            RawConnection.Answer pre = exchange(offPort, preflight(PAGE, "POST", "content-type"));
            assertThat(pre.status()).isEqualTo(405);
            assertThat(pre.headers()).containsEntry("allow", "POST").doesNotContainKey("access-control-allow-origin");
            RawConnection.Answer beacon = exchange(
                    offPort,
                    "POST /clickstream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 23\r\nOrigin: https://any.example\r\n\r\n"
                            + "{\"userId\":\"cors-off-1\"}");
            assertThat(beacon.status()).isEqualTo(200);
            assertThat(beacon.headers()).doesNotContainKey("access-control-allow-origin");
            assertThat(off.records("clickstream")).contains("{\"userId\":\"cors-off-1\"}");
        }
    }
}
