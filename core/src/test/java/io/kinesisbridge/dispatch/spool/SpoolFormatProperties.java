package io.kinesisbridge.dispatch.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.dispatch.Ordering;
import io.kinesisbridge.put.PutRecordCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The spool's file format under damage: a write torn at any byte, bytes flipped anywhere, garbage for a segment.
 * Opening never fails and never invents a record; it keeps every record whose frame is intact, in order, and the
 * spool takes new records after it.
 */
class SpoolFormatProperties {

    @Property
    void encodeThenDecode_givesTheSameRecord(@ForAll("records") SpoolRecord record) {
        byte[] frame = SpoolFrames.encode(record);
        Optional<SpoolRecord> back = SpoolFrames.decode(frame, SpoolFrames.HEADER, frame.length - SpoolFrames.HEADER);
        assertThat(back).isPresent();
        assertSame(back.get(), record);
    }

    @Property(tries = 200)
    void writeTornAtAnyByte_keepsEveryWholeFrameBeforeIt_andTakesNewRecordsAfter(
            @ForAll("recordLists") List<SpoolRecord> records, @ForAll @DoubleRange(min = 0, max = 1) double cutAt) {
        inTempDir(dir -> {
            SpoolSettings settings = settings(dir, 1L << 30);
            write(settings, records);
            Path segment = onlySegment(dir);
            long size = Files.size(segment);
            long cut = (long) Math.floor(size * cutAt);
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            int whole = 0;
            long end = 0;
            for (SpoolRecord r : records) {
                end += SpoolFrames.encode(r).length;
                if (end <= cut) {
                    whole++;
                }
            }
            List<SpoolRecord> expected = new ArrayList<>(records.subList(0, whole));
            SpoolRecord later = records.get(0);
            try (SpoolStore store = SpoolStore.open(settings)) {
                assertThat(store.recovery().records()).isEqualTo(whole);
                assertThat(store.recovery().corruptRanges()).isZero();
                store.append(List.of(SpoolFrames.encode(later)));
                expected.add(later);
                assertSameList(readAll(store), expected);
            }
        });
    }

    @Property(tries = 200)
    void flippedBytes_costOnlyTheFramesTheyHit(
            @ForAll("recordLists") List<SpoolRecord> records,
            @ForAll @Size(min = 1, max = 4) List<@DoubleRange(min = 0, max = 1) Double> where,
            @ForAll @IntRange(min = 1, max = 255) int xor,
            @ForAll @IntRange(min = 64, max = 8192) int segmentBytes) {
        inTempDir(dir -> {
            SpoolSettings settings = settings(dir, 1L << 30).withSegmentBytes(segmentBytes);
            write(settings, records);
            // where each record's frame lies: segments fill in order, a frame never spans two
            List<long[]> places = new ArrayList<>();
            long segment = 0;
            long offset = 0;
            for (SpoolRecord r : records) {
                int length = SpoolFrames.encode(r).length;
                if (offset > 0 && offset + length > segmentBytes) {
                    segment++;
                    offset = 0;
                }
                places.add(new long[] {segment, offset, offset + length});
                offset += length;
            }
            List<Path> segments = segments(dir);
            long total = 0;
            for (Path p : segments) {
                total += Files.size(p);
            }
            Set<Integer> hit = new HashSet<>();
            Set<Long> targets = new TreeSet<>();
            for (double w : where) {
                targets.add((long) Math.min(total - 1, Math.floor(total * w))); // a byte flipped twice is whole again
            }
            for (long target : targets) {
                long before = 0;
                for (int s = 0; s < segments.size(); s++) {
                    long size = Files.size(segments.get(s));
                    if (target < before + size) {
                        long at = target - before;
                        byte[] bytes = Files.readAllBytes(segments.get(s));
                        bytes[(int) at] ^= (byte) xor;
                        Files.write(segments.get(s), bytes);
                        for (int i = 0; i < places.size(); i++) {
                            if (places.get(i)[0] == s && at >= places.get(i)[1] && at < places.get(i)[2]) {
                                hit.add(i);
                            }
                        }
                        break;
                    }
                    before += size;
                }
            }
            List<SpoolRecord> expected = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (!hit.contains(i)) {
                    expected.add(records.get(i));
                }
            }
            try (SpoolStore store = SpoolStore.open(settings)) {
                assertThat(store.recovery().records()).isEqualTo(expected.size());
                assertSameList(readAll(store), expected);
                SpoolRecord later = records.get(0);
                store.append(List.of(SpoolFrames.encode(later)));
                assertSameList(
                        store.read(10, Long.MAX_VALUE).stream()
                                .map(SpoolRead::record)
                                .toList(),
                        List.of(later));
            }
        });
    }

    @Property(tries = 300)
    void garbageForASegment_opensWithoutError_andYieldsNoRecord(@ForAll @Size(max = 4096) byte[] garbage) {
        inTempDir(dir -> {
            SpoolSettings settings = settings(dir, 1L << 30);
            Files.createDirectories(settings.dir());
            Files.write(settings.dir().resolve(String.format("%020d.seg", 0)), garbage);
            try (SpoolStore store = SpoolStore.open(settings)) {
                assertThat(store.recovery().records()).isZero();
                assertThat(readAll(store)).isEmpty();
            }
        });
    }

    @Property(tries = 200)
    void garbageAfterGoodFrames_isCut_andTheFramesAreKept(
            @ForAll("recordLists") List<SpoolRecord> records, @ForAll @Size(min = 1, max = 512) byte[] garbage) {
        inTempDir(dir -> {
            SpoolSettings settings = settings(dir, 1L << 30);
            write(settings, records);
            Files.write(onlySegment(dir), garbage, StandardOpenOption.APPEND);
            try (SpoolStore store = SpoolStore.open(settings)) {
                assertSameList(readAll(store), records);
            }
        });
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface InDir {
        void run(Path dir) throws IOException;
    }

    private static void inTempDir(InDir body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("spool-props");
            body.run(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    private static SpoolSettings settings(Path dir, long maxBytes) {
        return new SpoolSettings(dir.resolve("s"), maxBytes, FsyncPolicy.NEVER, Duration.ZERO, 1L << 30);
    }

    private static void write(SpoolSettings settings, List<SpoolRecord> records) throws IOException {
        try (SpoolStore store = SpoolStore.open(settings)) {
            List<byte[]> frames = records.stream().map(SpoolFrames::encode).toList();
            assertThat(store.append(frames)).isEqualTo(records.size());
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("s"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".seg"))
                    .sorted()
                    .toList();
        }
    }

    private static Path onlySegment(Path dir) throws IOException {
        List<Path> all = segments(dir);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static List<SpoolRecord> readAll(SpoolStore store) throws IOException {
        List<SpoolRecord> out = new ArrayList<>();
        List<SpoolRead> page;
        while (!(page = store.read(50, 1 << 20)).isEmpty()) {
            page.forEach(r -> out.add(r.record()));
        }
        return out;
    }

    private static void assertSame(SpoolRecord actual, SpoolRecord expected) {
        assertThat(actual.command()).isEqualTo(expected.command());
        assertThat(actual.ordering()).isEqualTo(expected.ordering());
        assertThat(actual.attempts()).isEqualTo(expected.attempts());
        assertThat(actual.firstTakenMillis()).isEqualTo(expected.firstTakenMillis());
    }

    private static void assertSameList(List<SpoolRecord> actual, List<SpoolRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertSame(actual.get(i), expected.get(i));
        }
    }

    // ---- generators --------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<SpoolRecord>> recordLists() {
        return records().list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<SpoolRecord> records() {
        Arbitrary<String> stream =
                Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(128);
        Arbitrary<String> key = Arbitraries.strings()
                .ofMinLength(1)
                .ofMaxLength(256)
                .filter(k -> k.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<Optional<String>> hashKey =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(39).optional();
        Arbitrary<Optional<String>> sequence =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(128).optional();
        Arbitrary<PutRecordCommand> command =
                Combinators.combine(stream, key, data, hashKey, sequence).as(PutRecordCommand::new);
        return Combinators.combine(
                        command,
                        Arbitraries.of(Ordering.class),
                        Arbitraries.integers().between(0, 1000),
                        Arbitraries.longs().between(0, 4_102_444_800_000L))
                .as(SpoolRecord::new);
    }
}
