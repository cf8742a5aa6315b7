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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 14: bridge.file.paths and format changed between two runs. The tailer resumed the old file from its
 * checkpoint, no longer matched by the globs, and parsed its lines with the new format. Checkpoints belong to the
 * stream, format and globs they were written for. (The stream stays: the rig's inbox puts to bridge.file.stream too;
 * FileTailRouteTest changes the stream as well.)
 */
@Tag("slow")
class TailCheckpointScopeAbuseIT {

    private static void append(Path file, String line) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void changedGlobsAndFormat_doNotResumeTheOldFile(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("old-logs/app.log");
        String name = "tail-checkpoint-scope";
        try (AbuseRig rig = AbuseRig.start(
                dir,
                name,
                Map.of("bridge.file.paths", old.getParent() + "/*.log", "bridge.file.start-at", "beginning"))) {
            String sent = rig.marker();
            append(old, "old " + sent);
            rig.awaitInStream(AbuseRig.LOGS_STREAM, List.of(sent));
        }
        String writtenWhileDown = "old " + "written while the bridge was down";
        append(old, writtenWhileDown);
        Path fresh = dir.resolve("new-events/events.ndjson");
        try (AbuseRig rig = AbuseRig.start(
                dir,
                name,
                Map.of(
                        "bridge.file.paths",
                        fresh.getParent() + "/*.ndjson",
                        "bridge.file.format",
                        "ndjson",
                        "bridge.file.start-at",
                        "beginning"))) {
            String event = rig.marker();
            append(fresh, "{\"event\":\"" + event + "\"}");
            rig.accepted(AbuseRig.LOGS_STREAM, event);
            rig.awaitInStream(AbuseRig.LOGS_STREAM, List.of(event));
            await().pollDelay(Duration.ofSeconds(2))
                    .until(() -> true); // time for an old file to be resumed, if it were
            List<String> records = new EndpointReader(rig.endpointPort())
                    .readAll(AbuseRig.LOGS_STREAM).stream()
                            .map(EndpointReader.Read::data)
                            .toList();
            boolean resumed = records.stream().anyMatch(d -> d.contains(writtenWhileDown));
            AbuseLedger.row(
                            "tail paths and format changed between runs",
                            "the old file is not resumed",
                            "old file's line sent after the change: " + resumed,
                            rig)
                    .check();
            assertThat(resumed).isFalse();
        }
    }
}
