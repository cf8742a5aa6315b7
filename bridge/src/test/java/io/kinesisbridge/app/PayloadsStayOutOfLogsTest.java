package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.testing.Accounting;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the bridge (its own JVM, the shipped routes and logging) fed records that fail, through HTTP, syslog
 * over TCP, the file inbox and file tailing, each carrying a marker in its data and, where the source takes its
 * partition key from the data, a second marker in its key: first while no dead letter can be written (the
 * dead-letter file of each stream is a directory), then once they can. The records go where they belong (back to
 * their sources, then to the dead-letter files), and the whole output holds neither marker, in plain text or in
 * base64, whatever failed: validation messages that quote keys, Jackson's parse errors that quote input, Camel's
 * error handler, the dead-letter writer's own errors.
 */
@Tag("slow")
class PayloadsStayOutOfLogsTest {

    private static final String DATA = "DataMarker7f3q";
    private static final String KEY = "KeyMarker9z2w";
    private static final String LONG_KEY = KEY.repeat(22); // 286 characters: over the 256 a partition key may have
    private static final List<String> STREAMS = List.of("clickstream", "logs");

    @TempDir
    Path dir;

    @Test
    void failingRecordsOfEverySource_whetherDeadLetteredOrNot_leaveNoPayloadOrKeyInTheOutput() throws Exception {
        int httpPort = FreePorts.tcp();
        int syslogPort = FreePorts.tcp();
        Path home = dir.resolve("bridge");
        Path deadLetters = home.resolve("dead-letter");
        Path tailed = home.resolve("tailed");
        Files.createDirectories(tailed);
        FileDeadLetterSink naming = new FileDeadLetterSink(deadLetters, 1024, 1);
        for (String stream : STREAMS) {
            Files.createDirectories(naming.fileOf(stream)); // a dead-letter "file" no letter can be written to
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bridge.http.enabled", "true");
        settings.put("bridge.http.port", String.valueOf(httpPort));
        settings.put("bridge.syslog.enabled", "true");
        settings.put("bridge.syslog.port", String.valueOf(syslogPort));
        settings.put("bridge.syslog.partition-key", "json:/structuredData/m@1/k");
        settings.put("bridge.file.enabled", "true");
        settings.put("bridge.file.partition-key", "json:/user");
        settings.put("bridge.file.paths", tailed.resolve("*.log").toString());
        settings.put("bridge.file.start-at", "beginning");
        settings.put("bridge.spool.enabled", "true");
        List<String> answers = new ArrayList<>();
        int statusWhileFailing;
        HttpResponse<String> readyWhileFailing;
        List<String> accounts = new ArrayList<>();
        try (BridgeProcess bridge = BridgeProcess.start(dir, "bridge", settings)) {
            bridge.awaitReady(Duration.ofSeconds(60));

            // no dead letter can be written: the records go back to their sources
            statusWhileFailing = postBadEvents(httpPort, "one").statusCode();
            sendBadSyslog(syslogPort, "one");
            Files.writeString(home.resolve("inbox").resolve("one.ndjson"), badLines("inbox-one"));
            Files.writeString(tailed.resolve("app.log"), badLines("tail-one"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Accounting.of(bridge.metricsText(), "logs").in() >= 2 + 3 + 3
                            && !Files.exists(home.resolve("inbox").resolve("one.ndjson")));
            readyWhileFailing = bridge.get("/observe/health/ready");
            answers.add(readyWhileFailing.body());
            accounts.add(accounting(bridge, deadLetters));

            // dead letters can be written again: the sources' retries and new records are dead-lettered
            for (String stream : STREAMS) {
                Files.delete(naming.fileOf(stream));
            }
            postBadEvents(httpPort, "two");
            sendBadSyslog(syslogPort, "two");
            Files.writeString(home.resolve("inbox").resolve("two.ndjson"), badLines("inbox-two"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> lettersIn(deadLetters).size() >= 2 + 2 + 3
                            && Files.exists(
                                    home.resolve("inbox").resolve(".done").resolve("two.ndjson"))
                            && bridge.get("/observe/health/ready").statusCode() == 200);
            accounts.add(accounting(bridge, deadLetters));
            answers.add(bridge.metricsText());
        }

        String output = Files.readString(home.resolve("bridge-1.log"));
        for (String marker : List.of(DATA, KEY)) {
            for (String form : encodings(marker)) {
                assertThat(output).as("the output holds %s", form).doesNotContain(form);
            }
        }
        for (String answer : answers) {
            assertThat(answer)
                    .as("health and metrics answers")
                    .doesNotContain(DATA)
                    .doesNotContain(KEY);
        }
        assertThat(accounts)
                .as("records counted as dead-lettered are the letters in the files; in = acknowledged + "
                        + "dead-lettered + in flight + spooled + returned")
                .allMatch(a -> a.startsWith("balanced"));
        // the failing path was taken: what could not be dead-lettered went back to its source
        assertThat(statusWhileFailing)
                .as("HTTP events that cannot be dead-lettered")
                .isEqualTo(503);
        assertThat(readyWhileFailing.statusCode()).isEqualTo(503);
        assertThat(readyWhileFailing.body()).contains("dead-letter:logs").contains("dead-letter:clickstream");
        assertThat(home.resolve("inbox").resolve(".failed").resolve("one.ndjson"))
                .exists();
        List<String> letters = lettersIn(deadLetters);
        assertThat(letters)
                .as("tailing retried the lines it could not dead-letter")
                .anyMatch(l -> l.contains("tail-one"));
        assertThat(String.join("\n", letters))
                .as("the records carried the markers")
                .contains(KEY)
                .contains(DATA);
    }

    /** Every dead letter, each followed by its record's data decoded (the letter holds it in base64). */
    private static List<String> lettersIn(Path deadLetters) throws IOException {
        if (!Files.isDirectory(deadLetters)) {
            return List.of();
        }
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(deadLetters)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) {
                    all.add(line + " " + decodedData(line));
                }
            }
        }
        return all;
    }

    private static String decodedData(String letter) {
        int at = letter.indexOf("\"Data\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + 8;
        return new String(
                Base64.getDecoder().decode(letter.substring(from, letter.indexOf('"', from))), StandardCharsets.UTF_8);
    }

    /**
     * "balanced: …" when the records counted as dead-lettered are exactly the letters in the files and each stream's
     * accounting identity holds (at one instant, records_unaccounted); else what was seen.
     */
    private static String accounting(BridgeProcess bridge, Path deadLetters) throws IOException {
        String metrics = bridge.metricsText();
        long counted = 0;
        boolean balanced = true;
        StringBuilder seen = new StringBuilder();
        for (String stream : STREAMS) {
            Accounting a = Accounting.of(metrics, stream);
            balanced &= a.unaccounted() == 0;
            counted += a.deadLettered();
            seen.append(stream).append(": ").append(a.summary()).append("; ");
        }
        long letters = lettersIn(deadLetters).size();
        return (balanced && counted == letters ? "balanced: " : "NOT balanced: ") + seen + counted
                + " counted as dead-lettered, " + letters + " letters in the files";
    }

    /** Three events no partition key can be had for, or whose key is too long, and one that is not JSON. */
    private static HttpResponse<String> postBadEvents(int port, String round) throws Exception {
        String body = "{\"userId\":\"" + LONG_KEY + "\",\"v\":\"" + DATA + round + "\"}\n" + "{\"v\":\"" + DATA + round
                + "\"}\n";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> malformed = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/clickstream"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"v\":" + DATA + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/clickstream"))
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Syslog messages keyed by a structured-data parameter: one too long, one absent. */
    private static void sendBadSyslog(int port, String round) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                OutputStream out = socket.getOutputStream()) {
            out.write(("<14>1 2026-01-01T00:00:00Z host app - - [m@1 k=\"" + LONG_KEY + "\"] " + DATA + round + "\n"
                            + "<14>1 2026-01-01T00:00:00Z host app - - - " + DATA + round + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A key too long, no key, and a line Jackson cannot parse (its error message quotes the input). */
    private static String badLines(String round) {
        return "{\"user\":\"" + LONG_KEY + "\",\"v\":\"" + DATA + round + "\"}\n"
                + "{\"v\":\"" + DATA + round + "\"}\n"
                + DATA + round + " is not JSON\n";
    }

    /** The marker, and the parts of its base64 form that do not depend on the bytes around it. */
    private static List<String> encodings(String marker) {
        List<String> forms = new ArrayList<>(List.of(marker));
        byte[] bytes = marker.getBytes(StandardCharsets.UTF_8);
        for (int pad = 0; pad < 3; pad++) {
            byte[] padded = new byte[pad + bytes.length];
            System.arraycopy(bytes, 0, padded, pad, bytes.length);
            String b64 = Base64.getEncoder().encodeToString(padded);
            int from = pad == 0 ? 0 : 4;
            int to = 4 * ((pad + bytes.length) / 3);
            forms.add(b64.substring(from, to));
        }
        return forms;
    }
}
