package io.kinesisbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.app.ManagementServer;
import io.kinesisbridge.app.RunningBridge;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a bridge with a bearer token (bridge.http.token) and re-sending left off: nothing without the token,
 * the token once (query or login form) for an HttpOnly SameSite=Strict session cookie, and re-sends refused.
 */
class WebConsoleTokenTest {

    private static final String TOKEN = "console-token-0123456789";

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static ConsoleClient anonymous;

    @BeforeAll
    static void start() throws Exception {
        bridge = RunningBridge.start(dir, Map.of("bridge.http.token", TOKEN));
        anonymous = new ConsoleClient(bridge.context()
                .getRegistry()
                .lookupByNameAndType("managementServer", ManagementServer.class)
                .port());
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static String sessionCookie(HttpResponse<?> login) {
        String setCookie =
                login.headers().firstValue("Set-Cookie").orElseThrow(() -> new AssertionError("no Set-Cookie"));
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void withoutTheToken_thePageIsALoginForm_andTheApisAndEventsAre401() throws Exception {
        HttpResponse<String> page = anonymous.get("/console/");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body())
                .contains("<form method=\"post\" action=\"/console/login\"")
                .doesNotContain("console.js");
        assertThat(anonymous.get("/console/console.js").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/console/api/overview").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/console/api/records?stream=clickstream").statusCode())
                .isEqualTo(401);
        assertThat(anonymous.get("/console/api/events").statusCode()).isEqualTo(401);
        assertThat(anonymous
                        .with("Authorization", "Bearer wrong")
                        .get("/console/api/overview")
                        .statusCode())
                .isEqualTo(401);
        assertThat(anonymous
                        .with("Cookie", ConsoleAccess.COOKIE + "=made-up")
                        .get("/console/api/overview")
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> wrong = anonymous.get("/console/?token=wrong");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        // the probes need no token
        assertThat(anonymous.get("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void theBearerHeader_opensTheApis() throws Exception {
        ConsoleClient withBearer = anonymous.with("Authorization", "Bearer " + TOKEN);
        assertThat(withBearer
                        .getJson("/console/api/config")
                        .path("tokenRequired")
                        .asBoolean())
                .isTrue();
        assertThat(withBearer.get("/console/").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenInTheQuery_givesAnHttpOnlyStrictCookie_andRedirectsItAway() throws Exception {
        HttpResponse<String> login = anonymous.get("/console/?token=" + TOKEN);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/console/");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie)
                .containsIgnoringCase("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Path=/console")
                .doesNotContain(TOKEN);

        ConsoleClient browser = anonymous.with("Cookie", sessionCookie(login));
        assertThat(browser.get("/console/").statusCode()).isEqualTo(200);
        assertThat(browser.getJson("/console/api/overview").path("streams")).isNotEmpty();
        assertThat(browser.awaitOverview(o -> o.path("streams").size() > 0).path("streams"))
                .isNotEmpty();
    }

    @Test
    void theLoginForm_givesTheCookie_forTheRightTokenOnly() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> wrong = client.send(
                anonymous
                        .request("/console/login")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=nope"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("id=\"login-failed\"");
        HttpResponse<String> right = client.send(
                anonymous
                        .request("/console/login")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(303);
        HttpResponse<Stream<String>> events =
                anonymous.with("Cookie", sessionCookie(right)).events();
        try {
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        } finally {
            events.body().close();
        }
    }

    @Test
    void aReSent_isRefused_whenResendingIsNotAllowed_evenWithTheToken() throws Exception {
        ConsoleClient withBearer = anonymous.with("Authorization", "Bearer " + TOKEN);
        assertThat(withBearer.getJson("/console/api/config").path("allowResend").asBoolean())
                .isFalse();
        HttpResponse<String> resent = withBearer.postJson(
                "/console/api/dead-letters/resend", Map.of("stream", "clickstream", "partitionKey", "k", "data", "{}"));
        assertThat(resent.statusCode()).isEqualTo(403);
        assertThat(resent.body()).contains("bridge.console.allow-resend");
        assertThat(bridge.kinesis().readAll("clickstream")).isEmpty();
    }
}
