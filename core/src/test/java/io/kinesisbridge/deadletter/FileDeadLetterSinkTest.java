package io.kinesisbridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.testing.FullDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeadLetterSinkTest {

    @TempDir
    Path dir;

    private static DeadLetter letter(String stream, int n, String code) {
        return new DeadLetter(
                Instant.parse("2026-11-25T12:00:00Z"),
                stream,
                new PutRequest(stream, "key-" + n, ("record " + n).getBytes(StandardCharsets.UTF_8), null, null),
                new KinesisError(code, "reason " + n),
                1);
    }

    @Test
    void letters_areJsonLinesPerStream_readableBack() throws IOException {
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3)) {
            sink.accept(letter("a", 1, "ValidationException"));
            sink.accept(letter("b", 2, "MissingPartitionKey"));
            sink.accept(letter("a", 3, "ValidationException"));
            assertThat(sink.countsByErrorCode())
                    .containsEntry("ValidationException", 2L)
                    .containsEntry("MissingPartitionKey", 1L);
        }
        List<String> a = Files.readAllLines(dir.resolve("a.ndjson"));
        assertThat(a).hasSize(2);
        assertThat(a.get(0))
                .isEqualTo(
                        "{\"Time\":\"2026-11-25T12:00:00Z\",\"StreamName\":\"a\",\"ErrorCode\":\"ValidationException\","
                                + "\"ErrorMessage\":\"reason 1\",\"Attempts\":1,\"Request\":{\"StreamName\":\"a\",\"PartitionKey\":\"key-1\","
                                + "\"Data\":\"cmVjb3JkIDE=\"}}");
        assertThat(DeadLetterJson.read(a.get(1))).isEqualTo(letter("a", 3, "ValidationException"));
    }

    @Test
    void aFileOverItsCap_isRotated_andTheOldestRotationDropped() throws IOException {
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1024, 3)) {
            for (int i = 0; i < 40; i++) {
                sink.accept(letter("s", i, "InternalFailure"));
            }
        }
        assertThat(Files.exists(dir.resolve("s.ndjson"))).isTrue();
        assertThat(Files.exists(dir.resolve("s.ndjson.1"))).isTrue();
        assertThat(Files.exists(dir.resolve("s.ndjson.2"))).isTrue();
        assertThat(Files.exists(dir.resolve("s.ndjson.3"))).isFalse();
        for (String f : List.of("s.ndjson", "s.ndjson.1", "s.ndjson.2")) {
            assertThat(Files.size(dir.resolve(f))).isLessThanOrEqualTo(1024);
        }
        List<String> newest = Files.readAllLines(dir.resolve("s.ndjson"));
        assertThat(DeadLetterJson.read(newest.get(newest.size() - 1)).request().partitionKey())
                .isEqualTo("key-39");
    }

    @Test
    void reopening_appends() throws IOException {
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3)) {
            sink.accept(letter("a", 1, "X"));
        }
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3)) {
            sink.accept(letter("a", 2, "X"));
        }
        assertThat(Files.readAllLines(dir.resolve("a.ndjson"))).hasSize(2);
    }

    @Test
    void aLetterThatDoesNotFitOnTheDisk_throws_leavesNoPartOfItself_andIsNotCounted_untilSpaceIsFreed()
            throws IOException {
        FullDisk disk = new FullDisk(0);
        String oneLetter = DeadLetterJson.write(letter("a", 1, "X")) + "\n";
        disk.setFree(oneLetter.length() + 40); // the first letter and part of the second
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3, disk.opener()::open)) {
            sink.accept(letter("a", 1, "X"));
            assertThatThrownBy(() -> sink.accept(letter("a", 2, "X")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("a.ndjson")
                    .hasMessageContaining("No space left on device")
                    .hasMessageNotContaining("key-2");
            assertThat(Files.readString(dir.resolve("a.ndjson")))
                    .as("the short write was cut back")
                    .isEqualTo(oneLetter);
            assertThatThrownBy(() -> sink.accept(letter("a", 3, "X"))).isInstanceOf(UncheckedIOException.class);
            assertThat(sink.countsByErrorCode()).containsEntry("X", 1L);

            disk.free(1 << 20);
            sink.accept(letter("a", 4, "X"));
            assertThat(sink.countsByErrorCode()).containsEntry("X", 2L);
        }
        assertThat(Files.readAllLines(dir.resolve("a.ndjson")))
                .extracting(l -> DeadLetterJson.read(l).request().partitionKey())
                .containsExactly("key-1", "key-4");
    }

    @Test
    void aFileEndingInAnUnfinishedLetter_isCutBackToItsLastWholeLetter_whenOpened() throws IOException {
        String whole = DeadLetterJson.write(letter("a", 1, "X")) + "\n";
        String unfinished = DeadLetterJson.write(letter("a", 2, "X")).substring(0, 50);
        Files.writeString(dir.resolve("a.ndjson"), whole + unfinished);
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3)) {
            sink.accept(letter("a", 3, "X"));
        }
        assertThat(Files.readAllLines(dir.resolve("a.ndjson")))
                .extracting(l -> DeadLetterJson.read(l).request().partitionKey())
                .containsExactly("key-1", "key-3");
    }

    @Test
    void aDeadLetterFileThatCannotBeOpened_throws_andIsOpenedOnceItCanBe() throws IOException {
        Files.createDirectories(dir.resolve("a.ndjson"));
        try (FileDeadLetterSink sink = new FileDeadLetterSink(dir, 1 << 20, 3)) {
            assertThatThrownBy(() -> sink.accept(letter("a", 1, "X"))).isInstanceOf(UncheckedIOException.class);
            Files.delete(dir.resolve("a.ndjson"));
            sink.accept(letter("a", 2, "X"));
            assertThat(sink.countsByErrorCode()).containsEntry("X", 1L);
        }
        assertThat(Files.readAllLines(dir.resolve("a.ndjson"))).hasSize(1);
    }

    @Test
    void streamsNamedDotsOrCapitals_orNoValidName_getFilesOfTheirOwnInsideTheDirectory_ordinaryNamesKeepTheirs()
            throws IOException {
        Path inside = dir.resolve("dead-letter");
        Files.createDirectories(inside);
        try (FileDeadLetterSink sink = new FileDeadLetterSink(inside, 1024, 2)) {
            for (String stream :
                    new String[] {".", "..", "...", "a..b", "Logs", "logs", "../escape", "", "clickstream"}) {
                for (int n = 1; n <= 2; n++) { // two letters of over 512 bytes pass 1024: rotated once
                    sink.accept(new DeadLetter(
                            Instant.now(),
                            stream,
                            new PutRequest(stream, "k", new byte[600], null, null),
                            new KinesisError("ValidationException", "reason"),
                            1));
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("dead-letter");
        }
        try (var files = Files.list(inside)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "@@.ndjson",
                            "@@@.ndjson",
                            "@@@@.ndjson",
                            "a..b.ndjson",
                            "@+logs.ndjson",
                            "logs.ndjson",
                            "_invalid-stream-names.ndjson",
                            "clickstream.ndjson",
                            "@@.ndjson.1",
                            "@@@.ndjson.1",
                            "@@@@.ndjson.1",
                            "a..b.ndjson.1",
                            "@+logs.ndjson.1",
                            "logs.ndjson.1",
                            "_invalid-stream-names.ndjson.1",
                            "clickstream.ndjson.1");
        }
        assertThat(Files.readAllLines(inside.resolve("@@@.ndjson")).get(0)).contains("\"StreamName\":\"..\"");
    }
}
