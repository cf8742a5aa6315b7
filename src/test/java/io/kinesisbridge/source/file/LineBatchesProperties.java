package io.kinesisbridge.source.file;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineBatchesProperties {

    @Property
    void everyNonEmptyLine_comesOutOnce_inOrder_withoutItsLineEnd(@ForAll("text") String text,
                                                                @ForAll @IntRange(min = 1, max = 7) int batchSize,
                                                                @ForAll @IntRange(min = 1, max = 9) int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        List<String> expected = new ArrayList<>();
        // from the bytes, not the text: a lone surrogate is encoded as '?'
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            String stripped = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!stripped.isEmpty()) {
                expected.add(stripped);
            }
        }
        List<String> actual = new ArrayList<>();
        try (LineBatches batches = new LineBatches(trickle(bytes, chunk), batchSize)) {
            while (batches.hasNext()) {
                List<byte[]> batch = batches.next();
                assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(batchSize);
                batch.forEach(b -> actual.add(new String(b, StandardCharsets.UTF_8)));
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Property(tries = 20)
    void aLineLongerThanTheReadBuffer_isKeptWhole(@ForAll @IntRange(min = 65_000, max = 300_000) int length) {
        byte[] line = new byte[length];
        Arrays.fill(line, (byte) 'x');
        byte[] text = (new String(line, StandardCharsets.US_ASCII) + "\nshort\n").getBytes(StandardCharsets.US_ASCII);
        try (LineBatches batches = new LineBatches(new ByteArrayInputStream(text), 10)) {
            List<byte[]> batch = batches.next();
            assertThat(batch).hasSize(2);
            assertThat(batch.get(0)).hasSize(length);
        }
    }

    @Property
    void linesLongerThanTheLimit_comeInPiecesOfAtMostTheLimit_thatJoinUpToTheLines(@ForAll("text") String text,
                                                                                 @ForAll @IntRange(min = 1, max = 12) int maxLineBytes,
                                                                                 @ForAll @IntRange(min = 1, max = 9) int chunk) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
            String stripped = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            expected.writeBytes(stripped.getBytes(StandardCharsets.UTF_8));
        }
        java.io.ByteArrayOutputStream actual = new java.io.ByteArrayOutputStream();
        try (LineBatches batches = new LineBatches(trickle(bytes, chunk), 5, maxLineBytes)) {
            while (batches.hasNext()) {
                for (byte[] piece : batches.next()) {
                    assertThat(piece.length).isBetween(1, maxLineBytes);
                    actual.writeBytes(piece);
                }
            }
        }
        assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Property(tries = 10)
    void aHugeLine_isNeverHeldWhole(@ForAll @IntRange(min = 1_000_000, max = 4_000_000) int length) {
        byte[] text = new byte[length + 1];
        Arrays.fill(text, (byte) 'y');
        text[length] = '\n';
        try (LineBatches batches = new LineBatches(new ByteArrayInputStream(text), 500, 65_536)) {
            long total = 0;
            while (batches.hasNext()) {
                for (byte[] piece : batches.next()) {
                    assertThat(piece.length).isLessThanOrEqualTo(65_536);
                    total += piece.length;
                }
            }
            assertThat(total).isEqualTo(length);
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
        return Arbitraries.oneOf(Arbitraries.strings().withChars("ab\r\né ").ofMaxLength(60),
                Arbitraries.of("a", "\r", "\n", "é", "😀", "\r\n").list().ofMaxSize(30).map(parts -> String.join("", parts)));
    }
}
