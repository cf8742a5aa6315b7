package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.app.BridgeSettings;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.JournalConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written on, rotated by rename-and-create and by copy-truncate, while the bridge (a child JVM) is killed
 * with SIGKILL twice and started again: every line arrives, and duplicates are at most what was in flight
 * (read, put, not yet checkpointed) at each kill.
 */
@Tag("slow")
class FileTailKillTest {

    private static final int LINES = 30_000;
    private static final int BATCH = 500;

    @TempDir
    Path dir;

    @Test
    void sigkillDuringWritesAndRotations_losesNothing_duplicatesOnlyWhatWasInFlight() throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path log = logs.resolve("app.log");
        Path journal = dir.resolve("journal.tsv");
        Map<String, String> settings = new HashMap<>(Map.of(
                "bridge.http.enabled",
                "false",
                "bridge.syslog.enabled",
                "false",
                "bridge.mqtt.enabled",
                "false",
                "bridge.file.paths",
                logs + "/*.log",
                "bridge.file.start-at",
                "beginning",
                "bridge.file.checkpoint-file",
                dir.resolve("checkpoints.json").toString(),
                "bridge.file.inbox",
                dir.resolve("inbox").toString(),
                "bridge.dead-letter.dir",
                dir.resolve("dead-letter").toString(),
                "bridge.file.poll-ms",
                "50",
                "bridge.file.rotate-wait-ms",
                "500"));
        settings.put("bridge.file.enabled", "true");
        settings.put("bridge.dispatch.max-batch-records", String.valueOf(BATCH));
        settings.keySet().removeIf(k -> k.equals("bridge.mqtt.enabled") && !knows(k));

        int kills = 0;
        BridgeProcess bridge = BridgeProcess.startJournaled(dir, "bridge", journal, settings);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(log, bridge::isReady));
        try {
            for (int threshold : new int[] {6_000, 16_000}) {
                BridgeProcess running = bridge;
                await().atMost(Duration.ofSeconds(60))
                        .until(() ->
                                JournalConfiguration.records(journal, "logs").size() >= threshold
                                        || !running.isAlive());
                assertThat(bridge.isAlive()).as(bridge.output()).isTrue();
                bridge.kill();
                kills++;
                bridge.restart();
            }
            writer.get(180, TimeUnit.SECONDS);
            BridgeProcess last = bridge;
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(new HashSet<>(JournalConfiguration.records(journal, "logs")).size())
                            .as(() -> diagnostics(journal))
                            .isGreaterThanOrEqualTo(LINES));
            assertThat(bridge.isAlive()).as(bridge.output()).isTrue();
        } finally {
            bridge.close();
        }
        List<String> arrived = JournalConfiguration.records(journal, "logs");
        Set<String> unique = new HashSet<>(arrived);
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < LINES; i++) {
            sent.add("k" + i);
        }
        int duplicates = arrived.size() - unique.size();
        System.out.printf(
                "file tail, %d SIGKILLs: sent %d lines, arrived %d records, %d unique, %d duplicates%n",
                kills, LINES, arrived.size(), unique.size(), duplicates);
        assertThat(unique).isEqualTo(sent);
        // at each kill at most one batch per file (the live one and a rotated one being finished) is in flight
        assertThat(duplicates).isLessThanOrEqualTo(kills * 2 * BATCH);
    }

    private String diagnostics(Path journal) {
        Set<String> got = new HashSet<>(JournalConfiguration.records(journal, "logs"));
        StringBuilder b = new StringBuilder("missing:");
        int runStart = -1;
        for (int i = 0; i <= LINES; i++) {
            boolean missing = i < LINES && !got.contains("k" + i);
            if (missing && runStart < 0) {
                runStart = i;
            } else if (!missing && runStart >= 0) {
                b.append(' ').append(runStart).append('-').append(i - 1);
                runStart = -1;
            }
        }
        b.append("\ncheckpoints: ").append(read(dir.resolve("checkpoints.json")));
        try (var files = Files.list(dir.resolve("bridge"))) {
            files.filter(f -> f.getFileName().toString().startsWith("bridge-"))
                    .sorted()
                    .forEach(f -> b.append("\n--- ")
                            .append(f)
                            .append('\n')
                            .append(read(f).lines()
                                    .filter(l -> l.contains("File tail") || l.contains("ERROR") || l.contains("WARN"))
                                    .reduce("", (x, y) -> x + y + "\n")));
        } catch (IOException e) {
            b.append(e);
        }
        try (var files = Files.list(dir.resolve("logs"))) {
            files.forEach(f -> {
                try {
                    b.append("\n")
                            .append(f)
                            .append(" ")
                            .append(Files.size(f))
                            .append(" ")
                            .append(TailedFile.keyOf(f, new RegularFiles(false)));
                } catch (IOException e) {
                    b.append(e);
                }
            });
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean knows(String key) {
        return BridgeSettings.KNOWN.stream().anyMatch(s -> s.key().equals(key));
    }

    /**
     * 30,000 lines at about 1,000 a second; rename-and-create at 10,000, copy-truncate at 20,000. Each rotation waits
     * until the bridge is up and has had a second to read: a file created and rotated away entirely while the bridge
     * is down (or between two polls) is never seen, as with every tailer that follows globs, and on a loaded machine
     * a restart can outlast the writes between two rotations.
     */
    private static void write(Path log, BooleanSupplier bridgeReady) {
        try {
            StringBuilder chunk = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                chunk.append('k').append(i).append('\n');
                if (i % 100 == 99) {
                    Files.writeString(
                            log, chunk, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    chunk.setLength(0);
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
                if (i == 10_000 - 1) {
                    awaitReading(bridgeReady);
                    Files.move(log, log.resolveSibling("app.log.1"));
                }
                if (i == 20_000 - 1) {
                    awaitReading(bridgeReady);
                    Files.copy(log, log.resolveSibling("app.log.2"));
                    try (var ch = Files.newByteChannel(log, StandardOpenOption.WRITE)) {
                        ch.truncate(0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReading(BooleanSupplier bridgeReady) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(bridgeReady::getAsBoolean);
        LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
    }
}
