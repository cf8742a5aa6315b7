package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped file-tail route on real files: appended, rotated both ways, truncated, and the bridge restarted. */
class FileTailRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunningBridge start(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of(
                "bridge.file.enabled",
                "true",
                "bridge.file.paths",
                dir.resolve("logs").toString() + "/*.log",
                "bridge.file.start-at",
                "beginning",
                "bridge.file.poll-ms",
                "50",
                "bridge.file.rotate-wait-ms",
                "300",
                "bridge.file.multiline.flush-ms",
                "300"));
        s.putAll(extra);
        return RunningBridge.start(dir.resolve("data"), s);
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private static void awaitRecords(RunningBridge bridge, String stream, int count) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(bridge.records(stream)).hasSizeGreaterThanOrEqualTo(count));
    }

    @Test
    void appendedLines_arriveOnceEach_inOrderPerFile() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("a", 0, 100));
        try (RunningBridge bridge = start(Map.of("bridge.file.partition-key", "header:CamelFileName"))) {
            awaitRecords(bridge, "logs", 100);
            append(log, lines("a", 100, 2500));
            awaitRecords(bridge, "logs", 2500);
            // one key (the file's path): one shard, in file order
            assertThat(bridge.records("logs")).containsExactlyElementsOf(lines("a", 0, 2500));
        }
    }

    @Test
    void renameAndCreateRotation_whileWriting_losesAndRepeatsNothing() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("r", 0, 500));
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 1);
            append(log, lines("r", 500, 1000));
            Files.move(log, dir.resolve("logs/app.log.1")); // out of the glob
            append(dir.resolve("logs/app.log.1"), lines("r", 1000, 1200)); // the writer still had it open
            append(log, lines("r", 1200, 1700)); // and then reopened a new app.log
            // a file must live one poll to be seen: one created and rotated away between two polls is not
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> bridge.records("logs").contains("r1200"));
            append(log, lines("r", 1700, 1800));
            Files.move(log, dir.resolve("logs/app.log.2"));
            append(log, lines("r", 1800, 2000));
            awaitRecords(bridge, "logs", 2000);
            await().pollDelay(Duration.ofMillis(800)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrderElementsOf(lines("r", 0, 2000));
        }
    }

    @Test
    void copyTruncateRotation_finishesFromTheCopy_thenReadsTheFileAgain() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("c", 0, 300));
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 300);
            // lines the bridge has not read yet when logrotate copies and truncates
            append(log, lines("c", 300, 5000));
            Files.copy(log, dir.resolve("logs/app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
            try (var ch = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("c", 5000, 5100));
            awaitRecords(bridge, "logs", 5100);
            await().pollDelay(Duration.ofMillis(800)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrderElementsOf(lines("c", 0, 5100));
        }
    }

    @Test
    void truncatedAndRewrittenLonger_isReadFromItsStart() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("old-", 0, 10));
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 10);
            Files.writeString(
                    log, String.join("\n", lines("new-", 0, 50)) + "\n"); // truncate and write more than before
            awaitRecords(bridge, "logs", 60);
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            List<String> expected = new ArrayList<>(lines("old-", 0, 10));
            expected.addAll(lines("new-", 0, 50));
            assertThat(bridge.records("logs")).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void restart_resumesFromTheCheckpoint_andFindsAFileRotatedWhileDown() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("s", 0, 100));
        List<String> all = new ArrayList<>();
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 100);
            all.addAll(bridge.records("logs"));
        }
        // while the bridge is down: more lines, then a rotation by rename, then a new file
        append(log, lines("s", 100, 200));
        Files.move(log, dir.resolve("logs/app.log.1"));
        append(log, lines("s", 200, 250));
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 150);
            await().pollDelay(Duration.ofMillis(800)).until(() -> true);
            all.addAll(bridge.records("logs"));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(lines("s", 0, 250));
    }

    @Test
    void startAtEnd_onTheFirstRun_skipsWhatExistingFilesHold() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, lines("before", 0, 20));
        Files.writeString(log, "half-writ", StandardOpenOption.APPEND);
        try (RunningBridge bridge = start(Map.of("bridge.file.start-at", "end"))) {
            await().until(() -> Files.exists(dir.resolve("data/file-checkpoints.json")));
            Files.writeString(log, "ten line\n", StandardOpenOption.APPEND);
            append(log, List.of("after"));
            append(dir.resolve("logs/new.log"), List.of("new file"));
            awaitRecords(bridge, "logs", 3);
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("half-written line", "after", "new file");
        }
    }

    @Test
    void formats_ndjsonCsvAndMultiline() throws Exception {
        append(dir.resolve("logs/events.log"), List.of("{\"a\":1}", "not json", "[1,2]"));
        try (RunningBridge bridge = start(Map.of("bridge.file.format", "ndjson"))) {
            awaitRecords(bridge, "logs", 3);
            List<String> got = bridge.records("logs");
            assertThat(got).contains("{\"a\":1}", "[1,2]");
            JsonNode bad = JSON.readTree(
                    got.stream().filter(r -> r.contains("unparsed")).findFirst().orElseThrow());
            assertThat(bad.get("raw").asText()).isEqualTo("not json");
            assertThat(bad.get("error").asText()).contains("malformed JSON");
        }
    }

    @Test
    void csv_headerLineNamesTheColumns() throws Exception {
        append(
                dir.resolve("logs/t.log"),
                List.of("id,name,note", "1,ann,\"hello, world\"", "2,bob,\"say \"\"hi\"\"\",extra"));
        try (RunningBridge bridge = start(Map.of("bridge.file.format", "csv"))) {
            awaitRecords(bridge, "logs", 2);
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            List<JsonNode> got = new ArrayList<>();
            for (String r : bridge.records("logs")) {
                got.add(JSON.readTree(r));
            }
            assertThat(got)
                    .containsExactlyInAnyOrder(
                            JSON.readTree("{\"id\":\"1\",\"name\":\"ann\",\"note\":\"hello, world\"}"),
                            JSON.readTree(
                                    "{\"id\":\"2\",\"name\":\"bob\",\"note\":\"say \\\"hi\\\"\",\"column4\":\"extra\"}"));
        }
    }

    @Test
    void multiline_joinsContinuationLines_andFlushesTheLastRecordWhenQuiet() throws Exception {
        append(
                dir.resolve("logs/app.log"),
                List.of(
                        "2026-01-01 ERROR boom",
                        "java.lang.IllegalStateException: x",
                        "\tat a.b.C.d(C.java:1)",
                        "2026-01-01 INFO fine",
                        "2026-01-01 WARN last",
                        "  continued"));
        try (RunningBridge bridge = start(Map.of(
                "bridge.file.multiline.start",
                "^\\d{4}-\\d\\d-\\d\\d",
                "bridge.file.partition-key",
                "header:CamelFileName"))) {
            awaitRecords(bridge, "logs", 3);
            assertThat(bridge.records("logs"))
                    .containsExactly(
                            "2026-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)",
                            "2026-01-01 INFO fine",
                            "2026-01-01 WARN last\n  continued");
        }
    }

    @Test
    void multilineRecordOverTheCap_arrivesInPiecesOfWholeLines_andALineOverTheCapIsDeadLettered() throws Exception {
        List<String> trace = new ArrayList<>(List.of("2026-01-01 ERROR huge"));
        for (int i = 0; i < 40; i++) {
            trace.add("\tat frame.number" + i + "(X.java:" + i + ")");
        }
        List<String> before = List.copyOf(trace);
        trace.add("\t" + "y".repeat(700)); // one line longer than a record may be
        trace.add("2026-01-01 INFO after");
        append(dir.resolve("logs/app.log"), trace);
        try (RunningBridge bridge = start(Map.of(
                "bridge.file.multiline.start",
                "^\\d{4}-\\d\\d-\\d\\d",
                "bridge.file.max-record-bytes",
                "256",
                "bridge.file.partition-key",
                "header:CamelFileName"))) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertThat(bridge.records("logs")).last().isEqualTo("2026-01-01 INFO after"));
            List<String> records = bridge.records("logs");
            assertThat(records)
                    .allSatisfy(r -> assertThat(r.getBytes(StandardCharsets.UTF_8).length)
                            .isLessThanOrEqualTo(256));
            // every line before the long one arrived whole and in order; pieces end only between lines
            assertThat(String.join("\n", records.subList(0, records.size() - 1)))
                    .isEqualTo(String.join("\n", before));
            assertThat(deadLetters()).singleElement().satisfies(l -> {
                assertThat(l.error().code()).isEqualTo("LineTooLong");
                assertThat(l.error().message()).contains("is 701 bytes");
            });
        }
    }

    private List<DeadLetter> deadLetters() throws IOException {
        Path file = dir.resolve("data/dead-letter/logs.ndjson");
        return Files.exists(file)
                ? Files.readAllLines(file).stream().map(DeadLetterJson::read).toList()
                : List.of();
    }

    @Test
    void tail_crlfLines_arriveWithoutTheirCr() throws Exception {
        Path log = dir.resolve("logs/dos.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "one\r\ntwo\r\n\r\n");
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 2);
            Files.writeString(log, "three\r\n", StandardOpenOption.APPEND);
            awaitRecords(bridge, "logs", 3);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("one", "two", "three");
        }
    }

    @Test
    void tail_lineOverTheLimit_writtenInParts_isDeadLetteredOnce_andTheFollowingLinesArrive() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, List.of("first"));
        try (RunningBridge bridge = start(Map.of("bridge.file.max-record-bytes", "1024"))) {
            awaitRecords(bridge, "logs", 1);
            for (int i = 0;
                    i < 5;
                    i++) { // one line, written over several polls, never complete at a poll before the last
                Files.writeString(log, "z".repeat(100_000), StandardOpenOption.APPEND);
                await().pollDelay(Duration.ofMillis(120)).until(() -> true);
            }
            append(log, List.of("", "after"));
            awaitRecords(bridge, "logs", 2);
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("first", "after");
            assertThat(deadLetters()).singleElement().satisfies(l -> {
                assertThat(l.error().code()).isEqualTo("LineTooLong");
                assertThat(l.error().message()).contains("byte 6 of", "is 500000 bytes");
                assertThat(l.request().data()).hasSize(1024);
            });
        }
    }

    @Test
    void tail_symlinkMatchedByTheGlob_isNotFollowed() throws Exception {
        Path secret = dir.resolve("outside/shadow");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "root:secret\n");
        Files.createDirectories(dir.resolve("logs"));
        Files.createSymbolicLink(dir.resolve("logs/shadow.log"), secret);
        append(dir.resolve("logs/app.log"), List.of("real"));
        try (RunningBridge bridge = start(Map.of())) {
            awaitRecords(bridge, "logs", 1);
            append(dir.resolve("logs/app.log"), List.of("real again"));
            awaitRecords(bridge, "logs", 2);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("real", "real again");
        }
        try (RunningBridge bridge = start(Map.of("bridge.file.allow-links", "true"))) {
            awaitRecords(bridge, "logs", 1);
            assertThat(bridge.records("logs")).containsExactly("root:secret");
        }
    }

    @Test
    void tail_globOverTheDeadLetterDirectory_isRefusedAtStart() {
        assertThatThrownBy(() ->
                        start(Map.of("bridge.file.paths", dir.resolve("data").toString() + "/*/*.ndjson")))
                .hasMessageContaining("bridge.file.paths")
                .hasMessageContaining("own output")
                .hasMessageContaining(dir.resolve("data/dead-letter").toString());
    }

    @Test
    void tail_ownOutputReachedThroughAnotherName_isNotTailed() throws Exception {
        // the start-up check sees no own file under logs/; at run time, logs/ turns out to be the dead-letter directory
        Files.createDirectories(dir.resolve("data/dead-letter"));
        Files.createDirectories(dir.resolve("logs"));
        Path alias = dir.resolve("logs/dl");
        Files.createSymbolicLink(alias, dir.resolve("data/dead-letter"));
        try (RunningBridge bridge = start(Map.of(
                "bridge.file.paths",
                alias + "/*",
                "bridge.file.max-record-bytes",
                "16",
                "bridge.file.allow-links",
                "true"))) {
            append(dir.resolve("data/dead-letter/other.ndjson"), List.of("a line longer than sixteen bytes"));
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            assertThat(bridge.records("logs")).isEmpty();
            assertThat(deadLetters()).isEmpty();
        }
    }

    @Test
    void multiline_copyTruncateBeforeTheLastRecordWasFlushed_losesNothing() throws Exception {
        Path log = dir.resolve("logs/app.log");
        append(log, List.of("2026-03-01 10:00:00 INFO started"));
        try (RunningBridge bridge = start(Map.of(
                "bridge.file.multiline.start", "^\\d{4}-\\d\\d-\\d\\d ", "bridge.file.multiline.flush-ms", "1000"))) {
            awaitRecords(bridge, "logs", 1);
            // a new file whose first record waits for the flush when logrotate copies and truncates it
            Files.move(log, dir.resolve("logs/app.log.1"));
            append(log, List.of("2026-03-01 10:02:01 INFO first line of the new file"));
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            Files.copy(log, dir.resolve("logs/app.log.2"));
            try (var ch = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            append(log, List.of("2026-03-01 10:03:00 INFO after the copy-truncate"));
            awaitRecords(bridge, "logs", 3);
            await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
            assertThat(bridge.records("logs"))
                    .containsExactlyInAnyOrder(
                            "2026-03-01 10:00:00 INFO started",
                            "2026-03-01 10:02:01 INFO first line of the new file",
                            "2026-03-01 10:03:00 INFO after the copy-truncate");
        }
    }

    @Test
    void checkpoints_ofFilesTheChangedGlobsNoLongerMatch_andOfAnotherStreamOrFormat_areNotUsed() throws Exception {
        Path old = dir.resolve("logs/old/app.log");
        append(old, List.of("old-0"));
        try (RunningBridge bridge = start(Map.of("bridge.file.paths", dir.resolve("logs/old") + "/*.log"))) {
            awaitRecords(bridge, "logs", 1);
        }
        append(old, List.of("old-1")); // written while the bridge is down
        append(dir.resolve("logs/new/app.log"), List.of("{\"new\":0}"));
        try (RunningBridge bridge = start(Map.of(
                "bridge.file.paths",
                dir.resolve("logs/new") + "/*.log",
                "bridge.file.format",
                "ndjson",
                "bridge.file.stream",
                "telemetry"))) {
            awaitRecords(bridge, "telemetry", 1);
            await().pollDelay(Duration.ofMillis(800)).until(() -> true);
            assertThat(bridge.records("telemetry")).containsExactly("{\"new\":0}");
        }
        // the same globs, format and stream as the first run, but after a run for another stream: not resumed either
        try (RunningBridge bridge =
                start(Map.of("bridge.file.paths", dir.resolve("logs/old") + "/*.log", "bridge.file.start-at", "end"))) {
            // started over as on a first run: at the end of what the file holds once the checkpoints were rewritten
            await().until(() ->
                    Files.readString(dir.resolve("data/file-checkpoints.json")).contains("\"logs\""));
            append(old, List.of("old-2"));
            awaitRecords(bridge, "logs", 1);
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactly("old-2");
        }
    }

    @Test
    void checkpoints_ofTheSameGlobsStreamAndFormat_areResumed_whenOtherGlobsWereAdded() throws Exception {
        Path a = dir.resolve("logs/a/app.log");
        append(a, List.of("a-0"));
        try (RunningBridge bridge = start(Map.of("bridge.file.paths", dir.resolve("logs/a") + "/*.log"))) {
            awaitRecords(bridge, "logs", 1);
        }
        append(a, List.of("a-1"));
        append(dir.resolve("logs/b/app.log"), List.of("b-0"));
        try (RunningBridge bridge = start(
                Map.of("bridge.file.paths", dir.resolve("logs/a") + "/*.log," + dir.resolve("logs/b") + "/*.log"))) {
            awaitRecords(bridge, "logs", 2);
            await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            assertThat(bridge.records("logs")).containsExactlyInAnyOrder("a-1", "b-0");
        }
    }
}
