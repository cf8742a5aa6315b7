package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.testing.EndpointReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 14: examples/logs as a new user types it (a command every 0.3 s) with bridge.file.multiline.start set: the
 * first record of the file created after a rename waits for the multi-line flush when it is copy-truncated, and was
 * lost (3 of 3 runs). Every record must arrive.
 */
@Tag("slow")
class TailMultilineTruncateAbuseIT {

    private static void append(Path file, String line) throws Exception {
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void typing() {
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
    }

    @Test
    void examplesLogs_typedByAUser_withMultiline_losesNoRecordAtACopyTruncate(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("example-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("app.log");
        Files.copy(Path.of("examples/logs/app.log"), log);
        try (AbuseRig rig = AbuseRig.start(
                dir,
                "tail-multiline-truncate",
                Map.of(
                        "bridge.file.paths",
                        logs + "/*.log",
                        "bridge.file.start-at",
                        "beginning",
                        "bridge.file.multiline.start",
                        "^\\d{4}-\\d\\d-\\d\\d "))) {
            String created = "order o-1002 created " + rig.marker();
            String renamed = "written after the rename " + rig.marker();
            String first = "first line of the new file " + rig.marker();
            String after = "after the copy-truncate " + rig.marker();
            rig.awaitInStream(AbuseRig.LOGS_STREAM, List.of("order o-1001 paid"));
            append(log, "2026-03-01 10:01:00 INFO  " + created);
            typing();
            Files.move(log, logs.resolve("app.log.1"));
            typing();
            append(logs.resolve("app.log.1"), "2026-03-01 10:02:00 INFO  " + renamed);
            typing();
            append(log, "2026-03-01 10:02:01 INFO  " + first);
            typing();
            Files.copy(log, logs.resolve("app.log.2"));
            try (var ch = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            typing();
            append(log, "2026-03-01 10:03:00 INFO  " + after);
            List<String> lines = List.of(created, renamed, first, after);
            lines.forEach(l -> rig.accepted(AbuseRig.LOGS_STREAM, l));

            EndpointReader reader = new EndpointReader(rig.endpointPort());
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> missing(reader, lines).isEmpty());
            } catch (ConditionTimeoutException e) {
                // reported below
            }
            List<String> missing = missing(reader, lines);
            AbuseLedger.row(
                            "examples/logs typed at 0.3 s a command, multiline, copy-truncate",
                            "every record arrives",
                            missing.isEmpty() ? "all 4 records arrived" : "missing: " + missing,
                            rig)
                    .check();
            assertThat(missing).isEmpty();
        }
    }

    private static List<String> missing(EndpointReader reader, List<String> lines) {
        List<String> data = reader.readAll(AbuseRig.LOGS_STREAM).stream()
                .map(EndpointReader.Read::data)
                .toList();
        return lines.stream()
                .filter(l -> data.stream().noneMatch(d -> d.contains(l)))
                .toList();
    }
}
