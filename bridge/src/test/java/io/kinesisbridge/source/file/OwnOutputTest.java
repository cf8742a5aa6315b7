package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnOutputTest {

    @TempDir
    Path dir;

    private OwnOutput own() {
        return new OwnOutput(
                List.of(dir.resolve("data/dead-letter"), dir.resolve("data/spool")),
                List.of(dir.resolve("data/checkpoints.json")),
                List.of("logs.ndjson", "stream-logs/head"));
    }

    @Test
    void filesUnderItsDirectories_andItsFilesWithTheirTemporaries_areOwn() {
        OwnOutput own = own();
        assertThat(own.contains(dir.resolve("data/dead-letter/logs.ndjson.3"))).isTrue();
        assertThat(own.contains(dir.resolve("data/spool/stream-logs/000001.seg")))
                .isTrue();
        assertThat(own.contains(dir.resolve("data/checkpoints.json.tmp"))).isTrue();
        assertThat(own.contains(dir.resolve("data/./dead-letter/../dead-letter/x")))
                .isTrue();
        assertThat(own.contains(dir.resolve("data/dead-letters-archive/x"))).isFalse();
        assertThat(own.contains(dir.resolve("logs/app.log"))).isFalse();
    }

    @Test
    void aNameThroughALinkedDirectory_isOwn() throws Exception {
        Files.createDirectories(dir.resolve("data/dead-letter"));
        Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("data/dead-letter"));
        assertThat(own().contains(dir.resolve("alias/logs.ndjson"))).isTrue();
    }

    @Test
    void globsMatchingAnOwnFile_existingOrTypical_areFound() throws Exception {
        OwnOutput own = own();
        assertThat(own.matchedBy(new GlobScanner(List.of(dir + "/data/*/*.ndjson"))))
                .get()
                .asString()
                .contains("dead-letter");
        assertThat(own.matchedBy(new GlobScanner(List.of(dir + "/data/**")))).isPresent();
        assertThat(own.matchedBy(new GlobScanner(List.of(dir + "/data/*.json"))))
                .get()
                .asString()
                .contains("checkpoints.json");
        assertThat(own.matchedBy(new GlobScanner(List.of(dir + "/logs/*.log", dir + "/data/inbox/*"))))
                .isEmpty();
        Files.createDirectories(dir.resolve("data/spool/stream-x"));
        Files.writeString(dir.resolve("data/spool/stream-x/0001.seg"), "");
        assertThat(own.matchedBy(new GlobScanner(List.of(dir + "/data/spool/*/*.seg"))))
                .get()
                .asString()
                .contains("0001.seg");
    }
}
