package io.kinesisbridge.dispatch.spool;

import static io.kinesisbridge.dispatch.spool.SpoolTestRecords.data;
import static io.kinesisbridge.dispatch.spool.SpoolTestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.testing.FullDisk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolStoreTest {

    @TempDir
    Path dir;

    private SpoolSettings settings(long maxBytes, long segmentBytes) {
        return new SpoolSettings(dir.resolve("s"), maxBytes, FsyncPolicy.ALWAYS, Duration.ZERO, segmentBytes);
    }

    private static List<byte[]> frames(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> SpoolFrames.encode(record("k" + (i % 7), String.format("record-%03d", i))))
                .toList();
    }

    private static List<String> readAll(SpoolStore store) throws IOException {
        List<String> out = new ArrayList<>();
        List<SpoolRead> page;
        while (!(page = store.read(100, 1 << 20)).isEmpty()) {
            page.forEach(r -> out.add(data(r)));
        }
        return out;
    }

    private static List<String> names(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> String.format("record-%03d", i))
                .toList();
    }

    private long segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("s"))) {
            return files.filter(f -> f.toString().endsWith(".seg")).count();
        }
    }

    /**
     * A segment that cannot be opened halfway through a read: the frames already read are handed out (the cursor is
     * past them), not thrown away with the error; the next read reports it.
     */
    @Test
    void aReadErrorHalfwayThroughABatch_keepsTheFramesAlreadyRead() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1024))) {
            store.append(frames(0, 200));
            store.sync();
            List<Path> segments;
            try (Stream<Path> files = Files.list(dir.resolve("s"))) {
                segments = files.filter(f -> f.toString().endsWith(".seg"))
                        .sorted()
                        .toList();
            }
            assertThat(segments.size()).isGreaterThan(2);
            Files.delete(segments.get(1)); // the second segment can no longer be opened
            List<SpoolRead> first = store.read(1000, 1 << 20);
            assertThat(first).isNotEmpty();
            assertThat(first.stream().map(SpoolTestRecords::data).toList()).isEqualTo(names(0, first.size()));
            assertThatThrownBy(() -> store.read(1000, 1 << 20)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void appendedRecords_areReadBackInOrder_acrossSegments() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1024))) {
            assertThat(store.append(frames(0, 200))).isEqualTo(200);
            store.sync();
            assertThat(segmentFiles()).isGreaterThan(5);
            assertThat(readAll(store)).isEqualTo(names(0, 200));
            assertThat(store.records()).isEqualTo(200);
        }
    }

    @Test
    void release_deletesWhollyReleasedSegments_andAReopenedSpoolKeepsOnlyWhatWasNotReleased() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1024))) {
            store.append(frames(0, 200));
            List<SpoolRead> first = store.read(120, Long.MAX_VALUE);
            long before = segmentFiles();
            store.release(first.get(119).end(), 120);
            assertThat(segmentFiles()).isLessThan(before);
            assertThat(store.records()).isEqualTo(80);
        }
        try (SpoolStore again = SpoolStore.open(settings(1 << 20, 1024))) {
            assertThat(again.recovery().records()).isEqualTo(80);
            assertThat(readAll(again)).isEqualTo(names(120, 200));
        }
    }

    @Test
    void fullSpool_writesTheLongestPrefixThatFits_thenNothing_untilReleased() throws IOException {
        int frame = frames(0, 1).get(0).length;
        try (SpoolStore store = SpoolStore.open(settings(frame * 10L, 1 << 20))) {
            assertThat(store.append(frames(0, 25))).isEqualTo(10);
            assertThat(store.append(frames(10, 25))).isZero();
            List<SpoolRead> read = store.read(4, Long.MAX_VALUE);
            store.release(read.get(3).end(), 4);
            assertThat(store.append(frames(10, 25))).isEqualTo(4);
            assertThat(readAll(store)).isEqualTo(names(4, 14));
        }
    }

    @Test
    void emptySpool_takesOneRecordLargerThanItsCap() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(10, 1 << 20))) {
            assertThat(store.append(frames(0, 3))).isEqualTo(1);
            assertThat(store.append(frames(1, 3))).isZero();
        }
    }

    @Test
    void diskFull_failsTheWrite_leavesNoPartFrame_andWritesAgainOnceThereIsRoom() throws IOException {
        int frame = frames(0, 1).get(0).length;
        FullDisk disk = new FullDisk(frame * 3L + frame / 2);
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1 << 20), disk.opener())) {
            assertThat(store.append(frames(0, 3))).isEqualTo(3);
            // the fourth frame fits half: it is cut back, and the call fails as it wrote nothing
            assertThatThrownBy(() -> store.append(frames(3, 6)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("No space");
            assertThat(store.records()).isEqualTo(3);
            disk.free(10L * frame);
            assertThat(store.append(frames(3, 6))).isEqualTo(3);
            assertThat(readAll(store)).isEqualTo(names(0, 6));
        }
        try (SpoolStore again = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            assertThat(again.recovery().tornBytes()).isZero();
            assertThat(readAll(again)).isEqualTo(names(0, 6));
        }
    }

    @Test
    void nearlyFullDisk_keepsTheFramesThatFit_andReportsTheWriteError() throws IOException {
        int frame = frames(0, 1).get(0).length;
        FullDisk disk = new FullDisk(frame * 2L + frame / 2);
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1 << 20), disk.opener())) {
            assertThat(store.append(frames(0, 5))).isEqualTo(2);
            assertThat(store.writeErrors()).isPositive();
            assertThat(readAll(store)).isEqualTo(names(0, 2));
        }
        try (SpoolStore again = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            assertThat(again.recovery().tornBytes())
                    .as("the part frame was cut back at once")
                    .isZero();
            assertThat(again.recovery().records()).isEqualTo(2);
        }
    }

    @Test
    void tornLastFrame_isCutAtOpening_andNewRecordsFollowTheGoodOnes() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            store.append(frames(0, 10));
        }
        Path segment = dir.resolve("s").resolve(String.format("%020d.seg", 0));
        long size = Files.size(segment);
        try (var ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        try (SpoolStore again = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            assertThat(again.recovery().records()).isEqualTo(9);
            assertThat(again.recovery().tornBytes()).isPositive();
            again.append(frames(10, 12));
            assertThat(readAll(again))
                    .containsExactlyElementsOf(Stream.concat(names(0, 9).stream(), names(10, 12).stream())
                            .toList());
        }
    }

    @Test
    void damagedFrameInTheMiddle_isSkippedAndCopiedAside_theOthersAreKept() throws IOException {
        try (SpoolStore store = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            store.append(frames(0, 10));
        }
        Path segment = dir.resolve("s").resolve(String.format("%020d.seg", 0));
        byte[] bytes = Files.readAllBytes(segment);
        int frame = frames(0, 1).get(0).length;
        bytes[4 * frame + frame / 2] ^= 0x5A; // inside record-4's frame (all frames here have one length)
        Files.write(segment, bytes);
        try (SpoolStore again = SpoolStore.open(settings(1 << 20, 1 << 20))) {
            assertThat(again.recovery().records()).isEqualTo(9);
            assertThat(again.recovery().corruptRanges()).isEqualTo(1);
            List<String> expected = new ArrayList<>(names(0, 10));
            expected.remove("record-004");
            assertThat(readAll(again)).isEqualTo(expected);
        }
        assertThat(dir.resolve("s").resolve(String.format("%020d.seg.corrupt", 0)))
                .exists();
    }
}
