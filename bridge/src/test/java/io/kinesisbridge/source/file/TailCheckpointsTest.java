package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailCheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void checkpoints_keepTheStreamFormatAndGlobsTheyWereWrittenFor() {
        TailCheckpoints store = new TailCheckpoints(dir.resolve("c.json"));
        TailCheckpoints.Scope scope = new TailCheckpoints.Scope("logs", "ndjson", List.of("/var/log/*.log"));
        TailCheckpoint c = new TailCheckpoint("/var/log/a.log", "(dev=1,ino=2)", 42, "ab", 42);
        store.save(scope, List.of(c));
        assertThat(store.load()).get().isEqualTo(new TailCheckpoints.Saved(Optional.of(scope), List.of(c)));
    }

    @Test
    void aFileOfVersion1_loadsWithoutAScope() throws Exception {
        Files.writeString(dir.resolve("c.json"), """
                {"version": 1, "files": [{"path": "/var/log/a.log", "fileKey": "k", "offset": 7, "fingerprint": "f", "fingerprintLength": 7}]}
                """);
        TailCheckpoints.Saved saved =
                new TailCheckpoints(dir.resolve("c.json")).load().orElseThrow();
        assertThat(saved.scope()).isEmpty();
        assertThat(saved.files()).containsExactly(new TailCheckpoint("/var/log/a.log", "k", 7, "f", 7));
    }
}
