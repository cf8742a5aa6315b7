package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 4: a 20 MiB line in an inbox file and in a tailed file. It was cut into 1 MiB pieces with no room for the
 * partition key, each rejected and dead-lettered whole (a 100 MB line gave 95 dead letters, 133 MB of files). Now
 * each such line is one LineTooLong dead letter of about 1 KiB holding its length, and the lines around it arrive.
 */
@Tag("slow")
class OverlongLineAbuseIT {

    private static final long LINE = 20L << 20;

    /** {@code before}, a line of LINE zero bytes (sparse), {@code after}. */
    private static void writeWithHugeLine(Path file, String before, String after) throws Exception {
        Files.createDirectories(file.getParent());
        byte[] head = (before + "\n").getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(head);
            f.seek(head.length + LINE);
            f.write(("\n" + after + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aTwentyMebibyteLine_isOneSmallDeadLetter_inTheInboxAndWhenTailed(@TempDir Path dir) throws Exception {
        Path tailed = dir.resolve("tailed");
        Files.createDirectories(tailed);
        try (AbuseRig rig = AbuseRig.start(
                dir,
                "overlong-line",
                Map.of("bridge.file.paths", tailed + "/*.log", "bridge.file.start-at", "beginning"))) {
            String inboxBefore = rig.marker();
            String inboxAfter = rig.marker();
            Path staging = rig.home().resolve("staging/long.log");
            writeWithHugeLine(staging, inboxBefore, inboxAfter);
            Files.move(staging, rig.inbox().resolve("long.log"));
            String tailBefore = rig.marker();
            String tailAfter = rig.marker();
            writeWithHugeLine(tailed.resolve("app.log"), tailBefore, tailAfter);
            for (String m : List.of(inboxBefore, inboxAfter, tailBefore, tailAfter)) {
                rig.accepted(AbuseRig.LOGS_STREAM, m);
            }
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Files.exists(rig.inbox().resolve(".done/long.log"))
                                || Files.exists(rig.inbox().resolve(".failed/long.log")));
                rig.awaitInStream(AbuseRig.LOGS_STREAM, List.of(inboxAfter, tailAfter));
                List<DeadLetter> letters = HugeLineAbuseIT.deadLetters(rig);
                long deadLetterBytes = deadLetterBytes(rig);
                String observed = letters.size() + " dead letter(s) "
                        + letters.stream().map(l -> l.error().code()).distinct().toList() + ", " + deadLetterBytes
                        + " bytes of dead-letter files";

                AbuseLedger.row(
                                "20 MiB line in an inbox file and in a tailed file",
                                "one LineTooLong dead letter per line, ~1 KiB each; lines around it arrive",
                                observed,
                                rig)
                        .check();
                assertThat(letters).hasSize(2).allSatisfy(l -> {
                    assertThat(l.error().code()).isEqualTo("LineTooLong");
                    assertThat(l.error().message()).contains("is " + LINE + " bytes");
                });
                assertThat(deadLetterBytes).isLessThan(16 * 1024);
            } finally {
                Files.deleteIfExists(rig.inbox().resolve(".done/long.log"));
                Files.deleteIfExists(rig.inbox().resolve(".failed/long.log"));
                Files.deleteIfExists(tailed.resolve("app.log"));
            }
        }
    }

    private static long deadLetterBytes(AbuseRig rig) throws Exception {
        try (Stream<Path> files = Files.walk(rig.deadLetterDir())) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
