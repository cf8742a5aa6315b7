package io.kinesisbridge.dispatch.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDirectoriesTest {

    @TempDir
    Path root;

    @Test
    void everyStream_hasADirectoryOfItsOwnUnderTheRoot_dotsAndCapitalsIncluded() {
        assertThat(SpoolDirectories.of(root, "clickstream"))
                .isEqualTo(root.toAbsolutePath().resolve("stream-clickstream"));
        assertThat(SpoolDirectories.of(root, "."))
                .isEqualTo(root.toAbsolutePath().resolve("stream-@@"));
        assertThat(SpoolDirectories.of(root, ".."))
                .isEqualTo(root.toAbsolutePath().resolve("stream-@@@"));
        assertThat(SpoolDirectories.of(root, "Logs")).isNotEqualTo(SpoolDirectories.of(root, "logs"));
    }

    @Test
    void spoolsOfTheOlderLayout_areMovedToTheirEncodedNames_withWhatTheyHold_plainOnesStay() throws IOException {
        for (String old :
                new String[] {"stream-clickstream", "stream-Logs", "stream-..", "stream-.", "stream-@+x", "other"}) {
            Files.createDirectories(root.resolve(old));
            Files.writeString(root.resolve(old).resolve("00000000000000000000.seg"), old);
        }

        assertThat(SpoolDirectories.streams(root)).containsExactly(".", "..", "Logs", "X", "clickstream");

        assertThat(root.resolve("stream-@+logs/00000000000000000000.seg")).hasContent("stream-Logs");
        assertThat(root.resolve("stream-@@@/00000000000000000000.seg")).hasContent("stream-..");
        assertThat(root.resolve("stream-@@/00000000000000000000.seg")).hasContent("stream-.");
        assertThat(root.resolve("stream-clickstream/00000000000000000000.seg")).hasContent("stream-clickstream");
        assertThat(root.resolve("other")).exists();
        assertThat(SpoolDirectories.streams(root)).containsExactly(".", "..", "Logs", "X", "clickstream");
    }
}
