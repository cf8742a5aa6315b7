package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.EndpointReader;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HeadlessChromium;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The clickstream example page (examples/clickstream/web) in headless Chromium (Debian's chromium and
 * chromium-driver; nothing downloaded), served by examples/clickstream/ServePage.java on a port of its own, so that
 * it is another origin than the bridge (the jar, its CORS allowing the page's origin). Its fetch (JSON, preflighted)
 * and sendBeacon (text/plain) events arrive in the stream with their keys; its fetch to the Kinesis endpoint with
 * SigV4-like headers passes the preflight and reads x-amzn-RequestId; the same page from an origin not allowed gets
 * nothing in. A screenshot goes to target/browser-clickstream.png.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserClickstreamIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient METRICS_CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BridgeProcess bridge;
    private Process pageServer;
    private ChromeDriver browser;
    private int httpPort;
    private int endpointPort;
    private int pagePort;
    private EndpointReader reader;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        HeadlessChromium.require();
        httpPort = FreePorts.tcp();
        pagePort = FreePorts.tcp();
        bridge = BridgeProcess.start(
                dir,
                "browser",
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(httpPort),
                        "bridge.http.cors.allowed-origins",
                        "http://127.0.0.1:" + pagePort));
        endpointPort = Integer.parseInt(bridge.setting("bridge.endpoint.port"));
        reader = new EndpointReader(endpointPort);
        pageServer = startPageServer(pagePort);
        bridge.awaitReady(Duration.ofSeconds(60));
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), 1100, 900);
    }

    private static Process startPageServer(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "examples/clickstream/ServePage.java", String.valueOf(port))
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        await("the page server").atMost(WAIT).until(firstLine::isDone);
        assertThat(firstLine.join()).as("ServePage's first line").startsWith("Serving ");
        return p;
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (pageServer != null) {
            pageServer.destroy();
            pageServer.waitFor(10, TimeUnit.SECONDS);
        }
        if (bridge != null) {
            bridge.stop();
        }
    }

    private String pageUrl(String host, String user) {
        return "http://" + host + ":" + pagePort + "/?bridge=http://127.0.0.1:" + httpPort
                + "/clickstream&endpoint=http://127.0.0.1:" + endpointPort + "&stream=clickstream&user=" + user;
    }

    private List<WebElement> logged(String kind) {
        return browser.findElements(By.cssSelector("#log li[data-kind='" + kind + "']"));
    }

    private List<EndpointReader.Read> recordsOf(String user) {
        return reader.readAll("clickstream").stream()
                .filter(r -> r.partitionKey().equals(user))
                .toList();
    }

    @Test
    void fetchAndBeaconEvents_fromThePageOnAnotherOrigin_arriveInTheStream_withTheirKeys() throws Exception {
        String user = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        browser.get(pageUrl("127.0.0.1", user));
        browser.findElement(By.id("send-fetch")).click();
        browser.findElement(By.id("send-beacon")).click();
        browser.findElement(By.id("send-fetch")).click();
        browser.findElement(By.id("send-beacon")).click();
        browser.findElement(By.id("put-record")).click();

        await("the page's answers")
                .atMost(WAIT)
                .until(() -> logged("fetch").size() == 2 && logged("endpoint").size() == 1);
        assertThat(logged("fetch"))
                .allSatisfy(li -> assertThat(li.getAttribute("data-outcome"))
                        .as(li.getText())
                        .isEqualTo("ok"));
        assertThat(logged("beacon"))
                .hasSize(2)
                .allSatisfy(li -> assertThat(li.getAttribute("data-outcome")).isEqualTo("queued"));
        WebElement endpoint = logged("endpoint").get(0);
        assertThat(endpoint.getAttribute("data-outcome")).as(endpoint.getText()).isEqualTo("ok");
        // x-amzn-RequestId is not a safelisted header: the page reads it only because the endpoint exposes it
        assertThat(endpoint.getText()).contains("SequenceNumber").doesNotContain("request null");

        await("five records keyed " + user)
                .atMost(WAIT)
                .until(() -> recordsOf(user).size() == 5);
        List<JsonNode> events = recordsOf(user).stream()
                .map(r -> {
                    try {
                        return KinesisHttp.JSON.readTree(r.data());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(events).allSatisfy(e -> assertThat(e.path("userId").asText()).isEqualTo(user));
        assertThat(events.stream()
                        .map(e -> e.path("seq").asInt() + ":" + e.path("type").asText()
                                + (e.has("target") ? ":" + e.path("target").asText() : ""))
                        .sorted()
                        .toList())
                .containsExactly(
                        "1:click:send-fetch", "2:page_view", "3:click:send-fetch", "4:page_view", "5:click:put-record");

        Path shot = Path.of("target", "browser-clickstream.png");
        Files.createDirectories(shot.getParent());
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();
    }

    @Test
    void theSamePage_fromAnOriginNotAllowed_getsNothingIn() {
        String user = "stranger-" + UUID.randomUUID().toString().substring(0, 8);
        // localhost and 127.0.0.1 are two origins: only the second is allowed
        browser.get(pageUrl("localhost", user));
        browser.findElement(By.id("send-fetch")).click();
        browser.findElement(By.id("send-beacon")).click();
        await("the page's fetch to fail")
                .atMost(WAIT)
                .until(() -> logged("fetch").size() == 1);
        assertThat(logged("fetch").get(0).getAttribute("data-outcome")).isEqualTo("failed");
        // the fetch's preflight and the beacon (a simple request: no preflight) are both refused 403
        await("the preflight and the beacon refused")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> originRefusals() >= 2);
        assertThat(recordsOf(user)).isEmpty();
    }

    /** kinesis_bridge_http_requests_refused_total{reason="origin"}, read on one kept-alive connection. */
    private double originRefusals() throws IOException, InterruptedException {
        String metrics = METRICS_CLIENT
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.setting("bridge.management.port")
                                        + "/observe/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l ->
                        l.startsWith("kinesis_bridge_http_requests_refused_total") && l.contains("reason=\"origin\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
