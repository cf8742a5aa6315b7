package io.kinesisbridge.source.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.assertj.core.api.Assertions;

class LineBatchesProperties {

    /** The lines of {@code bytes} as the reader must see them: split at LF, one trailing CR dropped. */
    private static List<byte[]> linesOf(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                if (i < bytes.length || end > start) {
                    lines.add(Arrays.copyOfRange(bytes, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    @Property
    void everyNonEmptyLine_comesOutOnce_inOrder_withoutItsLineEnd(
            @ForAll("text") String text,
            @ForAll @IntRange(min = 1, max = 7) int batchSize,
            @ForAll @IntRange(min = 1, max = 9) int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> expected = linesOf(bytes).stream()
                .filter(l -> l.length > 0)
                .map(l -> new String(l, StandardCharsets.UTF_8))
                .toList();
        List<String> actual = new ArrayList<>();
        try (LineBatches batches = new LineBatches(trickle(bytes, chunk), batchSize, 1 << 20, l -> {
            throw new AssertionError("no line is too long here");
        })) {
            while (batches.hasNext()) {
                List<byte[]> batch = batches.next();
                assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(batchSize);
                batch.forEach(b -> actual.add(new String(b, StandardCharsets.UTF_8)));
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Property(tries = 20)
    void aLineLongerThanTheReadBuffer_butWithinTheLimit_isKeptWhole(
            @ForAll @IntRange(min = 65_000, max = 300_000) int length) {
        byte[] line = new byte[length];
        Arrays.fill(line, (byte) 'x');
        byte[] text = (new String(line, StandardCharsets.US_ASCII) + "\r\nshort\n").getBytes(StandardCharsets.US_ASCII);
        try (LineBatches batches = new LineBatches(new ByteArrayInputStream(text), 10, length, l -> {
            throw new AssertionError("within the limit");
        })) {
            List<byte[]> batch = batches.next();
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0)).hasSize(length);
        }
    }

    @Property
    void linesLongerThanTheLimit_areReportedOnce_withLengthAndFirstBytes_andTheOthersComeOut(
            @ForAll("text") String text,
            @ForAll @IntRange(min = 1, max = 12) int maxLineBytes,
            @ForAll @IntRange(min = 1, max = 9) int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> expectedOut = new ArrayList<>();
        List<String> expectedLong = new ArrayList<>();
        for (byte[] line : linesOf(bytes)) {
            if (line.length > maxLineBytes) {
                expectedLong.add(line.length + ":"
                        + new String(
                                line, 0, Math.min(line.length, LineReader.SAMPLE_BYTES), StandardCharsets.ISO_8859_1));
            } else if (line.length > 0) {
                expectedOut.add(new String(line, StandardCharsets.ISO_8859_1));
            }
        }
        List<String> out = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        try (LineBatches batches = new LineBatches(
                trickle(bytes, chunk),
                5,
                maxLineBytes,
                l -> reported.add(l.length() + ":" + new String(l.sample(), StandardCharsets.ISO_8859_1)))) {
            while (batches.hasNext()) {
                batches.next().forEach(b -> out.add(new String(b, StandardCharsets.ISO_8859_1)));
            }
        }
        assertThat(out).isEqualTo(expectedOut);
        assertThat(reported).isEqualTo(expectedLong);
    }

    @Property(tries = 10)
    void aHugeLine_isReportedOnce_withItsLength_andASampleOfBoundedSize(
            @ForAll @IntRange(min = 1_000_000, max = 4_000_000) int length) {
        byte[] text = new byte[length + 7];
        Arrays.fill(text, (byte) 'y');
        text[length] = '\n';
        System.arraycopy("after\n".getBytes(StandardCharsets.US_ASCII), 0, text, length + 1, 6);
        List<LineReader.LongLine> reported = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try (LineBatches batches = new LineBatches(new ByteArrayInputStream(text), 500, 65_536, reported::add)) {
            while (batches.hasNext()) {
                batches.next().forEach(b -> out.add(new String(b, StandardCharsets.US_ASCII)));
            }
        }
        assertThat(out).containsExactly("after");
        assertThat(reported).singleElement().satisfies(l -> {
            assertThat(l.length()).isEqualTo(length);
            assertThat(l.start()).isZero();
            assertThat(l.sample()).hasSize(LineReader.SAMPLE_BYTES);
        });
    }

    @Property(tries = 20)
    void aBatchOfLongLines_holdsAboutMaxBatchBytes_notBatchSizeLines(
            @ForAll @IntRange(min = 100_000, max = 1_048_576) int lineBytes) {
        byte[] line = new byte[lineBytes + 1];
        Arrays.fill(line, (byte) 'z');
        line[lineBytes] = '\n';
        InputStream endless = new InputStream() {
            long n;

            @Override
            public int read() {
                return line[(int) (n++ % line.length)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        try (LineBatches batches = new LineBatches(endless, 10_000, lineBytes, l -> {})) {
            for (int i = 0; i < 3; i++) {
                long bytes = batches.next().stream().mapToLong(b -> b.length).sum();
                assertThat(bytes).isLessThan(LineBatches.MAX_BATCH_BYTES + lineBytes);
            }
        }
    }

    @Property
    void anErrorWhileReading_failsTheFile_asAnException(@ForAll @IntRange(min = 0, max = 3) int linesBefore) {
        byte[] before = "ok\n".repeat(linesBefore).getBytes(StandardCharsets.US_ASCII);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() {
                if (n < before.length) {
                    return before[n++];
                }
                throw new OutOfMemoryError("simulated");
            }
        };
        try (LineBatches batches = new LineBatches(failing, 100, 100, l -> {})) {
            Assertions.assertThatThrownBy(batches::hasNext)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("OutOfMemoryError")
                    .hasCauseInstanceOf(OutOfMemoryError.class);
        }
    }

    /** Hands out at most {@code chunk} bytes per read, as a pipe or a slow disk would. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\r\né ").ofMaxLength(60),
                Arbitraries.of("a", "\r", "\n", "é", "😀", "\r\n", "abcdefghijklmnop")
                        .list()
                        .ofMaxSize(30)
                        .map(parts -> String.join("", parts)));
    }
}
