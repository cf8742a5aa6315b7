package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.EndpointReader;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * The web console (docs/console.md) in headless Chromium (Debian's chromium and chromium-driver; nothing downloaded)
 * against the bridge in its own JVM, with a token and re-sending on: the token given once in the address, events
 * posted to the HTTP source show up in the live counters and as a decoded record, and a dead letter fixed and re-sent
 * in the page lands in the stream. Screenshots go to target/console-*.png.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserConsoleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "browser-console-token";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BridgeProcess bridge;
    private ChromeDriver browser;
    private int httpPort;
    private int managementPort;

    @BeforeAll
    void start(@TempDir Path dir) {
        HeadlessChromium.require();
        httpPort = FreePorts.tcp();
        bridge = BridgeProcess.start(
                dir,
                "console",
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(httpPort),
                        "bridge.http.token",
                        TOKEN,
                        "bridge.console.allow-resend",
                        "true"));
        managementPort = Integer.parseInt(bridge.setting("bridge.management.port"));
        bridge.awaitReady(Duration.ofSeconds(60));
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), 1280, 1600);
        browser.get("http://127.0.0.1:" + managementPort + "/console/?token=" + TOKEN);
        await("the console's event stream")
                .atMost(WAIT)
                .until(() -> "live".equals(browser.findElement(By.id("status")).getAttribute("data-state")));
        // the token went into a cookie and out of the address bar
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (bridge != null) {
            bridge.stop();
        }
    }

    private void postEvents(String ndjson) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(ndjson))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** A stream's counter as the page shows it, read in the page in one step: the counters are drawn again every second. */
    private long counter(String stream, String name) {
        Object text = browser.executeScript(
                "const b = document.querySelector(arguments[0]); return b ? b.textContent : null;",
                "section.stream[data-stream='" + stream + "'] [data-counter='" + name + "'] b");
        return text == null ? -1 : Long.parseLong(text.toString().replace(",", ""));
    }

    private void showRecords(String stream, String key) {
        browser.executeScript(
                "const s = document.getElementById('records-stream'); s.value = arguments[0];"
                        + "s.dispatchEvent(new Event('change'));",
                stream);
        WebElement keyField = browser.findElement(By.id("records-key"));
        keyField.clear();
        keyField.sendKeys(key);
        browser.findElement(By.id("records-refresh")).click();
    }

    private Optional<WebElement> record(String key) {
        return browser.findElements(By.cssSelector("#records li.record")).stream()
                .filter(li -> key.equals(li.getAttribute("data-key")))
                .findFirst();
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path shot = Path.of("target", "console-" + name + ".png");
        Files.createDirectories(shot.getParent());
        File png = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isPositive();
    }

    /**
     * The page opened again with the session's cookie goes live; how long that took (the browser's load event, and
     * the first overview drawn from the event stream) is written to target/console-load.md, as a figure, not a check.
     */
    @Test
    void thePageOpenedAgain_goesLive_andItsLoadTimeIsRecorded() throws Exception {
        long started = System.nanoTime();
        browser.get("http://127.0.0.1:" + managementPort + "/console/");
        await("the console's event stream after a reload")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> "live".equals(browser.findElement(By.id("status")).getAttribute("data-state")));
        long liveMs = (System.nanoTime() - started) / 1_000_000;
        Object loadMs = browser.executeScript(
                "const n = performance.getEntriesByType('navigation')[0]; return Math.round(n.loadEventEnd - n.startTime);");
        assertThat(browser.findElements(By.cssSelector("[data-stream]"))).isNotEmpty();
        Files.writeString(
                Path.of("target/console-load.md"),
                String.format(
                        "| console page, loopback, shipped defaults | load event %s ms | first live overview %d ms |%n",
                        loadMs, liveMs));
    }

    @Test
    void postedEvents_showUpInTheCounters_andAsADecodedRecord() throws Exception {
        long before = Math.max(0, counter("clickstream", "acknowledged"));
        String user = "console-" + UUID.randomUUID().toString().substring(0, 8);
        postEvents(("{\"userId\":\"" + user + "\",\"page\":\"/pricing\"}\n").repeat(3));

        await("the acknowledged count to grow by 3")
                .atMost(WAIT)
                .until(() -> counter("clickstream", "acknowledged") >= before + 3);
        assertThat(browser.findElements(By.cssSelector("section.stream[data-stream='clickstream'] svg rect")))
                .hasSize(4);
        browser.executeScript("window.scrollTo(0, 0)");
        screenshot(browser, "streams");

        showRecords("clickstream", user);
        // follow mode may render the list again at any tick: read the record in one go
        String shown = await("the decoded record")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> record(user)
                                .map(li -> li.findElement(By.cssSelector("pre.data")))
                                .map(pre -> pre.getAttribute("data-kind") + "|" + pre.getText())
                                .orElse(""),
                        s -> !s.isEmpty());
        // JSON, pretty-printed: one field a line
        assertThat(shown)
                .startsWith("json|")
                .contains("\"userId\" : \"" + user + "\"")
                .contains("\n");
        browser.executeScript("document.getElementById('records-panel').scrollIntoView()");
        screenshot(browser, "records");
    }

    @Test
    void aDeadLetter_fixedAndReSentInThePage_landsInTheStream() throws Exception {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String event = "{\"userId\":\"" + "x".repeat(300) + "\",\"marker\":\"" + marker + "\"}";
        postEvents(event + "\n");

        // the list is read again on each click: look only between loads, click only when the letter is not there yet
        WebElement letter = await("the dead letter in the page")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .ignoreExceptions()
                .until(
                        () -> {
                            if (browser.findElement(By.id("dead-letters")).getAttribute("data-loading") != null) {
                                return Optional.<WebElement>empty();
                            }
                            Optional<WebElement> found =
                                    browser.findElements(By.cssSelector("#dead-letters li.letter")).stream()
                                            .filter(li -> li.findElement(By.cssSelector("pre.data"))
                                                    .getText()
                                                    .contains(marker))
                                            .findFirst();
                            if (found.isEmpty()) {
                                browser.findElement(By.id("dl-refresh")).click();
                            }
                            return found;
                        },
                        Optional::isPresent)
                .get();
        assertThat(letter.findElement(By.cssSelector(".reason")).getText()).isNotBlank();

        String fixed = "fixed-" + marker;
        WebElement key = letter.findElement(By.cssSelector("input.dl-key"));
        key.clear();
        key.sendKeys(fixed);
        letter.findElement(By.cssSelector("button.dl-resend")).click();
        WebElement outcome = letter.findElement(By.cssSelector(".outcome"));
        await("the re-send's answer").atMost(WAIT).until(() -> outcome.getAttribute("data-outcome") != null);
        assertThat(outcome.getAttribute("data-outcome")).as(outcome.getText()).isEqualTo("accepted");
        browser.executeScript("arguments[0].scrollIntoView()", letter);
        screenshot(browser, "dead-letters");

        showRecords("clickstream", fixed);
        String shown = await("the re-sent record in the stream")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> record(fixed)
                                .map(li -> li.findElement(By.cssSelector("pre.data"))
                                        .getText())
                                .orElse(""),
                        s -> !s.isEmpty());
        assertThat(shown).contains(marker);
        // what landed is the letter's data as it was, not the page's pretty-printed view of it
        EndpointReader.Read landed = new EndpointReader(Integer.parseInt(bridge.setting("bridge.endpoint.port")))
                .readAll("clickstream").stream()
                        .filter(r -> r.partitionKey().equals(fixed))
                        .findFirst()
                        .orElseThrow();
        assertThat(landed.data()).isEqualTo(event);
    }
}
