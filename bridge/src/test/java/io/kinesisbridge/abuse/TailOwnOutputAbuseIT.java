package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.EndpointReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 2, tailing: a tail glob over the dead-letter directory made the bridge feed on its own dead letters (a
 * dead letter of a big record, tailed, cut, rejected and dead-lettered again, each time bigger) at ~11 MB/s until
 * rotation deleted the oldest. A glob that plainly matches it stops the start with one line; one that reaches it
 * through another name finds nothing to tail there.
 */
@Tag("slow")
class TailOwnOutputAbuseIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aTailGlobOverTheDeadLetterDirectory_isRefused_andNeverFeedsOnItsOwnOutput(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("tail-own-output");
        AbuseRig.Exit refused = AbuseRig.runToExit(
                dir,
                "tail-own-output-plain",
                Map.of("bridge.file.paths", dir.resolve("tail-own-output-plain/dead-letter") + "/*.ndjson"),
                Duration.ofSeconds(60));

        Path alias = dir.resolve("letters");
        Files.createDirectories(home.resolve("dead-letter"));
        Files.createSymbolicLink(alias, home.resolve("dead-letter"));
        // small dead-letter files, so that a bridge feeding on itself fills little disk
        try (AbuseRig rig = AbuseRig.start(
                dir,
                "tail-own-output",
                Map.of(
                        "bridge.file.paths",
                        alias + "/*.ndjson*",
                        "bridge.file.start-at",
                        "beginning",
                        "bridge.dead-letter.max-file-bytes",
                        "8388608",
                        "bridge.dead-letter.max-files",
                        "2"))) {
            // a big event without the partition key: one dead letter of about 1 MiB
            String marker = rig.marker();
            String event = "{\"id\":\"" + marker + "\",\"pad\":\"" + "p".repeat(800_000) + "\"}";
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.httpPort() + "/clickstream"))
                            .POST(HttpRequest.BodyPublishers.ofString(event))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLetterBytes(rig) > 0);
            long first = deadLetterBytes(rig);
            await().atMost(Duration.ofSeconds(15))
                    .pollDelay(Duration.ofSeconds(10))
                    .until(() -> true); // what a bridge feeding on itself does in 10 s
            long after = deadLetterBytes(rig);
            boolean ownOutputInStream = new EndpointReader(rig.endpointPort())
                    .readAll(AbuseRig.LOGS_STREAM).stream()
                            .anyMatch(r -> r.data().contains(marker));
            String observed = "plain glob: exit "
                    + (refused.status().isPresent() ? refused.status().getAsInt() : "none (ran)")
                    + " "
                    + (refused.lines().isEmpty()
                            ? ""
                            : refused.lines().get(refused.lines().size() - 1))
                    + "; glob through a link: HTTP " + answer.statusCode() + ", dead-letter bytes " + first + " then "
                    + after
                    + " 10 s later, dead letter tailed into logs: " + ownOutputInStream;

            AbuseLedger.row(
                            "tail glob over the dead-letter directory",
                            "start refused; through a link: nothing tailed, no growth",
                            observed,
                            rig)
                    .check();
            assertThat(refused.status()).isPresent();
            assertThat(refused.status().getAsInt()).isNotZero();
            assertThat(refused.output()).contains("bridge.file.paths", "own output");
            assertThat(ownOutputInStream).isFalse();
            assertThat(after).isEqualTo(first);
            assertThat(rig.process().output()).contains("is not tailed");
        }
    }

    private static long deadLetterBytes(AbuseRig rig) throws Exception {
        if (!Files.isDirectory(rig.deadLetterDir())) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(rig.deadLetterDir())) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
