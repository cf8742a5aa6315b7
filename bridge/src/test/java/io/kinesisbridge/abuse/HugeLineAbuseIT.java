package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 3: a 512 MiB file without a newline (sparse: it costs no disk) dropped into the inbox of a bridge with a
 * 256 MiB heap. It was an OutOfMemoryError that stopped the inbox for good while readiness stayed 200; now the line
 * is dead-lettered once (LineTooLong, with its length), the file moves on, and the inbox keeps reading.
 */
@Tag("slow")
class HugeLineAbuseIT {

    private static final long SIZE = 512L << 20;

    @Test
    void aHalfGigabyteFileWithoutNewline_costsBoundedMemory_andTheInboxGoesOn(@TempDir Path dir) throws Exception {
        try (AbuseRig rig = AbuseRig.start(dir, "huge-line", Map.of())) {
            Path staging = rig.home().resolve("staging/huge.log");
            Files.createDirectories(staging.getParent());
            try (RandomAccessFile f = new RandomAccessFile(staging.toFile(), "rw")) {
                f.setLength(SIZE);
            }
            Files.move(staging, rig.inbox().resolve("huge.log"));
            Path done = rig.inbox().resolve(".done/huge.log");
            Path failed = rig.inbox().resolve(".failed/huge.log");
            try {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> Files.exists(done)
                                || Files.exists(failed)
                                || rig.process().output().contains("OutOfMemoryError"));
                String output = rig.process().output();
                HttpResponse<String> ready = rig.process().get("/observe/health/ready");
                List<DeadLetter> letters = deadLetters(rig);
                String observed = (Files.exists(done)
                                ? "moved to .done/"
                                : Files.exists(failed) ? "moved to .failed/" : "still in the inbox")
                        + "; OutOfMemoryError: " + output.contains("OutOfMemoryError") + "; readiness "
                        + ready.statusCode()
                        + "; dead letters: "
                        + letters.stream().map(l -> l.error().code()).toList();

                AbuseLedger.row(
                                "512 MiB file without a newline into the inbox (-Xmx256m)",
                                "no OutOfMemoryError; one LineTooLong dead letter with the size; inbox goes on",
                                observed,
                                rig)
                        .check();
                assertThat(output).doesNotContain("OutOfMemoryError");
                assertThat(done).exists();
                assertThat(letters).singleElement().satisfies(l -> {
                    assertThat(l.error().code()).isEqualTo("LineTooLong");
                    assertThat(l.error().message()).contains("is " + SIZE + " bytes");
                });
            } finally {
                Files.deleteIfExists(done);
                Files.deleteIfExists(failed);
                Files.deleteIfExists(rig.inbox().resolve("huge.log"));
            }
        }
    }

    static List<DeadLetter> deadLetters(AbuseRig rig) throws Exception {
        Path file = rig.deadLetterDir().resolve(AbuseRig.LOGS_STREAM + ".ndjson");
        return Files.exists(file)
                ? Files.readAllLines(file).stream().map(DeadLetterJson::read).toList()
                : List.of();
    }
}
