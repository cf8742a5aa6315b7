package io.kinesisbridge.source.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.RunningBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped file-tail route on real files: appended, rotated both ways, truncated, and the bridge restarted. */
class FileTailRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private RunningBridge start(Map<String, String> extra) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("bridge.file.enabled", "true",
                "bridge.file.paths", dir.resolve("logs").toString() + "/*.log",
                "bridge.file.start-at", "beginning", "bridge.file.poll-ms", "50", "bridge.file.rotate-wait-ms", "300",
                "bridge.file.multiline.flush-ms", "300"));
        s.putAll(extra);
        return RunningBridge.start(dir.resolve("data"), s);
    }

    private static void append(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }

    private static void awaitRecords(RunningBridge bridge, String stream, int count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(bridge.records(stream)).hasSizeGreaterThanOrEqualTo(count));
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
            Files.move(log, dir.resolve("logs/app.log.1"));       // out of the glob
            append(dir.resolve("logs/app.log.1"), lines("r", 1000, 1200)); // the writer still had it open
            append(log, lines("r", 1200, 1700));                    // and then reopened a new app.log
            // a file must live one poll to be seen: one created and rotated away between two polls is not
            await().atMost(Duration.ofSeconds(10)).until(() -> bridge.records("logs").contains("r1200"));
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
            Files.writeString(log, String.join("\n", lines("new-", 0, 50)) + "\n"); // truncate and write more than before
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
            JsonNode bad = JSON.readTree(got.stream().filter(r -> r.contains("unparsed")).findFirst().orElseThrow());
            assertThat(bad.get("raw").asText()).isEqualTo("not json");
            assertThat(bad.get("error").asText()).contains("malformed JSON");
        }
    }

    @Test
    void csv_headerLineNamesTheColumns() throws Exception {
        append(dir.resolve("logs/t.log"), List.of("id,name,note", "1,ann,\"hello, world\"", "2,bob,\"say \"\"hi\"\"\",extra"));
        try (RunningBridge bridge = start(Map.of("bridge.file.format", "csv"))) {
            awaitRecords(bridge, "logs", 2);
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
            List<JsonNode> got = new ArrayList<>();
            for (String r : bridge.records("logs")) {
                got.add(JSON.readTree(r));
            }
            assertThat(got).containsExactlyInAnyOrder(
                    JSON.readTree("{\"id\":\"1\",\"name\":\"ann\",\"note\":\"hello, world\"}"),
                    JSON.readTree("{\"id\":\"2\",\"name\":\"bob\",\"note\":\"say \\\"hi\\\"\",\"column4\":\"extra\"}"));
        }
    }

    @Test
    void multiline_joinsContinuationLines_andFlushesTheLastRecordWhenQuiet() throws Exception {
        append(dir.resolve("logs/app.log"), List.of("2026-01-01 ERROR boom", "java.lang.IllegalStateException: x",
                "\tat a.b.C.d(C.java:1)", "2026-01-01 INFO fine", "2026-01-01 WARN last", "  continued"));
        try (RunningBridge bridge = start(Map.of("bridge.file.multiline.start", "^\\d{4}-\\d\\d-\\d\\d",
                "bridge.file.partition-key", "header:CamelFileName"))) {
            awaitRecords(bridge, "logs", 3);
            assertThat(bridge.records("logs")).containsExactly(
                    "2026-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)",
                    "2026-01-01 INFO fine", "2026-01-01 WARN last\n  continued");
        }
    }

    @Test
    void multilineRecordOverTheCap_arrivesWhole_inPiecesOfAtMostTheCap() throws Exception {
        List<String> trace = new java.util.ArrayList<>(List.of("2026-01-01 ERROR huge"));
        for (int i = 0; i < 40; i++) {
            trace.add("\tat frame.number" + i + "(X.java:" + i + ")");
        }
        trace.add("\t" + "y".repeat(700)); // one line longer than a record may be
        trace.add("2026-01-01 INFO after");
        append(dir.resolve("logs/app.log"), trace);
        try (RunningBridge bridge = start(Map.of("bridge.file.multiline.start", "^\\d{4}-\\d\\d-\\d\\d",
                "bridge.file.max-record-bytes", "256", "bridge.file.partition-key", "header:CamelFileName"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(bridge.records("logs")).last().isEqualTo("2026-01-01 INFO after"));
            List<String> records = bridge.records("logs");
            assertThat(records).allSatisfy(r -> assertThat(r.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256));
            String joined = String.join("\n", records.subList(0, records.size() - 1));
            // every byte of the record arrived, in order; only where it was cut is a newline added
            assertThat(joined.replace("\n", "")).isEqualTo(String.join("", trace.subList(0, trace.size() - 1)));
        }
    }
}
