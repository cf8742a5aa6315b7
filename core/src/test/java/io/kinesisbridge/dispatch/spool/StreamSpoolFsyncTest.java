package io.kinesisbridge.dispatch.spool;

import static io.kinesisbridge.dispatch.spool.SpoolTestRecords.data;
import static io.kinesisbridge.dispatch.spool.SpoolTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.testing.FullDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fsync that fails after the frames were written (EIO): the append fails, its records go back to their sources,
 * and its frames are taken off the disk, so that they are not forwarded as well. Later appends work as before.
 */
class StreamSpoolFsyncTest {

    @TempDir
    Path dir;

    private static List<SpoolRecord> batch(String prefix, int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> record("k" + (i % 5), prefix + "-" + i))
                .toList();
    }

    private static List<String> names(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + "-" + i).toList();
    }

    @Test
    void aFailedFsync_takesItsBatchOffTheDisk_acrossSegments() throws Exception {
        FullDisk disk = new FullDisk(Long.MAX_VALUE / 4);
        // small segments, so that the failed batch spans several of them
        SpoolSettings settings =
                new SpoolSettings(dir.resolve("stream-s"), 1 << 24, FsyncPolicy.ALWAYS, Duration.ZERO, 2048);
        try (StreamSpool spool = StreamSpool.open("s", settings, disk.opener())) {
            assertThat(spool.append(batch("a", 40)).get(10, TimeUnit.SECONDS)).isEqualTo(40);
            long bytesAfterA = spool.bytes();

            disk.failingFsync.set(true);
            assertThatThrownBy(() -> spool.append(batch("b", 200)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("simulated fsync failure");
            disk.failingFsync.set(false);
            assertThat(spool.records()).as("the failed batch is not counted").isEqualTo(40);
            assertThat(spool.bytes()).isEqualTo(bytesAfterA);
            assertThat(spool.writeErrors()).isPositive();

            assertThat(spool.append(batch("c", 30)).get(10, TimeUnit.SECONDS)).isEqualTo(30);
            List<String> read = new ArrayList<>();
            List<SpoolRead> page;
            while (!(page = spool.read(100, 1 << 20).get(10, TimeUnit.SECONDS)).isEmpty()) {
                page.forEach(r -> read.add(data(r)));
            }
            List<String> expected = new ArrayList<>(names("a", 40));
            expected.addAll(names("c", 30));
            assertThat(read)
                    .as("what is read back is what was acknowledged, nothing of the failed batch")
                    .isEqualTo(expected);
        }
        // and after a restart
        try (StreamSpool again = StreamSpool.open("s", settings)) {
            assertThat(again.records()).isEqualTo(70);
        }
    }
}
