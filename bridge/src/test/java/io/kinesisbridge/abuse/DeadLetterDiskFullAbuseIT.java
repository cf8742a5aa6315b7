package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.testing.Accounting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 9: the dead-letter directory on a filesystem that is full. As root, a 64 KiB tmpfs is mounted there and
 * filled to the last byte (a real ENOSPC); elsewhere the stream's dead-letter file is replaced by a directory (a write
 * error of another kind, EISDIR: the same path through the bridge, but no short write). Events that cannot be
 * dead-lettered must not be answered as if they were safe: HTTP 503, readiness DOWN naming the stream's dead-letter
 * output, nothing counted as dead-lettered that is not in a file, no record data in the output. Once there is room,
 * the client's retry is dead-lettered, readiness is UP and every source still delivers.
 */
@Tag("slow")
class DeadLetterDiskFullAbuseIT {

    private static final String STREAM = AbuseRig.HTTP_STREAM;

    @TempDir
    Path dir;

    @Test
    void deadLettersOnAFullDisk_areRefusedWith503_readinessDown_untilThereIsRoom() throws Exception {
        Path deadLetters = dir.resolve("dead-letter-fs");
        Files.createDirectories(deadLetters);
        boolean tmpfs = mountTinyFilesystem(deadLetters);
        try (AbuseRig rig = AbuseRig.start(
                dir, "dead-letter-disk-full", Map.of("bridge.dead-letter.dir", deadLetters.toString()))) {
            Path blocker = deadLetters.resolve(STREAM + ".ndjson");
            Runnable makeRoom;
            if (tmpfs) {
                Path filler = deadLetters.resolve("filler");
                fill(filler);
                makeRoom = () -> delete(filler);
            } else {
                Files.createDirectories(blocker); // the file the stream's letters go to cannot be written
                makeRoom = () -> delete(blocker);
            }
            String data = rig.marker();
            String key = rig.marker();
            String events = "{\"id\":\"" + data + "\"}\n{\"userId\":\"" + key.repeat(300 / key.length() + 1)
                    + "\",\"id\":\"" + data + "\"}\n";

            HttpResponse<String> whileFull = post(rig, events);
            String metricsWhileFull = rig.process().metricsText();
            HttpResponse<String> readyWhileFull = rig.process().get("/observe/health/ready");
            String valid = rig.marker();
            rig.postEvent(valid); // valid events still go through
            long lettersWhileFull = letters(deadLetters).size();

            makeRoom.run();
            HttpResponse<String> retried = post(rig, events);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rig.process().get("/observe/health/ready").statusCode() == 200);
            String metricsAfter = rig.process().metricsText();
            List<String> lettersAfter = letters(deadLetters);
            String output = rig.process().output();

            String observed =
                    (tmpfs ? "64 KiB tmpfs filled (ENOSPC)" : "dead-letter file replaced by a directory (EISDIR)")
                            + ": 2 invalid events answered " + whileFull.statusCode() + ", readiness "
                            + readyWhileFull.statusCode()
                            + ", " + Accounting.of(metricsWhileFull, STREAM).deadLettered()
                            + " counted as dead-lettered, "
                            + lettersWhileFull + " letters; after room: retry answered " + retried.statusCode()
                            + ", readiness 200, "
                            + lettersAfter.size() + " letters, "
                            + Accounting.of(metricsAfter, STREAM).deadLettered() + " counted";
            AbuseLedger.row(
                            "dead letters on a full disk",
                            "HTTP 503, readiness DOWN, nothing counted that is not in a file, "
                                    + "no payload in the log; UP once there is room",
                            observed,
                            rig)
                    .check();

            assertThat(whileFull.statusCode())
                    .as("events that cannot be dead-lettered: %s", whileFull.body())
                    .isEqualTo(503);
            assertThat(whileFull.headers().firstValue("Retry-After")).isPresent();
            assertThat(readyWhileFull.statusCode()).isEqualTo(503);
            assertThat(readyWhileFull.body()).contains("dead-letter:" + STREAM);
            Accounting full = Accounting.of(metricsWhileFull, STREAM);
            assertThat(full.deadLettered())
                    .as("counted as dead-lettered, with no letter on disk")
                    .isEqualTo(lettersWhileFull)
                    .isZero();
            assertThat(full.returned()).isEqualTo(2);
            full.assertBalances();

            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(retried.body()).contains("MissingPartitionKey").contains("ValidationException");
            assertThat(lettersAfter).hasSize(2);
            Accounting after = Accounting.of(metricsAfter, STREAM);
            assertThat(after.deadLettered()).isEqualTo(lettersAfter.size());
            after.assertBalances();
            assertThat(lettersAfter)
                    .allSatisfy(l -> assertThat(
                                    new String(DeadLetterJson.read(l).request().data(), StandardCharsets.UTF_8))
                            .contains(data));
            for (String marker : List.of(data, key)) {
                assertThat(output).as("the output holds a record's data or key").doesNotContain(marker);
            }
        } finally {
            if (tmpfs) {
                run("umount", "-l", deadLetters.toString());
            }
        }
    }

    /** Mounts a 64 KiB tmpfs on {@code at} (needs root): true if that worked. */
    private static boolean mountTinyFilesystem(Path at) throws InterruptedException {
        return run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", at.toString()) == 0;
    }

    private static int run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1; // no such program
        }
    }

    /** Writes to {@code file} until the filesystem has no byte left. */
    private static void fill(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(512);
            while (true) {
                block.clear();
                out.write(block);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> letters(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".ndjson"))
                    .filter(Files::isRegularFile)
                    .toList()) {
                all.addAll(
                        Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList());
            }
        }
        return all;
    }

    private static HttpResponse<String> post(AbuseRig rig, String ndjson) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.httpPort() + "/clickstream"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(ndjson))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
